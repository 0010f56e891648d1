package dev.todo.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.todo.events.Outbox;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What a reconnecting client missed, read from the outbox: the user's task-updates rows after the
 * seq it last saw, in seq order. Rows count whether the relay has published them yet or not: the
 * relay marks a row published only after the transport has handed it over, so a row may already have
 * gone past this instance's streams while still unmarked; skipping unmarked rows would lose it. A
 * row read here that is delivered live afterwards is dropped by the stream as a duplicate.
 */
@Singleton
public class MissedEvents {

    /** The answer to a Last-Event-ID: the events to replay, or a reset when they are out of reach. */
    public record Catchup(List<LiveEvent> events, String reset, Long newest) {

        static Catchup replay(List<LiveEvent> events) {
            return new Catchup(events, null, null);
        }

        static Catchup reset(String reason, Long newest) {
            return new Catchup(List.of(), reason, newest);
        }

        public boolean isReset() {
            return reset != null;
        }
    }

    private final JdbcOperations jdbc;
    private final ObjectMapper mapper;
    private final LiveSettings settings;
    private final String topic;

    public MissedEvents(JdbcOperations jdbc, ObjectMapper mapper, LiveSettings settings, Outbox.Topics topics) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.settings = settings;
        this.topic = topics.taskUpdates();
    }

    /**
     * The replay decision, on plain values: reset when the last seen event is not one of this user's
     * (unknown), is older than the window (its successors may have been pruned), or when more events
     * than the limit followed it ({@code missed} is counted up to {@code max + 1}).
     */
    static String resetReason(Instant anchorTime, int missed, Instant now, Duration window, int max) {
        if (anchorTime == null) {
            return "unknown";
        }
        if (anchorTime.isBefore(now.minus(window))) {
            return "expired";
        }
        if (missed > max) {
            return "too-many";
        }
        return null;
    }

    static String describe(String reason, long lastEventId, LiveSettings settings) {
        return switch (reason) {
            case "unknown" -> "Event " + lastEventId + " is not one of this user's events; reload.";
            case "expired" -> "Event " + lastEventId + " is older than the replay window of " + settings.replayWindow() + "; reload.";
            default -> "More than " + settings.replayMaxEvents() + " events followed event " + lastEventId + "; reload.";
        };
    }

    /** The events after {@code lastEventId}, or a reset. */
    @Transactional(readOnly = true)
    public Catchup after(UUID userId, long lastEventId) {
        OffsetDateTime[] anchor = jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("select time, published_at from outbox where seq = ? and user_id = ? and topic = ?")) {
                ps.setLong(1, lastEventId);
                ps.setObject(2, userId);
                ps.setString(3, topic);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new OffsetDateTime[] {rs.getObject(1, OffsetDateTime.class), rs.getObject(2, OffsetDateTime.class)} : null;
                }
            }
        });
        int max = settings.replayMaxEvents();
        List<LiveEvent> events = anchor == null ? List.of() : read(userId, lastEventId, anchor[1], max + 1);
        String reason = resetReason(anchor == null ? null : anchor[0].toInstant(), events.size(), Instant.now(), settings.replayWindow(), max);
        return reason == null ? Catchup.replay(events) : Catchup.reset(reason, newest(userId));
    }

    /** The user's newest task-updates seq, the resume point of a fresh stream; null when there is none. */
    @Transactional(readOnly = true)
    public Long newest(UUID userId) {
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("select max(seq) from outbox where user_id = ? and topic = ?")) {
                ps.setObject(1, userId);
                ps.setString(2, topic);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long v = rs.getLong(1);
                    return rs.wasNull() ? null : v;
                }
            }
        });
    }

    /**
     * The rows after {@code after} in seq order, and also those with a lower seq that went out after
     * it: seqs are taken at insert and transactions commit in another order, so a row can be
     * published after one with a higher seq (it was still uncommitted then). When the last seen row
     * was published, such a row was published later or not yet; when it was not marked yet, the rows
     * of its batch with lower seqs were pushed before it, and nothing later can be told apart.
     */
    private List<LiveEvent> read(UUID userId, long after, OffsetDateTime afterPublished, int limit) {
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("select seq, type, subject, time, data::text from outbox"
                    + " where user_id = ? and topic = ? and (seq > ? or (cast(? as timestamptz) is not null"
                    + " and (published_at is null or published_at > ?))) order by seq limit ?")) {
                ps.setObject(1, userId);
                ps.setString(2, topic);
                ps.setLong(3, after);
                ps.setObject(4, afterPublished);
                ps.setObject(5, afterPublished);
                ps.setInt(6, limit);
                List<LiveEvent> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(LiveEvent.of(mapper, rs.getLong(1), userId, rs.getString(2), rs.getObject(3, UUID.class).toString(),
                                rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getString(5).getBytes(StandardCharsets.UTF_8)));
                    }
                }
                return out;
            }
        });
    }
}
