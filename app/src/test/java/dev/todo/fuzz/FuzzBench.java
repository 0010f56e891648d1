package dev.todo.fuzz;

import dev.todo.support.TestApp;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The full fuzz run, with {@code ./mvnw -pl app test -Pbench -Dtest=FuzzBench}: 10,000 hostile
 * requests (seed {@code fuzz.seed}, 13 by default) with the same checks as {@link FuzzApiTest},
 * printing the answers by status and by kind of request, and the latency percentiles.
 */
class FuzzBench {

    @Test
    void tenThousandHostileRequests() throws Exception {
        long seed = Long.getLong("fuzz.seed", 13L);
        long start = System.nanoTime();
        FuzzRun.Result r = FuzzRun.run(TestApp.server(), seed, Integer.getInteger("fuzz.requests", 10_000));
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] l = Arrays.stream(r.latenciesNanos()).filter(x -> x > 0).sorted().toArray();
        System.out.printf("fuzz seed %d: %d requests in %.1f s; statuses %s; kinds %s; 5xx %d, leaks %d, refused-but-changed %d,"
                        + " other user unchanged %s; latency p50 %.1f ms p99 %.1f ms max %.1f ms%n",
                seed, r.requests(), seconds, r.statuses(), r.kinds(), r.serverErrors().size(), r.leaks().size(),
                r.changedByRefused().size(), r.victimUnchanged(), l[l.length / 2] / 1e6, l[(int) (l.length * 0.99)] / 1e6,
                l[l.length - 1] / 1e6);
        assertThat(r.serverErrors()).isEmpty();
        assertThat(r.leaks()).isEmpty();
        assertThat(r.changedByRefused()).isEmpty();
        assertThat(r.victimUnchanged()).isTrue();
    }
}
