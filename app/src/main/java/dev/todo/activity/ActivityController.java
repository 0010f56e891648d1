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

    private final JdbcOperations jdbc;
    private final ObjectMapper mapper;
    private final Cursor cursors;

    public ActivityController(JdbcOperations jdbc, ObjectMapper mapper, @Value("${todo.auth.jwt-secret}") String secret) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.cursors = new Cursor(Cursor.key(secret, "activity-cursor"), mapper);
    }

    public record Entry(UUID id, UUID taskId, String type, Instant time, JsonNode data) {
    }

    @Get("/activity")
    @Transactional(readOnly = true)
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

        StringBuilder sql = new StringBuilder("select id, task_id, type, time, data::text, time::text as time_key from activity where user_id = ?");
        List<Object> args = new ArrayList<>(List.of(user));
        if (taskId != null) {
            sql.append(" and task_id = ?");
            args.add(taskId);
        }
        if (type != null) {
            sql.append(" and type = ?");
            args.add(type);
        }
        if (from != null) {
            sql.append(" and time >= ?");
            args.add(from.atOffset(ZoneOffset.UTC));
        }
        if (to != null) {
            sql.append(" and time < ?");
            args.add(to.atOffset(ZoneOffset.UTC));
        }
        if (after != null) {
            sql.append(" and (time, id) < (cast(? as timestamptz), cast(? as uuid))");
            args.add(after.get(0));
            args.add(after.get(1));
        }
        sql.append(" order by time desc, id desc limit ?");
        args.add(limit + 1);
        List<Entry> items = new ArrayList<>();
        List<List<String>> keys = new ArrayList<>();
        jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        UUID id = rs.getObject(1, UUID.class);
                        items.add(new Entry(id, rs.getObject(2, UUID.class), rs.getString(3),
                                rs.getObject(4, OffsetDateTime.class).toInstant(), mapper.readTree(rs.getString(5))));
                        keys.add(List.of(rs.getString(6), id.toString()));
                    }
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
                return null;
            }
        });
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

    /**
     * Completions per local day or week: one pass over the range's completions grouped by bucket,
     * joined to the zero-filled series of buckets (a count per bucket scanned the range once per
     * bucket: quadratic in the range).
     */
    static final String COMPLETED_SQL = "with buckets as (select generate_series(date_trunc(?, cast(? as timestamptz) at time zone ?),"
            + " date_trunc(?, cast(? as timestamptz) at time zone ?), cast('1 ' || ? as interval)) as b),"
            + " counts as (select date_trunc(?, a.time at time zone ?) as b, count(*) as n from activity a"
            + " where a.user_id = ? and a.type = 'task.completed' and a.time >= ? and a.time < ? group by 1)"
            + " select buckets.b::date::text, coalesce(counts.n, 0) from buckets left join counts using (b) order by buckets.b";

    /** Completed tasks per day or week, in the user's time zone, zero-filled. */
    @Get("/stats/completed")
    @Transactional(readOnly = true)
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
        String zone = jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("select time_zone from users where id = ?")) {
                ps.setObject(1, user);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : "UTC";
                }
            }
        });
        List<Map<String, Object>> out = new ArrayList<>();
        jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement(COMPLETED_SQL)) {
                Object[] args = {bucket, from.atOffset(ZoneOffset.UTC), zone, bucket, to.minusNanos(1000).atOffset(ZoneOffset.UTC), zone,
                        bucket, bucket, zone, user, from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC)};
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(Map.of("start", rs.getString(1), "completed", rs.getLong(2)));
                    }
                }
                return null;
            }
        });
        return Map.of("timeZone", zone, "bucket", bucket, "items", out);
    }
}
