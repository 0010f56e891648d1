package dev.todo.activity;

import dev.todo.events.EventConsumer;
import dev.todo.events.Outbox;
import dev.todo.events.ProcessedEvents;
import dev.todo.events.Roles;
import io.cloudevents.CloudEvent;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.util.Set;
import java.util.UUID;

/**
 * Writes every task and reminder event to the activity log. Idempotent: the event id is recorded
 * in processed_events in the same transaction as the activity row, so a redelivery adds nothing.
 */
@Singleton
@Requires(property = "todo.roles", pattern = Roles.WORKER)
public class ActivityConsumer implements EventConsumer {

    static final String NAME = "activity";
    static final String PREFIX = "dev.todo.";

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

    /** Returns false when the event had been processed before. */
    @Transactional
    public boolean record(CloudEvent event) {
        if (!processed.claim(NAME, event)) {
            return false;
        }
        UUID id = UUID.fromString(event.getId());
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
