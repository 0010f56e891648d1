package dev.todo.events;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes outbox rows through the configured transport, in commit order, never from inside the
 * transaction that wrote them. One relay publishes at a time (a transaction-level advisory lock),
 * so per-task order holds with any number of instances; a row is marked published only after the
 * transport accepted it, so a crash or a broker outage delays events and never loses them.
 * A failing event stops its batch (keeping order) and is retried with exponential backoff, for
 * as long as it takes (an outage of the transport is not the event's fault); its {@code attempts}
 * are counted in the row, and {@code todo.outbox.head.attempts} shows an event stuck at the head of
 * the line (its age is {@link OutboxBacklog}'s {@code todo.events.outbox.oldest.age}).
 *
 * <p>A row is one event and names all the topics it goes to; the relay publishes it to each of them
 * in turn (the same CloudEvent: same id, same {@code sequence}). A row is marked published only when
 * the transport accepted it on every topic. One refused on a later topic after an earlier one took
 * it stays unpublished and is sent again to all its topics: consumers of the earlier topic see it
 * twice and, being idempotent (by event id, live streams by sequence), act once.
 */
@Singleton
@Requires(property = "todo.events.relay.enabled", notEquals = "false")
@Requires(property = "todo.roles", pattern = Roles.WORKER)
public class OutboxRelay extends ListeningWorker {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    static final long LOCK_KEY = 0x746f646f5f6f7574L; // "todo_out"
    static final int BATCH = 200;
    // The NOTIFY is not a reliable wake-up: the driver's timed wait was seen to return only at its
    // timeout even when a notification had arrived. So the relay also looks every quarter second.
    static final Duration MAX_IDLE = Duration.ofMillis(250);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    public static final URI SOURCE = URI.create("/todo/app");

    private final EventTransport transport;
    private final Counter published;
    private final AtomicLong publishedByThis = new AtomicLong();
    static final Duration MEASURE_EVERY = Duration.ofSeconds(5);
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), MAX_BACKOFF);
    private final AtomicLong headAttempts = new AtomicLong();
    private long measuredAt = System.nanoTime() - MEASURE_EVERY.toNanos();

    public OutboxRelay(DataSource dataSource, DataSourceResolver resolver, EventTransport transport, MeterRegistry meters) {
        super(resolver.resolve(dataSource), Outbox.CHANNEL, "outbox-relay");
        this.transport = transport;
        this.published = Counter.builder("todo.events.published")
                .description("Events published from the outbox, once for each topic an event goes to").register(meters);
        Gauge.builder("todo.outbox.head.attempts", headAttempts, AtomicLong::get)
                .description("Publishing attempts of the event first in line").register(meters);
    }

    /** Events this relay published, counted once for each of their topics. */
    public long publishedCount() {
        return publishedByThis.get();
    }

    @Override
    protected long round(Connection listener) throws SQLException {
        Outcome outcome = publishBatch();
        measure(listener, outcome == Outcome.FAILED);
        return switch (outcome) {
            case FULL -> 0;
            case FAILED -> backoff.current().toMillis();
            case EMPTY, PARTIAL -> MAX_IDLE.toMillis(); // new rows may wake the relay early
        };
    }

    enum Outcome { EMPTY, PARTIAL, FULL, FAILED }

    private static CloudEvent event(ResultSet rs) throws SQLException {
        return CloudEventBuilder.v1()
                .withId(rs.getObject(2, UUID.class).toString())
                .withSource(SOURCE)
                .withType(Events.TYPE_PREFIX + rs.getString(3))
                .withSubject(rs.getObject(5, UUID.class).toString())
                .withTime(rs.getObject(7, OffsetDateTime.class))
                .withDataContentType("application/json")
                .withExtension("userid", rs.getObject(6, UUID.class).toString())
                // position in the outbox: lets live streams resume after a reconnect
                .withExtension("sequence", String.valueOf(rs.getLong(1)))
                .withData(rs.getString(8).getBytes(StandardCharsets.UTF_8))
                .build();
    }

    private static String[] topics(java.sql.Array array) throws SQLException {
        try {
            return (String[]) array.getArray();
        } finally {
            array.free();
        }
    }

    private int publish(List<EventTransport.Outgoing> batch) {
        try {
            int accepted = transport.publish(batch);
            if (accepted < batch.size()) {
                CloudEvent e = batch.get(accepted).event();
                LOG.warn("Publishing {} {} to {} was refused; will retry", e.getType(), e.getId(), batch.get(accepted).topic());
            }
            return accepted;
        } catch (RuntimeException | Error e) {
            // an Error too (out of memory on a huge event): counted as an attempt on the head row and backed off from
            LOG.warn("Publishing a batch of {} events failed; will retry", batch.size(), e);
            return 0;
        }
    }

    /** Refreshes the head-of-line gauges, at most every {@link #MEASURE_EVERY} unless publishing just failed. */
    private void measure(Connection c, boolean now) throws SQLException {
        long t = System.nanoTime();
        if (!now && t - measuredAt < MEASURE_EVERY.toNanos()) {
            return;
        }
        measuredAt = t;
        try (PreparedStatement ps = c.prepareStatement("select attempts from outbox where published_at is null order by seq limit 1");
             ResultSet rs = ps.executeQuery()) {
            headAttempts.set(rs.next() ? rs.getLong(1) : 0);
        }
    }

    Outcome publishBatch() throws SQLException {
        try (Connection c = dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
                    lock.setLong(1, LOCK_KEY);
                    try (ResultSet rs = lock.executeQuery()) {
                        rs.next();
                        if (!rs.getBoolean(1)) {
                            c.rollback();
                            return Outcome.EMPTY; // another relay is publishing
                        }
                    }
                }
                List<Long> seqs = new ArrayList<>();
                // ends.get(i): how many messages of the batch rows 0..i make up (each row goes to each of its topics)
                List<Integer> ends = new ArrayList<>();
                List<EventTransport.Outgoing> batch = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("select seq, id, type, topics, subject, user_id, time, data::text"
                        + " from outbox where published_at is null order by seq limit ?")) {
                    ps.setInt(1, BATCH);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            seqs.add(rs.getLong(1));
                            CloudEvent event = event(rs);
                            for (String topic : topics(rs.getArray(4))) {
                                batch.add(new EventTransport.Outgoing(topic, event));
                            }
                            ends.add(batch.size());
                        }
                    }
                }
                int rows = seqs.size();
                int accepted = batch.isEmpty() ? 0 : publish(batch);
                int whole = 0; // rows the transport took on every one of their topics
                while (whole < rows && ends.get(whole) <= accepted) {
                    whole++;
                }
                List<Long> done = seqs.subList(0, whole);
                int messages = whole == 0 ? 0 : ends.get(whole - 1);
                boolean failed = whole < rows;
                if (failed) {
                    // later rows wait, so order is kept; a row taken on some of its topics only goes again to all
                    try (PreparedStatement attempt = c.prepareStatement("update outbox set attempts = attempts + 1 where seq = ?")) {
                        attempt.setLong(1, seqs.get(whole));
                        attempt.executeUpdate();
                    }
                }
                if (!done.isEmpty()) {
                    try (PreparedStatement mark = c.prepareStatement("update outbox set published_at = clock_timestamp() where seq = any(?)")) {
                        mark.setArray(1, c.createArrayOf("bigint", done.toArray()));
                        mark.executeUpdate();
                    }
                }
                c.commit();
                published.increment(messages);
                publishedByThis.addAndGet(messages);
                if (failed) {
                    backoff.failed();
                    return Outcome.FAILED;
                }
                backoff.succeeded();
                return rows == BATCH ? Outcome.FULL : rows == 0 ? Outcome.EMPTY : Outcome.PARTIAL;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }
}
