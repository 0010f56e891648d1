package dev.todo.events;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far the outbox relay is behind, for alerts: {@code todo_events_outbox_pending} (unpublished
 * rows, counted up to {@link #COUNT_LIMIT}) and {@code todo_events_outbox_oldest_age_seconds} (age of
 * the oldest unpublished event, 0 when none). A stalled transport shows here before anywhere else.
 * Both read the partial index on unpublished rows, so a look costs little however large the table.
 */
@Singleton
@Requires(property = "todo.roles", pattern = Roles.WORKER)
public class OutboxBacklog {

    static final int COUNT_LIMIT = 100_000;

    private final TransactionOperations<Connection> tx;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestMillis = new AtomicLong();

    public OutboxBacklog(TransactionOperations<Connection> tx, MeterRegistry meters) {
        this.tx = tx;
        Gauge.builder("todo.events.outbox.pending", pending, AtomicLong::get)
                .description("Outbox events not yet published (counted up to " + COUNT_LIMIT + ")").register(meters);
        Gauge.builder("todo.events.outbox.oldest.age", oldestMillis, m -> m.get() / 1000.0).baseUnit("seconds")
                .description("Age of the oldest unpublished outbox event; 0 when all are published").register(meters);
    }

    @Scheduled(fixedDelay = "${todo.events.backlog-interval:15s}", initialDelay = "1s")
    public void measure() {
        tx.executeRead(status -> {
            Connection c = status.getConnection();
            try (PreparedStatement ps = c.prepareStatement("select count(*) from (select 1 from outbox"
                    + " where published_at is null limit " + COUNT_LIMIT + ") unpublished");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                pending.set(rs.getLong(1));
            }
            try (PreparedStatement ps = c.prepareStatement("select time from outbox where published_at is null order by seq limit 1");
                 ResultSet rs = ps.executeQuery()) {
                oldestMillis.set(rs.next()
                        ? Math.max(0, Duration.between(rs.getObject(1, OffsetDateTime.class), OffsetDateTime.now()).toMillis())
                        : 0);
            }
            return null;
        });
    }

    /** Last measured values, for tests. */
    long pending() {
        return pending.get();
    }

    double oldestAgeSeconds() {
        return oldestMillis.get() / 1000.0;
    }
}
