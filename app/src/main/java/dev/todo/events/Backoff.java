package dev.todo.events;

import java.time.Duration;

/**
 * Exponential backoff: the first delay after one failure, doubling with each further failure up to
 * a ceiling. One implementation for every loop that retries (outbox relay, event dispatcher, Kafka
 * loop, webhook deliveries, workers recovering from an unexpected failure). Not thread-safe: one
 * per loop, or use {@link #delay(Duration, Duration, int)}.
 */
public final class Backoff {

    private final Duration first;
    private final Duration max;
    private int failures;

    public Backoff(Duration first, Duration max) {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < first <= max, got " + first + " and " + max);
        }
        this.first = first;
        this.max = max;
    }

    /** The delay after the {@code failures}-th failure in a row (1: {@code first}), at most {@code max}. */
    public static Duration delay(Duration first, Duration max, int failures) {
        int doublings = Math.max(0, Math.min(failures - 1, 30));
        long firstMs = Math.max(1, first.toMillis());
        long ms = firstMs << doublings;
        if (ms < 0 || ms / firstMs != 1L << doublings) {
            ms = Long.MAX_VALUE;
        }
        return Duration.ofMillis(Math.min(ms, max.toMillis()));
    }

    /** Records one more failure; returns how long to wait before trying again. */
    public Duration failed() {
        failures++;
        return delay(first, max, failures);
    }

    /** The delay the current run of failures asks for (zero when the last attempt succeeded). */
    public Duration current() {
        return failures == 0 ? Duration.ZERO : delay(first, max, failures);
    }

    public void succeeded() {
        failures = 0;
    }

    public int failures() {
        return failures;
    }
}
