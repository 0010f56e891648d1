package dev.todo.fuzz;

import dev.todo.support.TestApp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile requests across every endpoint through the real HTTP stack (a seeded generator, so a
 * failure is repeatable): 0 answers of 5xx, 0 reads of another user's data, the database unchanged
 * by every refused request. CI sends {@code fuzz.requests} (1,000 by default); {@code FuzzBench}
 * sends 10,000 and prints figures.
 */
class FuzzApiTest {

    @Test
    void hostileRequestsNeverBreakLeakOrChangeAnything() throws Exception {
        int count = Integer.getInteger("fuzz.requests", 1000);
        long seed = Long.getLong("fuzz.seed", 13L);
        FuzzRun.Result r = FuzzRun.run(TestApp.server(), seed, count);
        assertThat(r.serverErrors()).as("5xx answers (seed %d)", seed).isEmpty();
        assertThat(r.leaks()).as("answers with the other user's data (seed %d)", seed).isEmpty();
        assertThat(r.changedByRefused()).as("refused requests that changed the database (seed %d)", seed).isEmpty();
        assertThat(r.victimUnchanged()).as("the other user's data is unchanged").isTrue();
        assertThat(r.statuses().keySet()).as("some requests were accepted, most refused: %s", r.statuses())
                .anyMatch(s -> s.startsWith("2")).anyMatch(s -> s.startsWith("4"));
    }
}
