package dev.todo.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todo.support.Api;
import dev.todo.support.OwnServer;
import dev.todo.support.TestApp;
import io.cloudevents.CloudEvent;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.todo.support.Await.await;
import static dev.todo.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A consumer that always fails on one event: after the configured attempts the event is a dead
 * letter for that consumer only, later events flow on, and once the consumer is fixed an
 * administrator's replay runs it once. Runs its own app on its own database.
 */
class PoisonEventTest {

    static final String ADMIN = "dead-letter-admin";

    /** Chokes on the creation of a task titled "poison pill" until it is fixed; remembers what it handled. */
    @Singleton
    @Requires(property = "todo.test.fussy-consumer", value = "true")
    static class FussyConsumer implements EventConsumer {

        volatile boolean fixed;
        final AtomicInteger failures = new AtomicInteger();
        final List<String> handled = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "fussy";
        }

        @Override
        public Set<String> topics() {
            return Set.of("task-events");
        }

        @Override
        public void handle(CloudEvent event) {
            if (!fixed && event.getType().equals("dev.todo.task.created")
                    && new String(event.getData().toBytes(), StandardCharsets.UTF_8).contains("poison pill")) {
                failures.incrementAndGet();
                throw new IllegalStateException("cannot digest task " + event.getSubject());
            }
            handled.add(event.getType() + " " + event.getSubject());
        }
    }

    @Test
    void aPoisonEventIsDeadLetteredOthersFlowOnAndAReplayAfterTheFixRunsItOnce() {
        TestApp.preregister("poison", ADMIN, "correct-horse-battery");
        try (OwnServer server = TestApp.ownServer("poison", Map.of(
                "todo.test.fussy-consumer", "true",
                "todo.admin-users", ADMIN,
                "todo.events.max-attempts", 3,
                "todo.events.first-backoff", "10ms"))) {
            FussyConsumer fussy = server.bean(FussyConsumer.class);
            Api api = server.api();
            Api admin = api.login(ADMIN, "correct-horse-battery");
            Api user = api.newUser();
            String poison = user.createTask("{\"title\":\"poison pill\"}").get("id").asText();
            String healthy = user.createTask("{\"title\":\"healthy\"}").get("id").asText();

            await(Duration.ofSeconds(10), () -> fussy.handled, h -> h.contains("dev.todo.task.created " + healthy));
            assertThat(fussy.handled).doesNotContain("dev.todo.task.created " + poison);
            JsonNode letters = await(Duration.ofSeconds(10), () -> admin.get("/api/admin/dead-letters?consumer=fussy").json().get("items"),
                    l -> l.size() == 1);
            JsonNode letter = letters.get(0);
            assertThat(letter.get("eventType").asText()).isEqualTo("dev.todo.task.created");
            assertThat(letter.get("attempts").asInt()).isEqualTo(3);
            assertThat(fussy.failures.get()).isEqualTo(3);
            assertThat(letter.get("error").asText()).contains("cannot digest task " + poison);
            assertThat(letter.get("replayedAt").isNull()).isTrue();
            assertThat(admin.get("/api/admin/dead-letters?consumer=activity").json().get("items"))
                    .as("the other consumers handled it").isEmpty();
            assertThat(user.get("/api/activity?taskId=" + poison).json().get("items")).hasSize(1);
            assertProblem(user.get("/api/admin/dead-letters"), 403, null);

            fussy.fixed = true;
            String path = "/api/admin/dead-letters/" + letter.get("id").asText();
            assertThat(admin.post(path + "/replay").status()).isEqualTo(202);
            JsonNode replayed = await(Duration.ofSeconds(10), () -> admin.get(path).json(), d -> !d.get("replayedAt").isNull());
            assertThat(replayed.at("/event/subject").asText()).isEqualTo(poison);
            assertThat(fussy.handled).filteredOn(h -> h.equals("dev.todo.task.created " + poison)).hasSize(1);
            assertThat(admin.get("/api/admin/dead-letters?consumer=fussy").json().get("items")).as("no open dead letters").isEmpty();
            assertProblem(admin.post(path + "/replay"), 409, null);
            assertThat(user.get("/api/activity?taskId=" + poison).json().get("items")).as("a replay runs only its consumer").hasSize(1);
        }
    }
}
