package dev.todo.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.http.sse.Event;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The stream's queue, demand, de-duplication and drop rules, without a server. */
class LiveStreamTest {

    static final UUID USER = UUID.randomUUID();
    static final Event<String> FIRST = Event.of("").comment("stream open");
    static final ObjectMapper MAPPER = new ObjectMapper();

    final List<LiveStream.End> ends = new CopyOnWriteArrayList<>();

    static final class Probe implements Subscriber<Event<String>> {
        final List<Event<String>> got = new CopyOnWriteArrayList<>();
        Subscription subscription;
        volatile boolean completed;
        volatile Throwable error;

        @Override
        public void onSubscribe(Subscription s) {
            subscription = s;
        }

        @Override
        public void onNext(Event<String> e) {
            got.add(e);
        }

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onComplete() {
            completed = true;
        }

        List<String> ids() {
            List<String> ids = new ArrayList<>();
            got.forEach(e -> ids.add(e.getId()));
            return ids;
        }
    }

    LiveStream stream(int buffer) {
        return new LiveStream(USER, buffer, Runnable::run, (s, why) -> ends.add(why));
    }

    static LiveEvent event(long seq) {
        return LiveEvent.of(MAPPER, seq, USER, "task.updated", UUID.randomUUID().toString(), Instant.now(), "{}".getBytes());
    }

    @Test
    void framesGoOutOnlyAsTheClientAsksForThem() {
        LiveStream s = stream(10);
        Probe p = new Probe();
        s.subscribe(p);
        s.open(FIRST, List.of(event(1), event(2)), null);
        assertThat(p.got).isEmpty();
        p.subscription.request(1);
        assertThat(p.got).containsExactly(FIRST);
        s.offer(event(3));
        p.subscription.request(10);
        assertThat(p.ids()).containsExactly(null, "1", "2", "3");
        s.offer(event(4));
        assertThat(p.ids()).endsWith("4");
    }

    @Test
    void liveEventsArrivingDuringTheReplayFollowItWithoutRepeats() {
        LiveStream s = stream(10);
        Probe p = new Probe();
        s.subscribe(p);
        p.subscription.request(Long.MAX_VALUE);
        s.offer(event(6)); // committed before the replay read: in the replay too
        s.offer(event(8)); // committed after the read
        assertThat(p.got).as("held until the replay is sent").isEmpty();
        s.open(FIRST, List.of(event(5), event(6), event(7)), null);
        assertThat(p.ids()).containsExactly(null, "5", "6", "7", "8");

        s.offer(event(7)); // the relay publishing a row the replay read before it was published
        s.offer(event(8)); // a transport delivering twice
        s.offer(event(4)); // written earlier, committed later: still new to this client
        s.offer(event(9));
        assertThat(p.ids()).containsExactly(null, "5", "6", "7", "8", "4", "9");
    }

    @Test
    void aResetFollowsTheFirstFrameAndPrecedesHeldEvents() {
        LiveStream s = stream(10);
        Probe p = new Probe();
        s.subscribe(p);
        p.subscription.request(Long.MAX_VALUE);
        s.offer(event(12));
        s.open(FIRST, List.of(), Event.of("{}").name("reset").id("11"));
        assertThat(p.got).extracting(Event::getName).containsExactly(null, "reset", "task.updated");
    }

    @Test
    void aClientThatFallsBehindIsDroppedAndOthersAreNotHeldUp() {
        LiveStream slow = stream(3);
        LiveStream fast = stream(3);
        Probe slowProbe = new Probe();
        Probe fastProbe = new Probe();
        slow.subscribe(slowProbe);
        fast.subscribe(fastProbe);
        slow.open(FIRST, List.of(), null);
        fast.open(FIRST, List.of(), null);
        slowProbe.subscription.request(1); // takes the first frame, then stalls
        fastProbe.subscription.request(Long.MAX_VALUE);
        for (long seq = 1; seq <= 4; seq++) {
            slow.offer(event(seq));
            fast.offer(event(seq));
        }
        assertThat(slowProbe.completed).as("dropped: the response ends, the client resumes").isTrue();
        assertThat(slow.ended()).isEqualTo(LiveStream.End.OVERFLOW);
        assertThat(ends).containsExactly(LiveStream.End.OVERFLOW);
        assertThat(slowProbe.got).containsExactly(FIRST);
        assertThat(fastProbe.ids()).containsExactly(null, "1", "2", "3", "4");
        assertThat(fast.isOpen()).isTrue();

        slow.offer(event(5));
        assertThat(slowProbe.got).hasSize(1);
    }

    @Test
    void theReplayDoesNotCountAgainstTheLiveBuffer() {
        LiveStream s = stream(2);
        Probe p = new Probe();
        s.subscribe(p);
        List<LiveEvent> replay = new ArrayList<>();
        for (long seq = 1; seq <= 10; seq++) {
            replay.add(event(seq));
        }
        s.open(FIRST, replay, null);
        s.offer(event(11));
        s.offer(event(12));
        assertThat(s.isOpen()).isTrue();
        s.offer(event(13));
        assertThat(s.ended()).isEqualTo(LiveStream.End.OVERFLOW);
    }

    /** A replay of seqs {@code from..to} in pages of {@code size}, counting the pages asked for. */
    static final class Pages implements LiveStream.Replay {
        final java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        final long to;
        final int size;
        long next;

        Pages(long from, long to, int size) {
            this.next = from;
            this.to = to;
            this.size = size;
        }

        @Override
        public LiveStream.Page next() {
            asked.incrementAndGet();
            List<LiveEvent> page = new ArrayList<>();
            while (next <= to && page.size() < size) {
                page.add(event(next++));
            }
            return new LiveStream.Page(page, next > to);
        }
    }

    @Test
    void aReplayIsReadAPageAtATimeOnlyAsTheClientTakesIt() {
        LiveStream s = stream(10);
        Probe p = new Probe();
        s.subscribe(p);
        Pages pages = new Pages(1, 10, 3);
        s.open(FIRST, pages, null);
        assertThat(pages.asked).as("nothing read before the client asks").hasValue(0);
        p.subscription.request(1);
        assertThat(p.got).containsExactly(FIRST);
        assertThat(pages.asked).as("the client asked for no event yet").hasValue(0);
        p.subscription.request(2);
        assertThat(p.ids()).containsExactly(null, "1", "2");
        assertThat(pages.asked).hasValue(1);
        p.subscription.request(1);
        assertThat(pages.asked).as("the page went out; the next is read only when asked for").hasValue(1);
        p.subscription.request(1);
        assertThat(pages.asked).hasValue(2);
        assertThat(s.replayProgress().waiting()).isEqualTo(2);
        p.subscription.request(Long.MAX_VALUE);
        assertThat(p.ids()).containsExactly(null, "1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
        assertThat(pages.asked).hasValue(4);
        LiveStream.ReplayProgress progress = s.replayProgress();
        assertThat(progress.done()).isTrue();
        assertThat(progress.maxHeld()).as("never more than a page read and not sent").isEqualTo(3);
        s.offer(event(11));
        assertThat(p.ids()).endsWith("10", "11");
    }

    @Test
    void liveEventsDuringAPagedReplayWaitForItsEndAndComeOnceEach() {
        LiveStream s = stream(10);
        Probe p = new Probe();
        s.subscribe(p);
        Pages pages = new Pages(1, 9, 3);
        s.open(FIRST, pages, null);
        p.subscription.request(3); // the first frame and two events
        s.offer(event(2)); // already sent by the replay
        s.offer(event(8)); // the replay will send it: a late delivery of a row it reads
        s.offer(event(12)); // written after the replay was decided on
        p.subscription.request(4);
        assertThat(p.ids()).as("the replay first, live events held").containsExactly(null, "1", "2", "3", "4", "5", "6");
        s.offer(event(11));
        p.subscription.request(Long.MAX_VALUE);
        assertThat(p.ids()).containsExactly(null, "1", "2", "3", "4", "5", "6", "7", "8", "9", "12", "11");
        s.offer(event(5)); // a transport delivering a replayed row again, after the seam
        s.offer(event(13));
        assertThat(p.ids()).endsWith("9", "12", "11", "13");
    }

    @Test
    void liveEventsBeyondTheBufferDuringAPagedReplayDropTheStream() {
        LiveStream s = stream(2);
        Probe p = new Probe();
        s.subscribe(p);
        s.open(FIRST, new Pages(1, 100, 10), null);
        p.subscription.request(2);
        s.offer(event(101));
        s.offer(event(102));
        assertThat(s.isOpen()).isTrue();
        s.offer(event(103));
        assertThat(s.ended()).isEqualTo(LiveStream.End.OVERFLOW);
        assertThat(p.completed).as("the client resumes from the last event it got").isTrue();
        assertThat(p.ids()).containsExactly(null, "1");
    }

    @Test
    void aPageThatCannotBeReadEndsTheStreamSoItsClientResumes() {
        LiveStream s = stream(10);
        Probe p = new Probe();
        s.subscribe(p);
        Pages pages = new Pages(1, 10, 2);
        s.open(FIRST, () -> {
            if (pages.asked.get() == 2) {
                throw new IllegalStateException("database down");
            }
            return pages.next();
        }, null);
        p.subscription.request(Long.MAX_VALUE);
        assertThat(p.ids()).containsExactly(null, "1", "2", "3", "4");
        assertThat(p.completed).isTrue();
        assertThat(s.ended()).isEqualTo(LiveStream.End.FAILED);
        assertThat(ends).containsExactly(LiveStream.End.FAILED);
    }

    @Test
    void cancellingEndsTheStreamOnceAndStopsDelivery() {
        LiveStream s = stream(10);
        Probe p = new Probe();
        s.subscribe(p);
        s.open(FIRST, List.of(), null);
        p.subscription.request(Long.MAX_VALUE);
        p.subscription.cancel();
        p.subscription.cancel();
        s.offer(event(1));
        assertThat(ends).containsExactly(LiveStream.End.CANCELLED);
        assertThat(p.got).containsExactly(FIRST);
        assertThat(p.completed).isFalse();
    }

    @Test
    void heartbeatsOnlyFillSilence() {
        LiveStream s = stream(10);
        Probe p = new Probe();
        s.subscribe(p);
        Event<String> beat = Event.of("").comment("keep-alive");
        s.heartbeat(beat);
        assertThat(p.got).as("not before the stream is open").isEmpty();
        s.open(FIRST, List.of(), null);
        s.heartbeat(beat); // the first frame is still waiting
        p.subscription.request(Long.MAX_VALUE);
        assertThat(p.got).containsExactly(FIRST);
        s.heartbeat(beat);
        assertThat(p.got).containsExactly(FIRST, beat);
    }

    @Test
    void shutdownCompletesTheResponse() {
        LiveStream s = stream(10);
        Probe p = new Probe();
        s.subscribe(p);
        s.open(FIRST, List.of(event(1)), null);
        s.close(LiveStream.End.SHUTDOWN);
        assertThat(p.completed).isTrue();
        assertThat(ends).containsExactly(LiveStream.End.SHUTDOWN);
    }

    @Test
    void aStreamWhoseResponseNeverSubscribesIsDroppedAfterTheGrace() {
        LiveStream unclaimed = stream(10);
        unclaimed.open(FIRST, List.of(), null);
        unclaimed.dropIfUnclaimed(System.nanoTime(), Duration.ofSeconds(10).toNanos());
        assertThat(unclaimed.isOpen()).isTrue();
        unclaimed.dropIfUnclaimed(System.nanoTime() + Duration.ofSeconds(11).toNanos(), Duration.ofSeconds(10).toNanos());
        assertThat(unclaimed.ended()).isEqualTo(LiveStream.End.CANCELLED);

        LiveStream claimed = stream(10);
        claimed.subscribe(new Probe());
        claimed.dropIfUnclaimed(System.nanoTime() + Duration.ofSeconds(11).toNanos(), Duration.ofSeconds(10).toNanos());
        assertThat(claimed.isOpen()).isTrue();
    }

    @Test
    void aSecondSubscriberIsRefused() {
        LiveStream s = stream(10);
        s.subscribe(new Probe());
        Probe second = new Probe();
        s.subscribe(second);
        assertThat(second.error).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void replayIsRefusedOutsideTheWindowOrBeyondTheLimit() {
        Instant now = Instant.parse("2026-01-02T12:00:00Z");
        Duration day = Duration.ofHours(24);
        assertThat(MissedEvents.resetReason(now.minus(day), 1000, now, day, 1000)).isNull();
        assertThat(MissedEvents.resetReason(now.minus(day).minusMillis(1), 0, now, day, 1000)).isEqualTo("expired");
        assertThat(MissedEvents.resetReason(now, 1001, now, day, 1000)).isEqualTo("too-many");
        assertThat(MissedEvents.resetReason(null, 0, now, day, 1000)).isEqualTo("unknown");
    }
}
