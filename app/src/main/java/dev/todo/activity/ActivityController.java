package dev.todo.activity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.todo.auth.CurrentUser;
import dev.todo.tasks.Cursor;
import dev.todo.web.ApiException;
import dev.todo.web.FieldError;
import io.micronaut.context.annotation.Value;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.transaction.annotation.Transactional;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** The activity log (newest first, keyset paged) and completion statistics. */
@Controller("/api")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ActivityController {

    static final Set<String> PARAMS = Set.of("taskId", "type", "from", "to", "limit", "cursor");

    private final ActivityService activity;
    private final Cursor cursors;

    public ActivityController(ActivityService activity, ObjectMapper mapper, @Value("${todo.auth.jwt-secret}") String secret) {
        this.activity = activity;
        this.cursors = new Cursor(Cursor.key(secret, "activity-cursor"), mapper);
    }

    public record Entry(UUID id, UUID taskId, String type, Instant time, JsonNode data) {
    }

    @Get("/activity")
    public Map<String, Object> activity(Authentication auth, HttpRequest<?> request) {
        UUID user = CurrentUser.id(auth);
        Map<String, List<String>> params = request.getParameters().asMap();
        List<FieldError> errors = new ArrayList<>();
        params.keySet().stream().filter(p -> !PARAMS.contains(p)).forEach(p -> errors.add(
                new FieldError(p, "unknown query parameter; allowed are " + String.join(", ", new TreeSet<>(PARAMS)))));
        UUID taskId = uuid(first(params, "taskId"), "taskId", errors);
        String type = first(params, "type");
        Instant from = instant(first(params, "from"), "from", errors);
        Instant to = instant(first(params, "to"), "to", errors);
        int limit = limit(first(params, "limit"), errors);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        String binding = user + "|" + taskId + "|" + type + "|" + from + "|" + to;
        String cursor = first(params, "cursor");
        List<String> after = cursor == null || cursor.isBlank() ? null : cursors.decode(cursor, binding, 2);

        ActivityService.Page page = activity.page(user, taskId, type, from, to, after, limit + 1);
        List<Entry> items = new ArrayList<>(page.items());
        List<List<String>> keys = page.keys();
        String next = null;
        if (items.size() > limit) {
            next = cursors.encode(keys.get(limit - 1), binding);
            items.subList(limit, items.size()).clear();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", items);
        out.put("nextCursor", next);
        return out;
    }

    /** Completed tasks per day or week, in the user's time zone, zero-filled. */
    @Get("/stats/completed")
    public Map<String, Object> completed(Authentication auth, HttpRequest<?> request) {
        UUID user = CurrentUser.id(auth);
        Map<String, List<String>> params = request.getParameters().asMap();
        List<FieldError> errors = new ArrayList<>();
        Set<String> allowed = Set.of("from", "to", "bucket");
        params.keySet().stream().filter(p -> !allowed.contains(p)).forEach(p -> errors.add(
                new FieldError(p, "unknown query parameter; allowed are bucket, from, to")));
        Instant from = instant(first(params, "from"), "from", errors);
        Instant to = instant(first(params, "to"), "to", errors);
        String bucket = first(params, "bucket") == null ? "day" : first(params, "bucket");
        if (!bucket.equals("day") && !bucket.equals("week")) {
            errors.add(new FieldError("bucket", "must be day or week; got '" + bucket + "'"));
        }
        if (from == null && errors.stream().noneMatch(e -> e.field().equals("from"))) {
            errors.add(new FieldError("from", "is required"));
        }
        if (to == null && errors.stream().noneMatch(e -> e.field().equals("to"))) {
            errors.add(new FieldError("to", "is required"));
        }
        if (from != null && to != null && (!to.isAfter(from) || to.isAfter(from.plus(java.time.Duration.ofDays(3660))))) {
            errors.add(new FieldError("to", "must be after from and at most ten years later"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        ActivityService.Completed completed = activity.completed(user, from, to, bucket);
        List<Map<String, Object>> out = completed.items().stream()
                .map(d -> Map.<String, Object>of("start", d.start(), "completed", d.completed())).toList();
        String zone = completed.timeZone();
        return Map.of("timeZone", zone, "bucket", bucket, "items", out);
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static UUID uuid(String v, String field, List<FieldError> errors) {
        if (v == null) {
            return null;
        }
        try {
            return UUID.fromString(v);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, "must be a UUID; got '" + v + "'"));
            return null;
        }
    }

    private static Instant instant(String v, String field, List<FieldError> errors) {
        if (v == null) {
            return null;
        }
        try {
            Instant i = OffsetDateTime.parse(v).toInstant();
            if (i.isBefore(Instant.parse("1900-01-01T00:00:00Z")) || i.isAfter(Instant.parse("9999-12-31T00:00:00Z"))) {
                errors.add(new FieldError(field, "must be between the years 1900 and 9999"));
                return null;
            }
            return i;
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be an ISO-8601 date-time with an offset; got '" + v + "'"));
            return null;
        }
    }

    private static int limit(String v, List<FieldError> errors) {
        if (v == null) {
            return 50;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= 200) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        errors.add(new FieldError("limit", "must be an integer between 1 and 200; got '" + v + "'"));
        return 50;
    }
}
