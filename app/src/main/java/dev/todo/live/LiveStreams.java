package dev.todo.live;

import dev.todo.events.Roles;
import dev.todo.web.ApiException;
import dev.todo.web.FieldError;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.sse.Event;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.todo.auth.PersonalTokens;
import dev.todo.auth.TokenRevoked;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open streams of this instance, by user. Delivering an event looks up the user's streams (an
 * array replaced on every change, so delivery takes no lock) and queues the event on each; two
 * push threads write the frames out. A stream leaves the registry as soon as its client cancels,
 * it overflows or the server stops.
 */
@Singleton
@Requires(property = "todo.roles", pattern = Roles.API)
public class LiveStreams {

    private static final Logger LOG = LoggerFactory.getLogger(LiveStreams.class);

    private static final LiveStream[] NONE = new LiveStream[0];
    // writing a frame into a connection costs little but is not free (encoding, a hand-over to the
    // connection's event loop); these threads do it so the thread delivering events only queues them
    private static final int PUSH_THREADS = 2;
    // a response subscribes to its stream right after the controller returns; one that has not
    // after this long never will
    static final Duration UNCLAIMED_GRACE = Duration.ofSeconds(10);

    private final LiveSettings settings;
    private final Map<UUID, LiveStream[]> byUser = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private final Counter dropped;
    private final ScheduledFuture<?> heartbeats;
    private final ExecutorService pusher;
    private final java.util.concurrent.Executor reader;
    private final TaskScheduler scheduler;
    private final PersonalTokens tokens;
    private final StreamTickets tickets;

    public LiveStreams(LiveSettings settings, MeterRegistry meters, @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler,
                       PersonalTokens tokens, StreamTickets tickets,
                       @Named(TaskExecutors.BLOCKING) java.util.concurrent.Executor reader) {
        this.settings = settings;
        this.reader = reader; // streams read the pages of their replays here: it blocks on the database
        this.tickets = tickets;
        this.scheduler = scheduler;
        this.tokens = tokens;
        Gauge.builder("todo.live.streams", size, AtomicInteger::get).description("Open live streams on this instance").register(meters);
        this.dropped = Counter.builder("todo.live.dropped").description("Live streams dropped because their client fell behind")
                .register(meters);
        AtomicInteger threads = new AtomicInteger();
        this.pusher = Executors.newFixedThreadPool(PUSH_THREADS, r -> {
            Thread t = new Thread(r, "live-push-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.heartbeats = scheduler.scheduleAtFixedRate(settings.heartbeat(), settings.heartbeat(), this::heartbeat);
    }

    /** Registers a new stream of the user (before reading missed events, so nothing falls between). */
    public LiveStream register(UUID userId) {
        return register(userId, StreamCredential.NONE);
    }

    /**
     * Registers a new stream opened with {@code credential}: it ends with an {@code auth-expired}
     * event when the credential expires, or when it is a personal token that is revoked.
     */
    public LiveStream register(UUID userId, StreamCredential credential) {
        LiveStream stream = new LiveStream(userId, credential, settings.buffer(), pusher, reader, this::ended);
        boolean[] added = {false};
        byUser.compute(userId, (u, streams) -> {
            LiveStream[] current = streams == null ? NONE : streams;
            if (current.length >= settings.maxStreamsPerUser()) {
                return streams;
            }
            LiveStream[] more = Arrays.copyOf(current, current.length + 1);
            more[current.length] = stream;
            added[0] = true;
            return more;
        });
        if (!added[0]) {
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "too-many-streams", "Too many streams",
                    "This user already has " + settings.maxStreamsPerUser() + " open streams on this server; close one first.",
                    List.of(new FieldError("stream", "at most " + settings.maxStreamsPerUser() + " open streams per user")));
        }
        size.incrementAndGet();
        scheduleExpiry(stream, Instant.now());
        return stream;
    }

    /**
     * Sets the timer that ends the stream at its credential's expiry once that is at most a
     * heartbeat away (the heartbeat looks again): a timer for a session two weeks out would keep the
     * stream referenced by the scheduler's queue long after the stream ended.
     */
    private void scheduleExpiry(LiveStream stream, Instant now) {
        Instant at = stream.credential().expiresAt();
        if (at == null || stream.hasExpiryTimer()) {
            return;
        }
        Duration left = Duration.between(now, at);
        if (left.isNegative() || left.isZero()) {
            stream.closeWith(authExpired("expired"));
        } else if (left.compareTo(settings.heartbeat().multipliedBy(2)) <= 0) {
            stream.expiry(scheduler.schedule(left, () -> stream.closeWith(authExpired("expired"))));
        }
    }

    /** The last frame of a stream whose credential ended: the client should authenticate again, then reconnect. */
    static Event<String> authExpired(String reason) {
        String detail = "revoked".equals(reason)
                ? "The credential this stream was opened with was revoked (a personal token revoked, a session logged out);"
                        + " open it again with a valid credential and Last-Event-ID."
                : "The credential this stream was opened with has expired; authenticate again and reopen it with Last-Event-ID.";
        return Event.of("{\"type\":\"auth-expired\",\"reason\":\"" + reason + "\",\"detail\":\"" + detail + "\"}")
                .name("auth-expired");
    }

    /** A personal token was revoked here: its streams end at once. */
    @EventListener
    public void onTokenRevoked(TokenRevoked revoked) {
        for (LiveStream s : byUser.getOrDefault(revoked.userId(), NONE)) {
            if (revoked.tokenId().equals(s.credential().tokenId())) {
                s.closeWith(authExpired("revoked"));
            }
        }
    }

    /**
     * Streams opened with personal tokens revoked elsewhere (another instance) or expired, or with
     * tickets of web UI sessions that logged out: at most one query of each per heartbeat.
     */
    void endRevoked() {
        Set<UUID> tokenIds = new HashSet<>();
        Set<UUID> sessionIds = new HashSet<>();
        for (LiveStream[] streams : byUser.values()) {
            for (LiveStream s : streams) {
                if (s.credential().tokenId() != null) {
                    tokenIds.add(s.credential().tokenId());
                }
                if (s.credential().sessionId() != null) {
                    sessionIds.add(s.credential().sessionId());
                }
            }
        }
        Set<UUID> invalid = new HashSet<>();
        if (!tokenIds.isEmpty()) {
            invalid.addAll(tokens.invalid(tokenIds));
        }
        if (!sessionIds.isEmpty()) {
            invalid.addAll(tickets.endedSessions(sessionIds));
        }
        if (invalid.isEmpty()) {
            return;
        }
        for (LiveStream[] streams : byUser.values()) {
            for (LiveStream s : streams) {
                UUID id = s.credential().tokenId() != null ? s.credential().tokenId() : s.credential().sessionId();
                if (id != null && invalid.contains(id)) {
                    s.closeWith(authExpired("revoked"));
                }
            }
        }
    }

    /** Hands a live event to each open stream of its user. */
    public void publish(LiveEvent event) {
        for (LiveStream s : byUser.getOrDefault(event.userId(), NONE)) {
            s.offer(event);
        }
    }

    public boolean hasStreams(UUID userId) {
        return byUser.containsKey(userId);
    }

    /** Open streams on this instance. */
    public int size() {
        return size.get();
    }

    public int size(UUID userId) {
        return byUser.getOrDefault(userId, NONE).length;
    }

    /** The user's open streams on this instance. */
    List<LiveStream> streams(UUID userId) {
        return List.of(byUser.getOrDefault(userId, NONE));
    }

    private void ended(LiveStream stream, LiveStream.End why) {
        boolean[] removed = {false};
        byUser.computeIfPresent(stream.userId(), (u, streams) -> {
            List<LiveStream> rest = new ArrayList<>(streams.length);
            for (LiveStream s : streams) {
                if (s == stream) {
                    removed[0] = true;
                } else {
                    rest.add(s);
                }
            }
            return rest.isEmpty() ? null : rest.toArray(NONE);
        });
        if (removed[0]) {
            size.decrementAndGet();
            if (why == LiveStream.End.OVERFLOW) {
                dropped.increment();
            }
        }
    }

    void heartbeat() {
        Event<String> comment = Event.of("").comment("keep-alive");
        long now = System.nanoTime();
        for (LiveStream[] streams : byUser.values()) {
            for (LiveStream s : streams) {
                s.dropIfUnclaimed(now, UNCLAIMED_GRACE.toNanos());
                s.heartbeat(comment);
                scheduleExpiry(s, Instant.now());
            }
        }
        try {
            endRevoked();
        } catch (RuntimeException e) {
            // a database hiccup must not stop the heartbeats (a failing periodic task is not run again)
            LOG.warn("Could not check the personal tokens of open live streams: {}", e.toString());
        }
    }

    /**
     * Completes every stream so clients reconnect (to another instance) instead of hanging on. Runs
     * when shutdown begins, while the HTTP server still writes: the closing chunks must reach the
     * clients before the server closes their connections.
     */
    @EventListener
    public void onShutdown(ShutdownEvent event) {
        stop();
    }

    @PreDestroy
    synchronized void stop() {
        if (pusher.isShutdown()) {
            return;
        }
        heartbeats.cancel(false);
        for (LiveStream[] streams : List.copyOf(byUser.values())) {
            for (LiveStream s : streams) {
                s.close(LiveStream.End.SHUTDOWN);
            }
        }
        pusher.shutdown();
        try {
            if (!pusher.awaitTermination(2, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.warn("Live streams did not all end within 2 s of shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
