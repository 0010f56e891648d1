package dev.todo.live;

import io.micronaut.http.sse.Event;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's stream: a publisher of SSE frames for exactly one subscriber (the HTTP response).
 * <ul>
 * <li>The missed events of a resuming client are read a page at a time as the client takes them
 * ({@link Replay}): the next page is read only once every frame of the previous one has gone to the
 * subscriber and the subscriber asks for more, so a stream holds at most one page of its replay, and
 * a client that stops reading stops the reads.</li>
 * <li>Live events offered before the replay has been read to its end (from {@link LiveStreams#register}
 * on) are held, at most {@code buffer} of them, and sent after the replay, without those the replay
 * already contained.</li>
 * <li>Frames wait in a bounded queue until the client's connection asks for more (the server
 * requests as the socket drains, though Micronaut asks for a few hundred frames ahead of it). A
 * client that falls {@code buffer} live events behind is dropped:
 * the response completes and the client reconnects with its Last-Event-ID. Offering never blocks, so
 * one slow client cannot hold up the delivery to others.</li>
 * <li>Events are de-duplicated by outbox seq (a transport may deliver again; a replayed event may
 * still arrive live), not by comparing with the highest seq sent: seqs are taken when rows are
 * written and committed in a different order, so a lower seq may legitimately arrive later.</li>
 * </ul>
 * Frames are handed to the subscriber one at a time: after an offer on the {@code pusher} (so the
 * thread delivering events, in process the outbox relay, only queues them), after a request on the
 * requesting thread (the connection's event loop).
 */
public final class LiveStream implements Publisher<Event<String>>, Subscription {

    /** Why a stream ended; {@code FAILED}: a page of its replay could not be read (the client resumes). */
    public enum End { CANCELLED, OVERFLOW, SHUTDOWN, CREDENTIAL, FAILED }

    /**
     * The missed events of a resuming client, in the order to send them, read a page at a time.
     * {@link #next} is called on the stream's reader executor, never twice at once.
     */
    interface Replay {
        /** The next page; blocks (reads the database). */
        Page next();
    }

    /** Events of a replay, and whether they are its last. */
    record Page(List<LiveEvent> events, boolean last) {
    }

    /**
     * How a replay went so far, for tests and diagnostics: pages and events read, events sent, the
     * most events read and not yet sent at any time, events read and waiting now, what the subscriber
     * asked for and has not got, live events held until the replay ends, whether it has ended.
     */
    record ReplayProgress(int pages, long read, long sent, int maxHeld, int waiting, long asked, int held, boolean done) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(LiveStream.class);
    private static final int RECENT = 64;
    private static final int FRAME = 0;
    private static final int REPLAYED = 1;
    private static final int LIVE = 2;

    private record Pending(Event<String> frame, int kind) {
    }

    private final UUID userId;
    private final StreamCredential credential;
    private volatile java.util.concurrent.Future<?> expiry;
    private final int buffer;
    private final BiConsumer<LiveStream, End> onEnd;
    private final Executor pusher;
    private final Executor reader;

    private final Object lock = new Object();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private List<LiveEvent> held = new ArrayList<>(); // null once the replay has been read to its end
    private boolean opened;
    private final long createdNanos = System.nanoTime();
    private int liveQueued;
    private Replay replay; // pages still to read; null when there are none
    private Event<String> afterReplay; // the reset frame, sent after the replay
    private boolean reading; // a page is being read
    private int replayQueued; // frames of the replay read and not yet sent
    private int pages;
    private long replayRead;
    private long replaySent;
    private int maxReplayHeld;
    private long[] replayed = new long[0]; // sorted seqs sent by the replay: a live copy may still come
    private int replayedCount;
    private final long[] recent = new long[RECENT]; // ring of the last seqs queued live
    private int recentCount;
    private int recentNext;
    private End end;

    private final AtomicLong requested = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile Subscriber<? super Event<String>> subscriber;
    private volatile boolean cancelled;
    private volatile boolean completing;
    private volatile Throwable error;
    private boolean terminated; // touched only inside drain

    LiveStream(UUID userId, int buffer, Executor pusher, BiConsumer<LiveStream, End> onEnd) {
        this(userId, StreamCredential.NONE, buffer, pusher, pusher, onEnd);
    }

    /**
     * @param pusher the threads that hand frames to the subscriber after an offer
     * @param reader the threads that read the pages of a replay (they block on the database)
     */
    LiveStream(UUID userId, StreamCredential credential, int buffer, Executor pusher, Executor reader,
               BiConsumer<LiveStream, End> onEnd) {
        this.userId = userId;
        this.credential = credential;
        this.buffer = Math.max(1, buffer);
        this.pusher = pusher;
        this.reader = reader;
        this.onEnd = onEnd;
    }

    public UUID userId() {
        return userId;
    }

    /** The credential the stream was opened with. */
    public StreamCredential credential() {
        return credential;
    }

    boolean hasExpiryTimer() {
        return expiry != null;
    }

    /** The timer that ends the stream at its credential's expiry; cancelled when the stream ends first. */
    void expiry(java.util.concurrent.Future<?> timer) {
        this.expiry = timer;
        if (ended() != null) {
            timer.cancel(false);
        }
    }

    /**
     * Ends the stream because its credential expired or was revoked: {@code last} (an event telling
     * the client to authenticate again) is sent after what is already queued, then the response
     * completes. The stream leaves the registry at once.
     */
    void closeWith(Event<String> last) {
        synchronized (lock) {
            if (end != null) {
                return;
            }
            endLocked(End.CREDENTIAL);
            queue.add(new Pending(last, FRAME));
        }
        drainLater();
    }

    /**
     * Starts sending: {@code first} (the retry hint and a comment, so the response headers go out at
     * once), then the replayed events or a reset frame, then the live events held meanwhile.
     */
    void open(Event<String> first, List<LiveEvent> replay, Event<String> reset) {
        open(first, replay.isEmpty() ? null : () -> new Page(replay, true), reset);
    }

    /**
     * Starts sending: {@code first}, then the pages of {@code replay} (null: nothing missed) as the
     * subscriber asks for them, then {@code reset} if not null, then the live events held meanwhile.
     */
    void open(Event<String> first, Replay replay, Event<String> reset) {
        synchronized (lock) {
            if (end != null || opened) {
                return;
            }
            queue.add(new Pending(first, FRAME));
            opened = true;
            this.afterReplay = reset;
            this.replay = replay;
            if (replay == null) {
                replayEndedLocked();
            }
        }
        drainLater();
    }

    /** The replay so far. */
    ReplayProgress replayProgress() {
        synchronized (lock) {
            return new ReplayProgress(pages, replayRead, replaySent, maxReplayHeld, replayQueued, requested.get(),
                    held == null ? 0 : held.size(), opened && held == null);
        }
    }

    /** Reads the next page of the replay; runs on the reader, one at a time. */
    private void readPage(Replay source) {
        Page page;
        try {
            page = source.next();
        } catch (RuntimeException e) {
            LOG.warn("Could not read the missed events of a live stream; it ends, its client resumes: {}", e.toString());
            synchronized (lock) {
                reading = false;
                endLocked(End.FAILED);
            }
            drainLater();
            return;
        }
        synchronized (lock) {
            reading = false;
            if (end != null || replay != source) {
                return;
            }
            pages++;
            for (LiveEvent e : page.events()) {
                queue.add(new Pending(e.frame(), REPLAYED));
                replayQueued++;
                replayRead++;
                if (replayedCount == replayed.length) {
                    replayed = Arrays.copyOf(replayed, Math.max(16, replayed.length * 2));
                }
                boolean sorted = replayedCount == 0 || replayed[replayedCount - 1] < e.seq();
                replayed[replayedCount++] = e.seq();
                if (!sorted) {
                    Arrays.sort(replayed, 0, replayedCount);
                }
            }
            maxReplayHeld = Math.max(maxReplayHeld, replayQueued);
            if (page.last() || page.events().isEmpty()) {
                replay = null;
                replayEndedLocked();
            }
        }
        drainLater();
    }

    /** After the replay: the reset frame if any, then the live events held meanwhile (without repeats). */
    private void replayEndedLocked() {
        if (afterReplay != null) {
            queue.add(new Pending(afterReplay, FRAME));
            afterReplay = null;
        }
        List<LiveEvent> waiting = held;
        held = null;
        for (LiveEvent e : waiting) {
            enqueueLive(e);
            if (end != null) {
                return;
            }
        }
    }

    /** A live event for this stream's user; never blocks. */
    void offer(LiveEvent event) {
        synchronized (lock) {
            if (end != null) {
                return;
            }
            if (held != null) {
                held.add(event);
                if (held.size() > buffer) {
                    endLocked(End.OVERFLOW);
                }
            } else {
                enqueueLive(event);
            }
        }
        drainLater();
    }

    /** A comment that keeps an idle connection open through proxies; only when nothing is waiting. */
    void heartbeat(Event<String> comment) {
        synchronized (lock) {
            if (end != null || !opened || !queue.isEmpty()) {
                return;
            }
            queue.add(new Pending(comment, FRAME));
        }
        drainLater();
    }

    /**
     * Ends a stream whose response never subscribed within {@code grace} of its creation (the
     * response was dropped before its body was written, say a HEAD request or a failing filter), so
     * it does not hold a place in the registry for good.
     */
    void dropIfUnclaimed(long nowNanos, long graceNanos) {
        if (subscriber == null && nowNanos - createdNanos > graceNanos) {
            synchronized (lock) {
                if (subscriber == null) {
                    endLocked(End.CANCELLED);
                }
            }
        }
    }

    /** Ends the stream from the server side (shutdown): the response completes, the client reconnects. */
    void close(End why) {
        synchronized (lock) {
            endLocked(why);
        }
        drainLater();
    }

    public boolean isOpen() {
        synchronized (lock) {
            return end == null;
        }
    }

    /** Why it ended, or null while open. */
    public End ended() {
        synchronized (lock) {
            return end;
        }
    }

    private void enqueueLive(LiveEvent e) {
        if (seen(e.seq())) {
            return;
        }
        recent[recentNext] = e.seq();
        recentNext = (recentNext + 1) % RECENT;
        recentCount = Math.min(RECENT, recentCount + 1);
        queue.add(new Pending(e.frame(), LIVE));
        liveQueued++;
        if (liveQueued > buffer) {
            endLocked(End.OVERFLOW);
        }
    }

    private boolean seen(long seq) {
        if (replayedCount > 0 && Arrays.binarySearch(replayed, 0, replayedCount, seq) >= 0) {
            return true;
        }
        for (int i = 0; i < recentCount; i++) {
            if (recent[i] == seq) {
                return true;
            }
        }
        return false;
    }

    private void endLocked(End why) {
        if (end != null) {
            return;
        }
        end = why;
        java.util.concurrent.Future<?> timer = expiry;
        if (timer != null) {
            timer.cancel(false);
        }
        queue.clear();
        liveQueued = 0;
        held = null;
        replay = null;
        afterReplay = null;
        replayQueued = 0;
        replayed = new long[0];
        replayedCount = 0;
        if (why == End.CANCELLED) {
            cancelled = true;
        } else {
            completing = true;
        }
        // outside callers hold no lock of the registry here; it only removes this stream from a map
        onEnd.accept(this, why);
    }

    /**
     * Starts reading the next page of the replay when every frame of the previous one went out and
     * the subscriber still asks for more: what the client has not taken stays unread in the database.
     */
    private void readNextPageIfAsked() {
        Replay source;
        synchronized (lock) {
            if (end != null || replay == null || reading || replayQueued > 0 || requested.get() == 0 || cancelled) {
                return;
            }
            reading = true;
            source = replay;
        }
        try {
            reader.execute(() -> readPage(source));
        } catch (RejectedExecutionException e) {
            synchronized (lock) { // the server is stopping
                reading = false;
                endLocked(End.SHUTDOWN);
            }
            drainLater();
        }
    }

    // --- Publisher / Subscription

    @Override
    public void subscribe(Subscriber<? super Event<String>> s) {
        if (subscriber != null) {
            s.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            s.onError(new IllegalStateException("a live stream has exactly one subscriber"));
            return;
        }
        subscriber = s;
        s.onSubscribe(this);
        drain();
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            error = new IllegalArgumentException("request must be positive (rule 3.9); got " + n);
            synchronized (lock) {
                endLocked(End.CANCELLED);
            }
            drain();
            return;
        }
        requested.getAndUpdate(r -> r + n < 0 ? Long.MAX_VALUE : r + n);
        drain();
    }

    @Override
    public void cancel() {
        synchronized (lock) {
            endLocked(End.CANCELLED);
        }
    }

    private void drainLater() {
        if (wip.getAndIncrement() == 0) {
            try {
                pusher.execute(this::drainLoop);
            } catch (RejectedExecutionException e) {
                drainLoop(); // the pusher has stopped (shutdown): finish here
            }
        }
    }

    private void drain() {
        if (wip.getAndIncrement() == 0) {
            drainLoop();
        }
    }

    /** Runs with {@code wip} taken: sends what is requested and queued, until no one asked again meanwhile. */
    private void drainLoop() {
        int missed = 1;
        do {
            Subscriber<? super Event<String>> s = subscriber;
            if (s != null && !terminated) {
                if (error != null) {
                    terminated = true;
                    s.onError(error);
                } else if (cancelled) {
                    terminated = true;
                } else {
                    long r = requested.get();
                    long sent = 0;
                    // once completing, the queue holds at most the stream's last frame (endLocked cleared it)
                    while (sent != r && !cancelled) {
                        Pending p;
                        synchronized (lock) {
                            p = queue.poll();
                            if (p != null && p.kind() == LIVE) {
                                liveQueued--;
                            } else if (p != null && p.kind() == REPLAYED) {
                                replayQueued--;
                                replaySent++;
                            }
                        }
                        if (p == null) {
                            break;
                        }
                        s.onNext(p.frame());
                        sent++;
                    }
                    if (sent != 0 && r != Long.MAX_VALUE) {
                        requested.addAndGet(-sent);
                    }
                    boolean done;
                    synchronized (lock) { // the last frame and the end are set together under the lock
                        done = completing && queue.isEmpty();
                    }
                    if (done && !cancelled) {
                        terminated = true;
                        s.onComplete();
                    } else if (!done) {
                        readNextPageIfAsked();
                    }
                }
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }
}
