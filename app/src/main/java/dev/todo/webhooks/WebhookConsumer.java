package dev.todo.webhooks;

import dev.todo.events.BatchEventConsumer;
import dev.todo.events.Outbox;
import dev.todo.events.Roles;
import dev.todo.events.Events;
import dev.todo.events.Wakeups;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonFormat;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Turns each task and reminder event into one pending delivery per webhook of the event's user that
 * asked for it. Only database work, one statement: a delivery is unique per webhook and event, so a
 * redelivered event adds nothing, and an event no webhook wants costs no write at all (no
 * processed-events record is needed). The {@link WebhookSender} does the HTTP later.
 */
@Singleton
@Requires(property = "todo.roles", pattern = Roles.WORKER)
public class WebhookConsumer implements BatchEventConsumer {

    static final String NAME = "webhooks";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookConsumer.class);
    private static final EventFormat FORMAT = new JsonFormat();

    private final Wakeups wakeups;
    private final JdbcOperations jdbc;
    private final Set<String> topics;

    public WebhookConsumer(JdbcOperations jdbc, Outbox.Topics topics, Wakeups wakeups) {
        this.jdbc = jdbc;
        this.wakeups = wakeups;
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
        enqueue(event);
    }

    /** Returns how many deliveries it queued; 0 as well when the event had been handled before. */
    @Transactional
    public int enqueue(CloudEvent event) {
        return enqueue(List.of(event));
    }

    /** Events that arrived together: one statement for all of them. */
    @Override
    @Transactional
    public void handleAll(List<CloudEvent> events) {
        enqueue(events);
    }

    /** One statement for any number of events; returns how many deliveries it queued. */
    private int enqueue(List<CloudEvent> events) {
        List<UUID> ids = new java.util.ArrayList<>();
        List<String> names = new java.util.ArrayList<>();
        List<String> payloads = new java.util.ArrayList<>();
        List<UUID> users = new java.util.ArrayList<>();
        for (CloudEvent event : events) {
            UUID user;
            try {
                user = Events.userId(event);
            } catch (IllegalArgumentException e) {
                LOG.warn("{} {} has no valid userid extension; no webhook can want it", event.getType(), event.getId());
                continue;
            }
            ids.add(UUID.fromString(event.getId()));
            names.add(Events.name(event));
            payloads.add(new String(FORMAT.serialize(event), StandardCharsets.UTF_8));
            users.add(user);
        }
        if (ids.isEmpty()) {
            return 0;
        }
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into webhook_deliveries"
                    + " (id, webhook_id, event_id, event_type, payload, next_attempt_at, created_at)"
                    // created_at follows the events' order (lists page on it): one instant for the statement
                    // plus the event's position, whatever order the join produces the rows in
                    + " select gen_random_uuid(), w.id, e.event_id, e.name, e.payload, b.t, b.t + e.ord * interval '1 microsecond'"
                    + " from (select clock_timestamp() as t) b,"
                    + " unnest(?::uuid[], ?::text[], ?::text[], ?::uuid[]) with ordinality as e(event_id, name, payload, user_id, ord)"
                    + " join webhooks w on w.user_id = e.user_id and (e.name = any(w.events) or '*' = any(w.events))"
                    + " on conflict (webhook_id, event_id) do nothing")) {
                ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
                ps.setArray(2, c.createArrayOf("text", names.toArray()));
                ps.setArray(3, c.createArrayOf("text", payloads.toArray()));
                ps.setArray(4, c.createArrayOf("uuid", users.toArray()));
                int queued = ps.executeUpdate();
                if (queued > 0) {
                    wakeups.afterCommit(WebhookService.CHANNEL); // the sender looks once they are committed
                }
                return queued;
            }
        });
    }
}
