package dev.todo.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todo.support.Api;
import dev.todo.support.OwnServer;
import dev.todo.support.TestApp;
import io.cloudevents.CloudEvent;
import io.micronaut.context.annotation.Requires;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.todo.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Background loops survive what would have ended their threads: an Error in a consumer is
 * dead-lettered and the relay goes on; a loop whose round throws goes on after a backoff and is
 * counted; a loop that stops turning turns liveness DOWN; an event the transport keeps refusing
 * shows in the outbox gauges. Runs its own app on its own database.
 */
class WorkersSurviveTest {

    static final String ADMIN = "workers-admin";

    /** Runs out of memory (simulated) on tasks titled "oom"; refuses (retry later) tasks titled "stuck" while told to. */
    @Singleton
    @Requires(property = "todo.test.workers", value = "true")
    static class Troubled implements EventConsumer {
        final List<String> handled = new CopyOnWriteArrayList<>();
        final AtomicBoolean refusing = new AtomicBoolean(true);

        @Override
        public String name() {
            return "troubled";
        }

        @Override
        public Set<String> topics() {
            return Set.of("task-events");
        }

        @Override
        public void handle(CloudEvent event) {
            String data = new String(event.getData().toBytes(), StandardCharsets.UTF_8);
            if (event.getType().equals("dev.todo.task.created") && data.matches("(?s).*\"title\":\\s*\"oom\".*")) {
                throw new OutOfMemoryError("simulated: Java heap space");
            }
            if (event.getType().equals("dev.todo.task.created") && data.matches("(?s).*\"title\":\\s*\"stuck\".*") && refusing.get()) {
                throw new IllegalStateException(new java.sql.SQLTransientConnectionException("simulated outage"));
            }
            handled.add(event.getType() + " " + event.getSubject());
        }
    }

    /** A loop whose rounds throw now and then, and one that hangs when told to. */
    @Singleton
    @Requires(property = "todo.test.workers", value = "true")
    static class Flaky extends ListeningWorker {
        final AtomicInteger rounds = new AtomicInteger();

        Flaky(DataSource dataSource, DataSourceResolver resolver) {
            super(resolver.resolve(dataSource), "todo_test_flaky", "flaky-worker");
        }

        @Override
        protected long round(Connection listener) {
            int n = rounds.incrementAndGet();
            if (n == 2) {
                throw new IllegalStateException("simulated bug");
            }
            if (n == 4) {
                throw new StackOverflowError("simulated");
            }
            return 50;
        }
    }

    @Singleton
    @Requires(property = "todo.test.workers", value = "true")
    static class Hanging extends ListeningWorker {
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean hang;

        Hanging(DataSource dataSource, DataSourceResolver resolver) {
            super(resolver.resolve(dataSource), "todo_test_hanging", "hanging-worker");
        }

        @Override
        protected long round(Connection listener) {
            if (hang) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return 100;
        }
    }

    @Test
    void loopsSurviveAreCountedAndAStuckOneTurnsLivenessDown() {
        TestApp.preregister("workers", ADMIN, "correct-horse-battery");
        try (OwnServer server = TestApp.ownServer("workers", Map.of(
                "todo.test.workers", "true",
                "todo.admin-users", ADMIN,
                "todo.events.max-attempts", 2,
                "todo.events.first-backoff", "10ms",
                "todo.workers.stall-after", "3s",
                "todo.events.backlog-interval", "500ms"))) {
            Troubled troubled = server.bean(Troubled.class);
            Flaky flaky = server.bean(Flaky.class);
            Hanging hanging = server.bean(Hanging.class);
            OutboxRelay relay = server.bean(OutboxRelay.class);
            Api api = server.api();
            Api admin = api.login(ADMIN, "correct-horse-battery");
            Api user = api.newUser();

            // an Error in a consumer: dead-lettered, and what follows still flows
            String oom = user.createTask("{\"title\":\"oom\"}").get("id").asText();
            String after = user.createTask("{\"title\":\"after\"}").get("id").asText();
            await(Duration.ofSeconds(10), () -> troubled.handled, h -> h.contains("dev.todo.task.created " + after));
            JsonNode letters = await(Duration.ofSeconds(10),
                    () -> admin.get("/api/admin/dead-letters?consumer=troubled").json().get("items"), l -> l.size() == 1);
            assertThat(letters.get(0).get("error").asText()).contains("OutOfMemoryError");
            assertThat(admin.get("/api/admin/dead-letters/" + letters.get(0).get("id").asText()).json().at("/event/subject").asText())
                    .isEqualTo(oom);

            // replaying it fails again with the Error: recorded on the dead letter, the request answered, not retried forever
            String letter = "/api/admin/dead-letters/" + letters.get(0).get("id").asText();
            assertThat(admin.post(letter + "/replay").status()).isEqualTo(202);
            JsonNode replayed = await(Duration.ofSeconds(10), () -> admin.get(letter).json(),
                    d -> d.get("replayRequestedAt").isNull() && d.get("attempts").asInt() > letters.get(0).get("attempts").asInt());
            assertThat(replayed.get("error").asText()).contains("OutOfMemoryError");
            assertThat(replayed.get("replayedAt").isNull()).isTrue();

            // a loop whose round throws (RuntimeException, then an Error) goes on, and each recovery is counted
            await(Duration.ofSeconds(10), flaky.rounds::get, n -> n > 6);
            String metrics = await(Duration.ofSeconds(10), () -> api.get("/prometheus").body(),
                    m -> m.contains("todo_workers_restarts_total{worker=\"flaky-worker\"} 2.0"));
            assertThat(metrics).contains("todo_workers_restarts_total{worker=\"flaky-worker\"} 2.0");

            // an event the transport keeps refusing: its attempts and age show
            String stuck = user.createTask("{\"title\":\"stuck\"}").get("id").asText();
            await(Duration.ofSeconds(15), () -> api.get("/prometheus").body(),
                    m -> gauge(m, "todo_outbox_head_attempts") >= 2 && gauge(m, "todo_events_outbox_oldest_age_seconds") >= 1);
            troubled.refusing.set(false);
            await(Duration.ofSeconds(15), () -> troubled.handled, h -> h.contains("dev.todo.task.created " + stuck));
            await(Duration.ofSeconds(15), () -> api.get("/prometheus").body(), m -> gauge(m, "todo_outbox_head_attempts") == 0);
            assertThat(relay.publishedCount()).isPositive();

            // liveness: UP while every loop turns, DOWN (naming it) once one hangs
            assertThat(api.get("/health/liveness").status()).isEqualTo(200);
            hanging.hang = true;
            Api.Res down = await(Duration.ofSeconds(15), () -> user.get("/health/liveness"), r -> r.status() == 503);
            assertThat(api.get("/health/liveness").status()).as("anonymous probes see the status").isEqualTo(503);
            assertThat(down.body()).contains("hanging-worker").doesNotContain("outbox-relay").doesNotContain("flaky-worker");
            hanging.release.countDown();
            hanging.hang = false;
            await(Duration.ofSeconds(15), () -> api.get("/health/liveness"), r -> r.status() == 200);
        }
    }

    private static double gauge(String prometheus, String name) {
        for (String line : prometheus.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }
}
