package dev.todo.reminders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.todo.events.BatchEventConsumer;
import dev.todo.events.Outbox;
import dev.todo.events.ProcessedEvents;
import dev.todo.events.Roles;
import dev.todo.events.Events;
import io.cloudevents.CloudEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Turns {@code reminder.due} into the in-app notification. Idempotent twice over: the event is
 * claimed in processed_events in the notification's transaction, and the notification is unique by
 * its id (chosen by the scheduler, carried in the event) and by reminder and firing time.
 * <p>
 * When the task was deleted after its reminder fired, no notification is created: it would have
 * been deleted with the task. When only the reminder is gone (the task's reminders were replaced),
 * the notification is created without a link to it, as a notification outliving its reminder is.
 */
@Singleton
@Requires(property = "todo.roles", pattern = Roles.WORKER)
public class NotifierConsumer implements BatchEventConsumer {

    static final String NAME = "notifier";
    static final String TYPE = "dev.todo.reminder.due";

    private final JdbcOperations jdbc;
    private final Outbox outbox;
    private final ProcessedEvents processed;
    private final ObjectMapper mapper;
    private final Set<String> topics;
    private final Timer lateness;

    public NotifierConsumer(JdbcOperations jdbc, Outbox outbox, ProcessedEvents processed, ObjectMapper mapper, Outbox.Topics topics,
                            MeterRegistry meters) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.processed = processed;
        this.mapper = mapper;
        this.topics = Set.of(topics.reminders());
        this.lateness = Timer.builder("todo.notifications.lateness")
                .description("Notification created minus its reminder's fireAt").publishPercentileHistogram().register(meters);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> topics() {
        return topics;
    }

    /** What a reminder.due event says; everything the notification needs. */
    record Due(UUID notificationId, UUID reminderId, UUID taskId, UUID userId, String title, Instant fireAt, Instant firedAt,
               boolean late) {

        static Due of(CloudEvent event, ObjectMapper mapper) throws IOException {
            JsonNode d = mapper.readTree(event.getData().toBytes());
            return new Due(uuid(d, "notificationId"), uuid(d, "reminderId"), uuid(d, "taskId"),
                    Events.userId(event), required(d, "title").asText(),
                    OffsetDateTime.parse(required(d, "fireAt").asText()).toInstant(),
                    OffsetDateTime.parse(required(d, "firedAt").asText()).toInstant(), d.path("late").asBoolean(false));
        }

        private static UUID uuid(JsonNode d, String field) {
            return UUID.fromString(required(d, field).asText());
        }

        private static JsonNode required(JsonNode d, String field) {
            JsonNode v = d.path(field);
            if (v.isMissingNode() || v.isNull()) {
                throw new IllegalArgumentException("reminder.due without " + field);
            }
            return v;
        }
    }

    @Override
    @Transactional
    public void handle(CloudEvent event) throws IOException {
        handleAll(List.of(event)); // one statement, one or many events
    }

    /**
     * A burst of reminders (many due in the same second): one statement claims the events and
     * creates their notifications, with the same rules as one at a time.
     */
    @Override
    @Transactional
    public void handleAll(List<CloudEvent> events) throws IOException {
        List<CloudEvent> due = events.stream().filter(e -> TYPE.equals(e.getType())).toList();
        if (due.isEmpty()) {
            return;
        }
        int n = due.size();
        UUID[] eventIds = new UUID[n];
        UUID[] ids = new UUID[n];
        UUID[] reminders = new UUID[n];
        UUID[] tasks = new UUID[n];
        UUID[] users = new UUID[n];
        String[] titles = new String[n];
        OffsetDateTime[] fireAt = new OffsetDateTime[n];
        OffsetDateTime[] firedAt = new OffsetDateTime[n];
        Boolean[] late = new Boolean[n];
        for (int i = 0; i < n; i++) {
            Due d = Due.of(due.get(i), mapper);
            eventIds[i] = UUID.fromString(due.get(i).getId());
            ids[i] = d.notificationId();
            reminders[i] = d.reminderId();
            tasks[i] = d.taskId();
            users[i] = d.userId();
            titles[i] = d.title();
            fireAt[i] = ReminderRepository.utc(d.fireAt());
            firedAt[i] = ReminderRepository.utc(d.firedAt());
            late[i] = d.late();
        }
        jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("with e as (select * from unnest(?::uuid[], ?::uuid[], ?::uuid[],"
                    + " ?::uuid[], ?::uuid[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::boolean[])"
                    + " as x(event_id, id, reminder_id, task_id, user_id, title, fire_at, fired_at, late)),"
                    + " claimed as (insert into processed_events (consumer, event_id) select ?, event_id from e"
                    + " on conflict do nothing returning event_id)"
                    + " insert into notifications (id, user_id, task_id, reminder_id, title, fire_at, fired_at, late, created_at)"
                    + " select e.id, t.user_id, t.id, r.id, e.title, e.fire_at, e.fired_at, e.late, clock_timestamp()"
                    + " from e join claimed using (event_id) join tasks t on t.id = e.task_id and t.user_id = e.user_id"
                    + " left join reminders r on r.id = e.reminder_id"
                    + " on conflict do nothing returning fire_at, created_at, id, user_id, task_id, title, fired_at, late")) {
                ps.setArray(1, c.createArrayOf("uuid", eventIds));
                ps.setArray(2, c.createArrayOf("uuid", ids));
                ps.setArray(3, c.createArrayOf("uuid", reminders));
                ps.setArray(4, c.createArrayOf("uuid", tasks));
                ps.setArray(5, c.createArrayOf("uuid", users));
                ps.setArray(6, c.createArrayOf("text", titles));
                ps.setArray(7, c.createArrayOf("timestamptz", fireAt));
                ps.setArray(8, c.createArrayOf("timestamptz", firedAt));
                ps.setArray(9, c.createArrayOf("boolean", late));
                ps.setString(10, NAME);
                List<NotificationService.Notification> created = new java.util.ArrayList<>();
                List<UUID> owners = new java.util.ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        OffsetDateTime fire = rs.getObject(1, OffsetDateTime.class);
                        lateness.record(Duration.between(fire, rs.getObject(2, OffsetDateTime.class)).abs());
                        created.add(new NotificationService.Notification(rs.getObject(3, UUID.class), rs.getObject(5, UUID.class),
                                rs.getString(6), fire.toInstant(), rs.getObject(7, OffsetDateTime.class).toInstant(), false,
                                rs.getBoolean(8), null));
                        owners.add(rs.getObject(4, UUID.class));
                    }
                }
                // in the same transaction: the user's open pages learn of it through the live stream
                for (int i = 0; i < created.size(); i++) {
                    NotificationService.Notification made = created.get(i);
                    outbox.notification("notification.created", made.taskId(), owners.get(i), java.util.Map.of("notification", made.view()));
                }
                return null;
            }
        });
    }
}
