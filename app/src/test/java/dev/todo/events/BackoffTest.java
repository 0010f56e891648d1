package dev.todo.events;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    @Test
    void doublesFromTheFirstDelayUpToTheCeilingAndStartsOverAfterASuccess() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
        assertThat(b.current()).isZero();
        assertThat(b.failed()).isEqualTo(Duration.ofMillis(100));
        assertThat(b.failed()).isEqualTo(Duration.ofMillis(200));
        assertThat(b.failed()).isEqualTo(Duration.ofMillis(400));
        assertThat(b.failed()).isEqualTo(Duration.ofMillis(800));
        assertThat(b.failed()).isEqualTo(Duration.ofSeconds(1));
        for (int i = 0; i < 100; i++) {
            b.failed();
        }
        assertThat(b.current()).as("no overflow after many failures").isEqualTo(Duration.ofSeconds(1));
        b.succeeded();
        assertThat(b.failed()).isEqualTo(Duration.ofMillis(100));
        assertThat(Backoff.delay(Duration.ofSeconds(10), Duration.ofHours(1), 64)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aLoopThatStopsTurningIsStalledAndRecoveriesAreCounted() {
        AtomicLong now = new AtomicLong();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        WorkerHealth health = new WorkerHealth(meters, Duration.ofSeconds(60), now::get);
        health.turned("relay");
        health.turned("scheduler");
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        health.turned("relay");
        assertThat(health.stalled()).isEmpty();
        now.addAndGet(Duration.ofSeconds(31).toNanos());
        assertThat(health.stalled()).containsOnlyKeys("scheduler");
        health.recovered("scheduler", new OutOfMemoryError("simulated"));
        assertThat(health.stalled()).isEmpty();
        assertThat(meters.counter("todo.workers.restarts", "worker", "scheduler").count()).isEqualTo(1);
        health.stopped("relay");
        now.addAndGet(Duration.ofMinutes(5).toNanos());
        assertThat(health.stalled()).as("a stopped loop is not expected to turn").containsOnlyKeys("scheduler");
    }
}
