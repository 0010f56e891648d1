package dev.todo.activity;

import dev.todo.events.BatchEventConsumer;
import dev.todo.events.Outbox;
import dev.todo.events.ProcessedEvents;
import dev.todo.events.Roles;
import dev.todo.events.Events;
import io.cloudevents.CloudEvent;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Writes every task and reminder event to the activity log. Idempotent: the event id is recorded
 * in processed_events in the same transaction as the activity row, so a redelivery adds nothing.
 */
@Singleton
@Requires(property = "todo.roles", pattern = Roles.WORKER)
public class ActivityConsumer implements BatchEventConsumer {

    static final String NAME = "activity";

    private final JdbcOperations jdbc;
    private final ProcessedEvents processed;
    private final Set<String> topics;

    public ActivityConsumer(JdbcOperations jdbc, ProcessedEvents processed, Outbox.Topics topics) {
        this.jdbc = jdbc;
        this.processed = processed;
        this.topics = Set.of(topics.taskEvents(), topics.reminders());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> topics() {
        return topics;
    }

    @Override
    @Transactional
    public void handle(CloudEvent event) {
        record(event);
    }

    /**
     * The bulk path: one transaction claims the events and writes the activity rows of those not
     * processed before, with two statements whatever the number of events.
     */
    @Override
    @Transactional
    public void handleAll(List<CloudEvent> events) {
        int n = events.size();
        UUID[] ids = new UUID[n];
        UUID[] users = new UUID[n];
        UUID[] tasks = new UUID[n];
        String[] types = new String[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        String[] data = new String[n];
        for (int i = 0; i < n; i++) {
            CloudEvent e = events.get(i);
            ids[i] = UUID.fromString(e.getId());
            users[i] = Events.userId(e);
            tasks[i] = e.getSubject() == null ? null : UUID.fromString(e.getSubject());
            types[i] = Events.name(e);
            times[i] = e.getTime();
            data[i] = e.getData() == null ? "{}" : new String(e.getData().toBytes(), StandardCharsets.UTF_8);
        }
        jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("with e as (select * from unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::text[],"
                    + " ?::timestamptz[], ?::text[]) as x(event_id, user_id, task_id, type, time, data)),"
                    + " claimed as (insert into processed_events (consumer, event_id) select ?, event_id from e"
                    + " on conflict do nothing returning event_id)"
                    + " insert into activity (id, event_id, user_id, task_id, type, time, data)"
                    + " select gen_random_uuid(), e.event_id, e.user_id, e.task_id, e.type, e.time, e.data::jsonb"
                    + " from e join claimed using (event_id) on conflict (event_id) do nothing")) {
                ps.setArray(1, c.createArrayOf("uuid", ids));
                ps.setArray(2, c.createArrayOf("uuid", users));
                ps.setArray(3, c.createArrayOf("uuid", tasks));
                ps.setArray(4, c.createArrayOf("text", types));
                ps.setArray(5, c.createArrayOf("timestamptz", times));
                ps.setArray(6, c.createArrayOf("text", data));
                ps.setString(7, NAME);
                return ps.executeUpdate();
            }
        });
    }

    /** Returns false when the event had been processed before. */
    @Transactional
    public boolean record(CloudEvent event) {
        if (!processed.claim(NAME, event)) {
            return false;
        }
        UUID id = UUID.fromString(event.getId());
        String type = Events.name(event);
        UUID user = Events.userId(event);
        jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into activity (id, event_id, user_id, task_id, type, time, data)"
                    + " values (?, ?, ?, ?, ?, ?, cast(? as jsonb)) on conflict (event_id) do nothing")) {
                ps.setObject(1, UUID.randomUUID());
                ps.setObject(2, id);
                ps.setObject(3, user);
                ps.setObject(4, event.getSubject() == null ? null : UUID.fromString(event.getSubject()));
                ps.setString(5, type);
                ps.setObject(6, event.getTime());
                ps.setString(7, event.getData() == null ? "{}" : new String(event.getData().toBytes(), StandardCharsets.UTF_8));
                return ps.executeUpdate();
            }
        });
        return true;
    }
}
