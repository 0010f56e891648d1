package dev.todo.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.todo.events.Outbox;
import dev.todo.events.OutboxLog;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What a reconnecting client missed, read from the outbox ({@link OutboxLog}): the user's task-updates rows after the
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

    private final OutboxLog log;
    private final ObjectMapper mapper;
    private final LiveSettings settings;
    private final String topic;
    private final long maxBytes;

    public MissedEvents(OutboxLog log, ObjectMapper mapper, LiveSettings settings, Outbox.Topics topics,
                        @Value("${todo.live.replay-max-bytes:1048576}") long maxBytes) {
        this.log = log;
        this.maxBytes = maxBytes;
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
            case "too-large" -> "The events that followed event " + lastEventId + " are larger than a replay may be; reload.";
            default -> "More than " + settings.replayMaxEvents() + " events followed event " + lastEventId + "; reload.";
        };
    }

    /**
     * The events after {@code lastEventId}, or a reset. Bounded by count and by bytes
     * ({@code todo.live.replay-max-bytes}): a replay never holds more than that in memory per stream.
     */
    public Catchup after(UUID userId, long lastEventId) {
        Optional<OutboxLog.Position> anchor = log.position(userId, topic, lastEventId);
        int max = settings.replayMaxEvents();
        OutboxLog.Slice slice = anchor.isEmpty() ? new OutboxLog.Slice(List.of(), false, false)
                : log.after(userId, topic, lastEventId, anchor.get().publishedAt(), max, maxBytes);
        if (slice.bytesExceeded()) {
            return Catchup.reset("too-large", newest(userId));
        }
        List<LiveEvent> events = new ArrayList<>(slice.entries().size());
        for (OutboxLog.Entry e : slice.entries()) {
            events.add(LiveEvent.of(mapper, e.seq(), userId, e.type(), e.subject().toString(), e.time(), e.data()));
        }
        String reason = resetReason(anchor.map(OutboxLog.Position::time).orElse(null), slice.more() ? max + 1 : events.size(),
                Instant.now(), settings.replayWindow(), max);
        return reason == null ? Catchup.replay(events) : Catchup.reset(reason, newest(userId));
    }

    /** The user's newest task-updates seq, the resume point of a fresh stream; null when there is none. */
    public Long newest(UUID userId) {
        return log.newest(userId, topic);
    }
}
