package dev.todo.tasks;

import dev.todo.web.ApiException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The task quota's estimate, over a stand-in count (each user's "tasks" are a number) and a clock the test moves. */
class TaskQuotaTest {

    private final Map<UUID, Long> stored = new HashMap<>();
    private final AtomicLong clock = new AtomicLong(TimeUnit.HOURS.toNanos(1));

    private TaskQuota quota(int limit) {
        return new TaskQuota((user, max) -> Math.min(stored.getOrDefault(user, 0L), max), limit, clock::get);
    }

    /** What a create does: the quota admits it, then the row exists. */
    private void create(TaskQuota quota, UUID user) {
        quota.admit(user);
        stored.merge(user, 1L, Long::sum);
    }

    @Test
    void farFromTheQuotaCreatesDoNotCount() {
        TaskQuota quota = quota(10_000);
        UUID user = UUID.randomUUID();
        stored.put(user, 2_000L);
        for (int i = 0; i < 1_000; i++) {
            create(quota, user);
        }
        assertThat(quota.exactCounts()).as("one count for a thousand creates").isEqualTo(1);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(TaskQuota.RECOUNT_AFTER_SECONDS));
        create(quota, user);
        assertThat(quota.exactCounts()).as("an old count is taken again").isEqualTo(2);
    }

    @Test
    void nearTheQuotaEveryCreateCountsSoTheQuotaHoldsExactly() {
        TaskQuota quota = quota(10_000);
        UUID user = UUID.randomUUID();
        stored.put(user, 8_000L);
        for (int i = 0; i < 1_000; i++) {
            create(quota, user);
        }
        long counts = quota.exactCounts();
        assertThat(counts).as("up to the margin (1,000) below the quota").isEqualTo(1);
        for (int i = 0; i < 999; i++) {
            create(quota, user);
        }
        assertThat(quota.exactCounts()).as("within the margin every create counts").isEqualTo(counts + 999);
        assertThat(stored.get(user)).isEqualTo(9_999L);
        create(quota, user);
        assertThatThrownBy(() -> quota.admit(user)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.getMessage()).contains("at most 10000 tasks per user"));
        assertThat(stored.get(user)).isEqualTo(10_000L);

        stored.put(user, 9_999L); // a delete, which the estimate does not see: the next create counts anyway
        create(quota, user);
        assertThatThrownBy(() -> quota.admit(user)).isInstanceOf(ApiException.class);
    }

    @Test
    void aSmallQuotaCountsOnEveryCreate() {
        TaskQuota quota = quota(3);
        UUID user = UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            create(quota, user);
        }
        assertThatThrownBy(() -> quota.admit(user)).isInstanceOf(ApiException.class);
        assertThat(quota.exactCounts()).isEqualTo(4);
    }

    @Test
    void occurrencesASeriesMadeTakeRoomInTheEstimate() {
        TaskQuota quota = quota(1_000);
        UUID user = UUID.randomUUID();
        stored.put(user, 850L);
        create(quota, user); // counts 850: the estimate is 851, the count runs again past 900 (the margin is 100)
        for (int i = 0; i < 9; i++) {
            create(quota, user);
        }
        assertThat(quota.exactCounts()).isEqualTo(1);
        for (int i = 0; i < 40; i++) {
            quota.created(user);
            stored.merge(user, 1L, Long::sum);
        }
        create(quota, user);
        assertThat(quota.exactCounts()).as("made occurrences bring the count on sooner").isEqualTo(2);
    }

    @Test
    void remembersABoundedNumberOfUsers() {
        TaskQuota quota = quota(10_000);
        UUID first = UUID.randomUUID();
        create(quota, first);
        for (int i = 0; i < TaskQuota.USERS; i++) {
            create(quota, UUID.randomUUID());
        }
        long counts = quota.exactCounts();
        create(quota, first);
        assertThat(quota.exactCounts()).as("the least recently seen user was forgotten").isEqualTo(counts + 1);
    }
}
