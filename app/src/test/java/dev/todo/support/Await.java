package dev.todo.support;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

public final class Await {

    private Await() {
    }

    /** Polls until the condition holds, failing when the deadline passes (no fixed waits in tests). */
    public static <T> T await(Duration deadline, Supplier<T> probe, Predicate<T> done) {
        long end = System.nanoTime() + deadline.toNanos();
        T value = probe.get();
        while (!done.test(value)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within " + deadline + "; last value: " + value);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            value = probe.get();
        }
        return value;
    }
}
