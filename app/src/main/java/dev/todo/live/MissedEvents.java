package dev.todo.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.todo.events.Outbox;
import dev.todo.events.OutboxLog;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What a reconnecting client missed, read from the outbox ({@link OutboxLog}): the user's task-updates rows after the
 * seq it last saw, in seq order. When the stream opens, only the extent of the replay is read (seqs and
 * sizes) to decide between a replay and a reset; the events themselves are read a page at a time
 * ({@code todo.live.replay-page-events}, {@code todo.live.replay-page-bytes}) as the client takes
 * them, so a stream holds at most one page of its replay. Rows count whether the relay has published them yet or not: the
 * relay marks a row published only after the transport has handed it over, so a row may already have
 * gone past this instance's streams while still unmarked; skipping unmarked rows would lose it. A
 * row read here that is delivered live afterwards is dropped by the stream as a duplicate.
 */
@Singleton
public class MissedEvents {

    /**
     * The answer to a Last-Event-ID: the events to replay, read page by page (null when none were
     * missed), or a reset when they are out of reach.
     */
    public record Catchup(LiveStream.Replay replay, String reset, Long newest) {

        static Catchup replay(LiveStream.Replay replay) {
            return new Catchup(replay, null, null);
        }

        static Catchup reset(String reason, Long newest) {
            return new Catchup(null, reason, newest);
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
    private final int pageEvents;
    private final long pageBytes;

    /**
     * @param maxBytes   the data a whole replay may hold; more means a reset
     * @param pageEvents the events of one page of a replay at most
     * @param pageBytes  the data of one page at most (a single larger event is a page of its own)
     */
    public MissedEvents(OutboxLog log, ObjectMapper mapper, LiveSettings settings, Outbox.Topics topics,
                        @Value("${todo.live.replay-max-bytes:1048576}") long maxBytes,
                        @Value("${todo.live.replay-page-events:100}") int pageEvents,
                        @Value("${todo.live.replay-page-bytes:65536}") long pageBytes) {
        this.log = log;
        this.maxBytes = maxBytes;
        this.pageEvents = Math.max(1, pageEvents);
        this.pageBytes = pageBytes;
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
     * The events after {@code lastEventId}, or a reset. A replay is bounded as a whole by count
     * ({@code todo.live.replay-max-events}) and by bytes ({@code todo.live.replay-max-bytes}); beyond
     * either the client gets a reset. Only seqs and sizes are read here: the events are read by the
     * returned {@link LiveStream.Replay}, a page at a time, up to the last one counted now (events
     * written later reach the stream live).
     */
    public Catchup after(UUID userId, long lastEventId) {
        Optional<OutboxLog.Position> anchor = log.position(userId, topic, lastEventId);
        int max = settings.replayMaxEvents();
        OffsetDateTime published = anchor.map(OutboxLog.Position::publishedAt).orElse(null);
        OutboxLog.Extent extent = anchor.isEmpty() ? new OutboxLog.Extent(0, lastEventId, false, false)
                : log.extent(userId, topic, lastEventId, published, max, maxBytes);
        if (extent.bytesExceeded()) {
            return Catchup.reset("too-large", newest(userId));
        }
        String reason = resetReason(anchor.map(OutboxLog.Position::time).orElse(null), extent.more() ? max + 1 : extent.entries(),
                Instant.now(), settings.replayWindow(), max);
        if (reason != null) {
            return Catchup.reset(reason, newest(userId));
        }
        return Catchup.replay(extent.entries() == 0 ? null : new Pages(userId, lastEventId, published, extent.lastSeq()));
    }

    /** The pages of one replay: the entries after the last one read, up to {@code until}. */
    private final class Pages implements LiveStream.Replay {

        private final UUID userId;
        private final long from;
        private final OffsetDateTime fromPublished;
        private final long until;
        private long last = Long.MIN_VALUE;

        Pages(UUID userId, long from, OffsetDateTime fromPublished, long until) {
            this.userId = userId;
            this.from = from;
            this.fromPublished = fromPublished;
            this.until = until;
        }

        @Override
        public LiveStream.Page next() {
            OutboxLog.Slice slice = log.page(userId, topic, from, fromPublished, last, until, pageEvents, pageBytes);
            List<LiveEvent> events = new ArrayList<>(slice.entries().size());
            for (OutboxLog.Entry e : slice.entries()) {
                events.add(LiveEvent.of(mapper, e.seq(), userId, e.type(), e.subject().toString(), e.time(), e.data()));
                last = e.seq();
            }
            return new LiveStream.Page(events, !slice.more());
        }
    }

    /** The user's newest task-updates seq, the resume point of a fresh stream; null when there is none. */
    public Long newest(UUID userId) {
        return log.newest(userId, topic);
    }
}
