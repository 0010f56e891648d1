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
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Turns each task and reminder event into one pending delivery per webhook of the event's user that
 * asked for it. Only database work: a delivery is unique per webhook and event, so a redelivered event
 * adds nothing, and an event no webhook wants costs one lookup and no write at all (no processed-events
 * record is needed). The {@link WebhookSender} does the HTTP later.
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

    /**
     * Returns how many deliveries it queued. One statement finds the webhooks that want the events; most
     * users have none, and then that is all. Only the events some webhook wants are written out as JSON
     * and queued, by a second statement.
     */
    private int enqueue(List<CloudEvent> events) {
        List<CloudEvent> valid = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<UUID> users = new ArrayList<>();
        for (CloudEvent event : events) {
            try {
                users.add(Events.userId(event));
            } catch (IllegalArgumentException e) {
                LOG.warn("{} {} has no valid userid extension; no webhook can want it", event.getType(), event.getId());
                continue;
            }
            valid.add(event);
            names.add(Events.name(event));
        }
        if (valid.isEmpty()) {
            return 0;
        }
        return jdbc.execute(c -> {
            List<UUID> webhookIds = new ArrayList<>();
            List<Integer> positions = new ArrayList<>(); // of the event in valid, from 1
            try (PreparedStatement ps = c.prepareStatement("select e.ord, w.id"
                    + " from unnest(?::uuid[], ?::text[]) with ordinality as e(user_id, name, ord)"
                    + " join webhooks w on w.user_id = e.user_id and (e.name = any(w.events) or '*' = any(w.events))")) {
                ps.setArray(1, c.createArrayOf("uuid", users.toArray()));
                ps.setArray(2, c.createArrayOf("text", names.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        positions.add(rs.getInt(1));
                        webhookIds.add(rs.getObject(2, UUID.class));
                    }
                }
            }
            if (webhookIds.isEmpty()) {
                return 0;
            }
            Map<Integer, String> payloads = new HashMap<>();
            List<UUID> eventIds = new ArrayList<>();
            List<String> eventNames = new ArrayList<>();
            List<String> eventPayloads = new ArrayList<>();
            for (int position : positions) {
                CloudEvent event = valid.get(position - 1);
                eventIds.add(UUID.fromString(event.getId()));
                eventNames.add(names.get(position - 1));
                eventPayloads.add(payloads.computeIfAbsent(position, p -> new String(FORMAT.serialize(event), StandardCharsets.UTF_8)));
            }
            // created_at follows the events' order (lists page on it): one instant for the statement plus the
            // event's position in the batch. The instant is a materialized CTE, computed once whatever plan
            // the join gets (with a subquery in FROM, a batch's deliveries were seen in reverse order).
            try (PreparedStatement ps = c.prepareStatement("with b as materialized (select clock_timestamp() as t)"
                    + " insert into webhook_deliveries (id, webhook_id, event_id, event_type, payload, next_attempt_at, created_at)"
                    + " select gen_random_uuid(), w.id, d.event_id, d.name, d.payload, b.t, b.t + d.ord * interval '1 microsecond'"
                    + " from b,"
                    + " unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::int[]) as d(webhook_id, event_id, name, payload, ord)"
                    // a webhook deleted since the first statement gets nothing
                    + " join webhooks w on w.id = d.webhook_id"
                    + " on conflict (webhook_id, event_id) do nothing")) {
                ps.setArray(1, c.createArrayOf("uuid", webhookIds.toArray()));
                ps.setArray(2, c.createArrayOf("uuid", eventIds.toArray()));
                ps.setArray(3, c.createArrayOf("text", eventNames.toArray()));
                ps.setArray(4, c.createArrayOf("text", eventPayloads.toArray()));
                ps.setArray(5, c.createArrayOf("int4", positions.toArray()));
                int queued = ps.executeUpdate();
                if (queued > 0) {
                    wakeups.afterCommit(WebhookService.CHANNEL); // the sender looks once they are committed
                }
                return queued;
            }
        });
    }
}
