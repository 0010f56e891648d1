package dev.todo.events;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonFormat;
import io.micronaut.context.BeanProvider;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Events a consumer gave up on. Recorded in the database, where they can be listed and replayed
 * from any instance; a copy also goes to the topic's dead-letter topic when the transport has one.
 */
@Singleton
public class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    static final EventFormat FORMAT = new JsonFormat();
    static final String CHANNEL = "todo_dead_letters";

    private final Wakeups wakeups;
    private final JdbcOperations jdbc;
    private final BeanProvider<EventTransport> transport;

    public DeadLetters(JdbcOperations jdbc, BeanProvider<EventTransport> transport, Wakeups wakeups) {
        this.jdbc = jdbc;
        this.wakeups = wakeups;
        this.transport = transport;
    }

    public record DeadLetter(UUID id, String consumer, String topic, UUID eventId, String eventType, String error,
                             int attempts, OffsetDateTime failedAt, OffsetDateTime replayRequestedAt,
                             OffsetDateTime replayedAt, String event) {

        public CloudEvent cloudEvent() {
            return FORMAT.deserialize(event.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Transactional
    public void record(String consumer, String topic, CloudEvent event, String error, int attempts) {
        String json = new String(FORMAT.serialize(event), StandardCharsets.UTF_8);
        jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into dead_letters (id, consumer, topic, event_id, event_type,"
                    + " event, error, attempts, failed_at) values (?, ?, ?, ?, ?, cast(? as jsonb), ?, ?, clock_timestamp())"
                    + " on conflict (consumer, event_id) do update set error = excluded.error,"
                    + " attempts = dead_letters.attempts + excluded.attempts, failed_at = excluded.failed_at,"
                    + " replay_requested_at = null, replayed_at = null")) {
                ps.setObject(1, UUID.randomUUID());
                ps.setString(2, consumer);
                ps.setString(3, topic);
                ps.setObject(4, UUID.fromString(event.getId()));
                ps.setString(5, event.getType());
                ps.setString(6, json);
                ps.setString(7, error);
                ps.setInt(8, attempts);
                return ps.executeUpdate();
            }
        });
        LOG.error("Dead-lettered {} {} for {} after {} attempts: {}", event.getType(), event.getId(), consumer, attempts, error);
        try {
            transport.get().publishDeadLetter(topic, event, consumer, error);
        } catch (RuntimeException e) {
            LOG.warn("Could not copy dead letter {} to the dead-letter topic of {}; it is kept in the database", event.getId(), topic, e);
        }
    }

    private static final String COLUMNS = "id, consumer, topic, event_id, event_type, error, attempts, failed_at,"
            + " replay_requested_at, replayed_at, event::text";

    private static DeadLetter row(ResultSet rs) throws java.sql.SQLException {
        return new DeadLetter(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getObject(4, UUID.class),
                rs.getString(5), rs.getString(6), rs.getInt(7), rs.getObject(8, OffsetDateTime.class),
                rs.getObject(9, OffsetDateTime.class), rs.getObject(10, OffsetDateTime.class), rs.getString(11));
    }

    /** Newest first; {@code open} only those not replayed successfully; keyset after (failedAt, id). */
    @Transactional(readOnly = true)
    public List<DeadLetter> list(String consumer, boolean open, OffsetDateTime beforeTime, UUID beforeId, int limit) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from dead_letters where true");
        List<Object> args = new ArrayList<>();
        if (consumer != null) {
            sql.append(" and consumer = ?");
            args.add(consumer);
        }
        if (open) {
            sql.append(" and replayed_at is null");
        }
        if (beforeTime != null) {
            sql.append(" and (failed_at, id) < (?, ?)");
            args.add(beforeTime);
            args.add(beforeId);
        }
        sql.append(" order by failed_at desc, id desc limit ?");
        args.add(limit);
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                List<DeadLetter> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs));
                    }
                }
                return out;
            }
        });
    }

    @Transactional(readOnly = true)
    public Optional<DeadLetter> find(UUID id) {
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from dead_letters where id = ?")) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Asks the workers to run the consumer on the event again; false if it was already replayed. */
    @Transactional
    public boolean requestReplay(UUID id) {
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("update dead_letters set replay_requested_at = clock_timestamp()"
                    + " where id = ? and replayed_at is null")) {
                ps.setObject(1, id);
                boolean requested = ps.executeUpdate() == 1;
                if (requested) {
                    wakeups.afterCommit(CHANNEL);
                }
                return requested;
            }
        });
    }
}
