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

/**
 * One client's stream: a publisher of SSE frames for exactly one subscriber (the HTTP response).
 * <ul>
 * <li>Live events offered before {@link #open} (while the controller reads the missed ones) are held
 * and sent after the replay, without those the replay already contained.</li>
 * <li>Frames wait in a bounded queue until the client's connection asks for more (the server only
 * requests as the socket drains). A client that falls {@code buffer} live events behind is dropped:
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

    /** Why a stream ended. */
    public enum End { CANCELLED, OVERFLOW, SHUTDOWN, CREDENTIAL }

    private static final int RECENT = 64;

    private record Pending(Event<String> frame, boolean live) {
    }

    private final UUID userId;
    private final StreamCredential credential;
    private volatile java.util.concurrent.Future<?> expiry;
    private final int buffer;
    private final BiConsumer<LiveStream, End> onEnd;
    private final Executor pusher;

    private final Object lock = new Object();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private List<LiveEvent> held = new ArrayList<>();
    private boolean opened;
    private final long createdNanos = System.nanoTime();
    private int liveQueued;
    private long[] replayed = new long[0]; // sorted seqs sent by the replay: a live copy may still come
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
        this(userId, StreamCredential.NONE, buffer, pusher, onEnd);
    }

    LiveStream(UUID userId, StreamCredential credential, int buffer, Executor pusher, BiConsumer<LiveStream, End> onEnd) {
        this.userId = userId;
        this.credential = credential;
        this.buffer = Math.max(1, buffer);
        this.pusher = pusher;
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
            queue.add(new Pending(last, false));
        }
        drainLater();
    }

    /**
     * Starts sending: {@code first} (the retry hint and a comment, so the response headers go out at
     * once), then the replayed events or a reset frame, then the live events held meanwhile.
     */
    void open(Event<String> first, List<LiveEvent> replay, Event<String> reset) {
        synchronized (lock) {
            if (end != null || opened) {
                return;
            }
            queue.add(new Pending(first, false));
            long[] seqs = new long[replay.size()];
            for (int i = 0; i < replay.size(); i++) {
                LiveEvent e = replay.get(i);
                queue.add(new Pending(e.frame(), false));
                seqs[i] = e.seq();
            }
            Arrays.sort(seqs);
            replayed = seqs;
            if (reset != null) {
                queue.add(new Pending(reset, false));
            }
            opened = true;
            List<LiveEvent> waiting = held;
            held = null;
            for (LiveEvent e : waiting) {
                enqueueLive(e);
            }
        }
        drainLater();
    }

    /** A live event for this stream's user; never blocks. */
    void offer(LiveEvent event) {
        synchronized (lock) {
            if (end != null) {
                return;
            }
            if (!opened) {
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
            queue.add(new Pending(comment, false));
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
        queue.add(new Pending(e.frame(), true));
        liveQueued++;
        if (liveQueued > buffer) {
            endLocked(End.OVERFLOW);
        }
    }

    private boolean seen(long seq) {
        if (replayed.length > 0 && Arrays.binarySearch(replayed, seq) >= 0) {
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
        replayed = new long[0];
        if (why == End.CANCELLED) {
            cancelled = true;
        } else {
            completing = true;
        }
        // outside callers hold no lock of the registry here; it only removes this stream from a map
        onEnd.accept(this, why);
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
                            if (p != null && p.live()) {
                                liveQueued--;
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
                    }
                }
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }
}
