package dev.todo.tasks;

import dev.todo.web.ApiException;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.ToLongBiFunction;

/**
 * The task quota without counting a user's tasks on every create. Counting costs an index scan over
 * up to the quota's number of entries, so this keeps, per user, the last exact count and the creates
 * this process admitted since, and counts again only when that estimate comes within
 * {@link #margin} of the quota, or when the count is older than {@link #RECOUNT_AFTER_SECONDS}.
 * Near the quota every create counts, under the user's quota lock ({@link TaskRepository#countUpTo}),
 * so the quota holds exactly, also for creates racing for the last places.
 * <p>
 * The estimate errs high: deletes and rolled-back creates are still in it until the next count.
 * It misses what it cannot see: creates by other processes since the count, and creates of this
 * process that had not committed when the count ran. The margin absorbs those as long as they stay
 * below it within {@link #RECOUNT_AFTER_SECONDS}.
 */
@Singleton
class TaskQuota {

    static final long RECOUNT_AFTER_SECONDS = 10;
    /** Users remembered at most; the least recently seen is forgotten first (and counted again next time). */
    static final int USERS = 10_000;

    private final ToLongBiFunction<UUID, Integer> counter;
    private final int limit;
    private final int margin;
    private final LongSupplier nanoClock;
    private final long maxAgeNanos = TimeUnit.SECONDS.toNanos(RECOUNT_AFTER_SECONDS);
    private final AtomicLong exactCounts = new AtomicLong();
    private final Map<UUID, Estimate> estimates = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Estimate> eldest) {
            return size() > USERS;
        }
    };

    /** The last exact count, the creates admitted since, and when the count ran. */
    private record Estimate(long counted, long admittedSince, long countedAt) {
        long tasks() {
            return counted + admittedSince;
        }

        Estimate plus(long n) {
            return new Estimate(counted, admittedSince + n, countedAt);
        }
    }

    @Inject
    TaskQuota(TaskRepository tasks, @Value("${todo.quotas.tasks:10000}") int limit) {
        this(tasks::countUpTo, limit, System::nanoTime);
    }

    TaskQuota(ToLongBiFunction<UUID, Integer> counter, int limit, LongSupplier nanoClock) {
        this.counter = counter;
        this.limit = limit;
        this.margin = Math.max(limit / 10, 100);
        this.nanoClock = nanoClock;
    }

    int limit() {
        return limit;
    }

    /**
     * Lets the user create one more task, or refuses with the quota problem. Call it in the creating
     * transaction, before the insert: a count it runs sees what that transaction sees.
     */
    void admit(UUID userId) {
        long now = nanoClock.getAsLong();
        synchronized (estimates) {
            Estimate e = estimates.get(userId);
            if (e != null && now - e.countedAt() < maxAgeNanos && e.tasks() + 1 <= limit - margin) {
                estimates.put(userId, e.plus(1));
                return;
            }
        }
        long counted = counter.applyAsLong(userId, limit);
        exactCounts.incrementAndGet();
        boolean full = counted >= limit;
        synchronized (estimates) {
            estimates.put(userId, new Estimate(counted, full ? 0 : 1, now));
        }
        if (full) {
            throw ApiException.quotaExceeded("tasks", "tasks", limit);
        }
    }

    /** A task the quota did not admit (an occurrence a series made on its own) still takes room. */
    void created(UUID userId) {
        synchronized (estimates) {
            Estimate e = estimates.get(userId);
            if (e != null) {
                estimates.put(userId, e.plus(1));
            }
        }
    }

    /** How many exact counts ran: what the estimate saves is visible in this staying small. */
    long exactCounts() {
        return exactCounts.get();
    }
}
