package dev.todo.events;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;

/**
 * Keeps the event tables from growing without end: published outbox rows go after
 * {@code todo.events.outbox-retention} (they serve live-stream replay until then), processed-event
 * records after {@code todo.events.processed-retention}, which should exceed the broker's retention so
 * a redelivery is still recognised; and every feature table that is {@link Retained} (activity,
 * webhook deliveries, notifications, dead letters) after its own retention, with its own statement.
 * Deletes in chunks so no statement holds locks for long.
 */
@Singleton
@Requires(property = "todo.roles", pattern = Roles.WORKER)
public class EventHousekeeping {

    private static final Logger LOG = LoggerFactory.getLogger(EventHousekeeping.class);
    static final int CHUNK = 5_000;

    private final TransactionOperations<Connection> tx;
    private final Duration outboxRetention;
    private final Duration processedRetention;
    private final java.util.List<Retained> retained;

    public EventHousekeeping(TransactionOperations<Connection> tx, java.util.List<Retained> retained,
                             @Value("${todo.events.outbox-retention:7d}") Duration outboxRetention,
                             @Value("${todo.events.processed-retention:30d}") Duration processedRetention) {
        this.tx = tx;
        this.retained = java.util.List.copyOf(retained);
        this.outboxRetention = outboxRetention;
        this.processedRetention = processedRetention;
    }

    @Scheduled(fixedDelay = "${todo.events.housekeeping-interval:10m}", initialDelay = "1m")
    public void run() {
        long outbox = deleteAll("delete from outbox where seq in (select seq from outbox where published_at < now() - ?::interval"
                + " order by seq limit " + CHUNK + ")", outboxRetention);
        long processed = deleteAll("delete from processed_events where ctid in (select ctid from processed_events"
                + " where processed_at < now() - ?::interval limit " + CHUNK + ")", processedRetention);
        if (outbox + processed > 0) {
            LOG.info("Removed {} published outbox rows and {} processed-event records past their retention", outbox, processed);
        }
        for (Retained r : retained) {
            if (r.retention().isNegative() || r.retention().isZero()) {
                continue;
            }
            long n = deleteAll(r.deleteChunk() + "", r.retention(), true);
            if (n > 0) {
                LOG.info("Removed {} {} older than {}", n, r.what(), r.retention());
            }
        }
    }

    private long deleteAll(String sql, Duration age, boolean limitParameter) {
        long total = 0;
        int n;
        do {
            n = tx.executeWrite(status -> {
                try (PreparedStatement ps = status.getConnection().prepareStatement(sql)) {
                    ps.setString(1, age.toSeconds() + " seconds");
                    ps.setInt(2, CHUNK);
                    return ps.executeUpdate();
                }
            });
            total += n;
        } while (n == CHUNK);
        return total;
    }

    private long deleteAll(String sql, Duration age) {
        long total = 0;
        int n;
        do {
            n = deleteChunk(sql, age);
            total += n;
        } while (n == CHUNK);
        return total;
    }

    /** One chunk, one transaction. */
    private int deleteChunk(String sql, Duration age) {
        return tx.executeWrite(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement(sql)) {
                ps.setString(1, age.toSeconds() + " seconds");
                return ps.executeUpdate();
            }
        });
    }
}
