package dev.todo.activity;

import dev.todo.events.EventTransport;
import dev.todo.events.Outbox;
import io.cloudevents.CloudEvent;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.util.UUID;

/**
 * Writes every task and reminder event to the activity log. Idempotent: the event id is recorded
 * in processed_events in the same transaction as the activity row, so a redelivery adds nothing.
 */
@Singleton
@io.micronaut.context.annotation.Requires(property = "todo.roles", pattern = dev.todo.events.Roles.WORKER)
public class ActivityConsumer {

    static final String NAME = "activity";
    static final String PREFIX = "dev.todo.";

    private final JdbcOperations jdbc;
    private final EventTransport transport;
    private final Outbox.Topics topics;

    public ActivityConsumer(JdbcOperations jdbc, EventTransport transport, Outbox.Topics topics) {
        this.jdbc = jdbc;
        this.transport = transport;
        this.topics = topics;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        transport.subscribe(topics.taskEvents(), this::handle);
        transport.subscribe(topics.reminders(), this::handle);
    }

    /** Returns false when the event had been processed before. */
    @Transactional
    public boolean handle(CloudEvent event) {
        UUID id = UUID.fromString(event.getId());
        boolean fresh = jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into processed_events (consumer, event_id) values (?, ?) on conflict do nothing")) {
                ps.setString(1, NAME);
                ps.setObject(2, id);
                return ps.executeUpdate() == 1;
            }
        });
        if (!fresh) {
            return false;
        }
        String type = event.getType().startsWith(PREFIX) ? event.getType().substring(PREFIX.length()) : event.getType();
        Object user = event.getExtension("userid");
        jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into activity (id, event_id, user_id, task_id, type, time, data)"
                    + " values (?, ?, ?, ?, ?, ?, cast(? as jsonb)) on conflict (event_id) do nothing")) {
                ps.setObject(1, UUID.randomUUID());
                ps.setObject(2, id);
                ps.setObject(3, UUID.fromString(String.valueOf(user)));
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
