package dev.todo.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * What the background loops report about themselves: each turn of a loop (a round done, or a
 * failure it survived and backs off from), and each unexpected failure it recovered from.
 * A loop that has not turned for {@code todo.workers.stall-after} is stalled (stuck in a call
 * that does not return, or its thread died): {@code /health/liveness} then says DOWN so the
 * orchestrator restarts the instance. A database outage is not a stall: the loop keeps turning
 * while it waits for the database, and restarting would not help.
 */
@Singleton
public class WorkerHealth {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerHealth.class);

    private final Map<String, Long> lastTurn = new ConcurrentHashMap<>();
    private final Duration stallAfter;
    private final MeterRegistry meters;
    private final LongSupplier nanoClock;

    public WorkerHealth(MeterRegistry meters, @Value("${todo.workers.stall-after:2m}") Duration stallAfter) {
        this(meters, stallAfter, System::nanoTime);
    }

    WorkerHealth(MeterRegistry meters, Duration stallAfter, LongSupplier nanoClock) {
        this.meters = meters;
        this.stallAfter = stallAfter;
        this.nanoClock = nanoClock;
    }

    /** The loop named {@code worker} is alive and went once round. */
    public void turned(String worker) {
        lastTurn.put(worker, nanoClock.getAsLong());
    }

    /** The loop survived an unexpected failure (an Error or RuntimeException) and goes on after a backoff. */
    public void recovered(String worker, Throwable failure) {
        LOG.error("{} failed unexpectedly; it goes on after a backoff", worker, failure);
        Counter.builder("todo.workers.restarts").description("Unexpected failures a background loop recovered from")
                .tag("worker", worker).register(meters).increment();
        turned(worker);
    }

    /** The loop ended on purpose (shutdown): it is no longer expected to turn. */
    public void stopped(String worker) {
        lastTurn.remove(worker);
    }

    /** Loops that have not turned for longer than allowed, with how long ago they last did. */
    public Map<String, Duration> stalled() {
        long now = nanoClock.getAsLong();
        Map<String, Duration> out = new TreeMap<>();
        lastTurn.forEach((worker, at) -> {
            Duration since = Duration.ofNanos(now - at);
            if (since.compareTo(stallAfter) > 0) {
                out.put(worker, since);
            }
        });
        return out;
    }

    public Duration stallAfter() {
        return stallAfter;
    }
}
