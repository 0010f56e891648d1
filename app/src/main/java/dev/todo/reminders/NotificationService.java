package dev.todo.reminders;

import dev.todo.events.Outbox;
import dev.todo.web.ApiException;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.http.HttpStatus;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The in-app notifications reminders produce. */
@Singleton
public class NotificationService {

    private static final String COLUMNS = "id, task_id, title, fire_at, fired_at, read, late, reminder_id";

    private final JdbcOperations jdbc;
    private final Outbox outbox;
    private final ReminderRepository reminders;

    public NotificationService(JdbcOperations jdbc, Outbox outbox, ReminderRepository reminders) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.reminders = reminders;
    }

    public record Notification(UUID id, UUID taskId, String title, Instant fireAt, Instant firedAt, boolean read, boolean late,
                               UUID reminderId) {
        public View view() {
            return new View(id, taskId, title, fireAt, firedAt, read, late);
        }
    }

    public record View(UUID id, UUID taskId, String title, Instant fireAt, Instant firedAt, boolean read, boolean late) {
    }

    @Transactional(readOnly = true)
    public List<Notification> list(UUID userId, boolean unreadOnly, int limit) {
        return query("select " + COLUMNS + " from notifications where user_id = ?" + (unreadOnly ? " and not read" : "")
                + " order by fired_at desc, id limit ?", userId, limit);
    }

    @Transactional(readOnly = true)
    public int unreadCount(UUID userId) {
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("select count(*) from notifications where user_id = ? and not read")) {
                ps.setObject(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    @Transactional
    public Notification markRead(UUID userId, UUID id) {
        List<Notification> before = query("select " + COLUMNS + " from notifications where id = ? and user_id = ? for update", id, userId);
        if (before.isEmpty()) {
            throw ApiException.notFound("The notification");
        }
        if (before.get(0).read()) {
            return before.get(0);
        }
        Notification n = query("update notifications set read = true where id = ? and user_id = ? returning " + COLUMNS, id, userId).get(0);
        outbox.notification("notification.read", n.taskId() != null ? n.taskId() : n.id(), userId, java.util.Map.of("notification", n.view()));
        return n;
    }

    /** Marks it read and sets its reminder to fire again after {@code period}. */
    @Transactional
    public Notification snooze(UUID userId, UUID id, Duration period) {
        Notification n = markRead(userId, id);
        if (n.reminderId() == null) {
            throw new ApiException(HttpStatus.CONFLICT, "reminder-gone", "Reminder removed",
                    "The reminder behind this notification no longer exists, so it cannot fire again.", List.of());
        }
        reminders.snooze(n.reminderId(), period);
        return n;
    }

    private List<Notification> query(String sql, Object... params) {
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                List<Notification> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(map(rs));
                    }
                }
                return out;
            }
        });
    }

    private static Notification map(ResultSet rs) throws SQLException {
        return new Notification(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                ReminderRepository.instant(rs, 4), ReminderRepository.instant(rs, 5), rs.getBoolean(6), rs.getBoolean(7),
                rs.getObject(8, UUID.class));
    }
}
