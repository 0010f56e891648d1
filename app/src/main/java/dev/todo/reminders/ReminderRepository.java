package dev.todo.reminders;

import dev.todo.events.Wakeups;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A task's reminders, written in the task's transaction. A write that makes a reminder pending
 * wakes the scheduler after the commit, so it waits for the new first firing time.
 */
@Singleton
public class ReminderRepository {

    /** The channel the scheduler waits on. */
    static final String CHANNEL = "todo_reminders";

    private final JdbcOperations jdbc;
    private final Wakeups wakeups;

    public ReminderRepository(JdbcOperations jdbc, Wakeups wakeups) {
        this.jdbc = jdbc;
        this.wakeups = wakeups;
    }

    public List<Reminder> replace(UUID userId, UUID taskId, List<Reminder.Spec> specs, Instant due) {
        update("delete from reminders where task_id = ?", taskId);
        if (specs.isEmpty()) {
            return List.of();
        }
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into reminders (id, task_id, user_id, position, before_seconds,"
                    + " at, fire_at) values (?, ?, ?, ?, ?, ?, ?)")) {
                List<Reminder> out = new ArrayList<>();
                for (int i = 0; i < specs.size(); i++) {
                    Reminder.Spec s = specs.get(i);
                    UUID id = UUID.randomUUID();
                    ps.setObject(1, id);
                    ps.setObject(2, taskId);
                    ps.setObject(3, userId);
                    ps.setShort(4, (short) i);
                    ps.setObject(5, s.before() == null ? null : s.before().getSeconds());
                    ps.setObject(6, utc(s.at()));
                    ps.setObject(7, utc(s.fireAt(due)));
                    ps.addBatch();
                    out.add(new Reminder(id, s.before(), s.at(), s.fireAt(due), "pending", null, false));
                }
                ps.executeBatch();
                wakeups.afterCommit(CHANNEL);
                return out;
            }
        });
    }

    /** Relative reminders follow a new due date (none fire while there is no due date). */
    public void moveRelative(UUID taskId, Instant due) {
        pending("update reminders set fire_at = cast(? as timestamptz) - make_interval(secs => before_seconds),"
                + " status = 'pending', fired_at = null, late = false"
                + " where task_id = ? and before_seconds is not null and status <> 'cancelled'", utc(due), taskId);
    }

    public void cancelPending(UUID taskId) {
        update("update reminders set status = 'cancelled' where task_id = ? and status = 'pending'", taskId);
    }

    /** A reopened task's cancelled reminders that have not come due yet are pending again. */
    public void restore(UUID taskId) {
        pending("update reminders set status = 'pending' where task_id = ? and status = 'cancelled' and fire_at > now()", taskId);
    }

    /**
     * A query for a statement over tasks: one row ({@code task_id}, {@code reminder_rows}) for each task
     * among those {@code taskIds} (an SQL query of task ids) selects that has reminders, its reminders in
     * order as JSON, read by {@link #fromJson}. A page of tasks joins it to its rows: one scan of the
     * reminders for the whole page, not a subquery per task.
     */
    public static String ofTasks(String taskIds) {
        return "select r.task_id, json_agg(json_build_array(r.id, r.before_seconds, r.at, r.fire_at, r.status,"
                + " r.fired_at, r.late) order by r.position) as reminder_rows from reminders r where r.task_id in ("
                + taskIds + ") group by r.task_id";
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** The reminders of a task from its {@link #ofTasks} row. */
    public static List<Reminder> fromJson(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            List<Reminder> out = new ArrayList<>();
            for (com.fasterxml.jackson.databind.JsonNode r : JSON.readTree(json)) {
                out.add(new Reminder(UUID.fromString(r.get(0).asText()),
                        r.get(1).isNull() ? null : Duration.ofSeconds(r.get(1).asLong()),
                        timestamp(r.get(2)), timestamp(r.get(3)), r.get(4).asText(), timestamp(r.get(5)), r.get(6).asBoolean()));
            }
            return out;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("reminders column is not the JSON it should be", e);
        }
    }

    private static Instant timestamp(com.fasterxml.jackson.databind.JsonNode n) {
        return n == null || n.isNull() ? null : OffsetDateTime.parse(n.asText()).toInstant();
    }

    /** The task's reminders in order, read through the same query a page of tasks joins ({@link #ofTasks}). */
    public List<Reminder> forTask(UUID taskId) {
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("select reminder_rows from (" + ofTasks("cast(? as uuid)") + ") x")) {
                ps.setObject(1, taskId);
                try (ResultSet rs = ps.executeQuery()) {
                    return fromJson(rs.next() ? rs.getString(1) : null);
                }
            }
        });
    }

    /** Snoozed: the reminder fires again {@code period} from now. */
    public void snooze(UUID reminderId, Duration period) {
        pending("update reminders set status = 'pending', fired_at = null, late = false,"
                + " fire_at = date_trunc('milliseconds', clock_timestamp()) + make_interval(secs => ?) where id = ?",
                period.toMillis() / 1000.0, reminderId);
    }

    /** An update that can make reminders pending: the scheduler looks again after the commit. */
    private void pending(String sql, Object... params) {
        if (update(sql, params) > 0) {
            wakeups.afterCommit(CHANNEL);
        }
    }

    private int update(String sql, Object... params) {
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                return ps.executeUpdate();
            }
        });
    }

    static OffsetDateTime utc(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime v = rs.getObject(column, OffsetDateTime.class);
        return v == null ? null : v.toInstant();
    }
}
