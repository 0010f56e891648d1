package dev.todo.activity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.todo.auth.CurrentUser;
import dev.todo.web.Cursor;
import dev.todo.web.ApiException;
import dev.todo.web.QueryParams;
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
        QueryParams params = QueryParams.of(request, PARAMS);
        UUID taskId = params.uuid("taskId", "a task id");
        String type = params.single("type");
        Instant from = params.instant("from");
        Instant to = params.instant("to");
        int limit = params.integer("limit", 1, 200, 50);
        String cursor = params.single("cursor");
        params.throwIfInvalid();
        String binding = user + "|" + taskId + "|" + type + "|" + from + "|" + to;
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
        QueryParams params = QueryParams.of(request, Set.of("from", "to", "bucket"));
        Instant from = params.instant("from");
        Instant to = params.instant("to");
        String bucket = params.oneOf("bucket", List.of("day", "week"), "day");
        if (from == null && !params.hasError("from")) {
            params.error("from", "is required");
        }
        if (to == null && !params.hasError("to")) {
            params.error("to", "is required");
        }
        if (from != null && to != null && (!to.isAfter(from) || to.isAfter(from.plus(java.time.Duration.ofDays(3660))))) {
            params.error("to", "must be after from and at most ten years later");
        }
        params.throwIfInvalid();
        ActivityService.Completed completed = activity.completed(user, from, to, bucket);
        List<Map<String, Object>> out = completed.items().stream()
                .map(d -> Map.<String, Object>of("start", d.start(), "completed", d.completed())).toList();
        String zone = completed.timeZone();
        return Map.of("timeZone", zone, "bucket", bucket, "items", out);
    }
}
