package dev.todo.activity;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The activity log's queries, for the API and the web UI alike. */
@Singleton
public class ActivityService {

    private final JdbcOperations jdbc;
    private final ObjectMapper mapper;

    public ActivityService(JdbcOperations jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    /** Entries newest first, with each one's keyset position ({@code time}, {@code id}) for a cursor. */
    public record Page(List<ActivityController.Entry> items, List<List<String>> keys) {
    }

    public record Day(String start, long completed) {
    }

    public record Completed(String timeZone, List<Day> items) {
    }

    /** Up to {@code limit} entries after the position {@code after} (null: from the newest), filtered by what is not null. */
    @Transactional(readOnly = true)
    public Page page(UUID user, UUID taskId, String type, Instant from, Instant to, List<String> after, int limit) {
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
        args.add(limit);
        List<ActivityController.Entry> items = new ArrayList<>();
        List<List<String>> keys = new ArrayList<>();
        jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        UUID id = rs.getObject(1, UUID.class);
                        items.add(new ActivityController.Entry(id, rs.getObject(2, UUID.class), rs.getString(3),
                                rs.getObject(4, OffsetDateTime.class).toInstant(), mapper.readTree(rs.getString(5))));
                        keys.add(List.of(rs.getString(6), id.toString()));
                    }
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
                return null;
            }
        });
        return new Page(items, keys);
    }

    /** Completed tasks per day or week in [from, to), in the user's time zone, zero-filled. */
    @Transactional(readOnly = true)
    public Completed completed(UUID user, Instant from, Instant to, String bucket) {
        String zone = jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("select time_zone from users where id = ?")) {
                ps.setObject(1, user);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : "UTC";
                }
            }
        });
        String sql = "with buckets as (select generate_series(date_trunc(?, cast(? as timestamptz) at time zone ?),"
                + " date_trunc(?, cast(? as timestamptz) at time zone ?), cast('1 ' || ? as interval)) as b)"
                + " select b::date::text, (select count(*) from activity a where a.user_id = ? and a.type = 'task.completed'"
                + " and a.time >= ? and a.time < ? and date_trunc(?, a.time at time zone ?) = b) from buckets order by b";
        List<Day> out = new ArrayList<>();
        jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                Object[] args = {bucket, from.atOffset(ZoneOffset.UTC), zone, bucket, to.minusNanos(1000).atOffset(ZoneOffset.UTC), zone,
                        bucket, user, from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC), bucket, zone};
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Day(rs.getString(1), rs.getLong(2)));
                    }
                }
                return null;
            }
        });
        return new Completed(zone, out);
    }
}
