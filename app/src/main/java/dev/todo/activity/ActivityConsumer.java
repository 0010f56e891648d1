package dev.todo.activity;

import dev.todo.events.BatchEventConsumer;
import dev.todo.events.Outbox;
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
 * Writes every task and reminder event to the activity log. Idempotent by the log's own key: an
 * entry is unique by its event id, so a redelivery adds nothing. The entry is the consumer's record
 * of the event, with no claim in processed_events beside it (that was a second row, and a second
 * index entry, for every event; docs/benchmarks.md).
 */
@Singleton
@Requires(property = "todo.roles", pattern = Roles.WORKER)
public class ActivityConsumer implements BatchEventConsumer {

    static final String NAME = "activity";

    private final JdbcOperations jdbc;
    private final Set<String> topics;

    public ActivityConsumer(JdbcOperations jdbc, Outbox.Topics topics) {
        this.jdbc = jdbc;
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
     * The bulk path: one statement claims the events and writes the activity rows of those not
     * processed before, whatever the number of events.
     */
    @Override
    @Transactional
    public void handleAll(List<CloudEvent> events) {
        recordAll(events);
    }

    /** Returns false when the event had been processed before. */
    @Transactional
    public boolean record(CloudEvent event) {
        return recordAll(List.of(event)) == 1;
    }

    /** One statement for any number of events; returns how many of them had not been processed before. */
    private int recordAll(List<CloudEvent> events) {
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
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("with e as (select * from unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::text[],"
                    + " ?::timestamptz[], ?::text[]) as x(event_id, user_id, task_id, type, time, data)),"
                    + " logged as (insert into activity (id, event_id, user_id, task_id, type, time, data)"
                    + " select gen_random_uuid(), e.event_id, e.user_id, e.task_id, e.type, e.time, e.data::jsonb"
                    + " from e on conflict (event_id) do nothing returning event_id)"
                    + " select count(*) from logged")) {
                ps.setArray(1, c.createArrayOf("uuid", ids));
                ps.setArray(2, c.createArrayOf("uuid", users));
                ps.setArray(3, c.createArrayOf("uuid", tasks));
                ps.setArray(4, c.createArrayOf("text", types));
                ps.setArray(5, c.createArrayOf("timestamptz", times));
                ps.setArray(6, c.createArrayOf("text", data));
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }
}
