package dev.todo.web;

import dev.todo.support.Api;
import dev.todo.support.OwnServer;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.todo.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Per-user quotas, on a server with small ones: a 409 naming the quota past them, others unaffected. */
class QuotaApiTest {

    @Test
    void tasksTokensAndTicketsStopAtTheirQuotas() {
        try (OwnServer server = TestApp.ownServer("quotas", Map.of(
                "todo.quotas.tasks", 3,
                "todo.quotas.tokens", 2,
                "todo.quotas.open-tickets", 2,
                "todo.quotas.tags", 3))) {
            Api api = server.api();
            Api user = api.newUser();
            for (int i = 0; i < 3; i++) {
                user.createTask("{\"title\":\"t" + i + "\"}");
            }
            var over = assertProblem(user.post("/api/tasks", "{\"title\":\"one too many\"}"), 409, "tasks");
            assertThat(over.get("type").asText()).endsWith("/quota-exceeded");
            assertThat(user.get("/api/tasks").json().get("items")).hasSize(3);
            String first = user.get("/api/tasks").json().get("items").get(0).get("id").asText();
            assertThat(user.delete("/api/tasks/" + first).status()).isEqualTo(204);
            assertThat(user.post("/api/tasks", "{\"title\":\"room again\"}").status()).isEqualTo(201);

            assertThat(user.post("/api/tokens", "{\"name\":\"a\"}").status()).isEqualTo(201);
            assertThat(user.post("/api/tokens", "{\"name\":\"b\"}").status()).isEqualTo(201);
            assertProblem(user.post("/api/tokens", "{\"name\":\"c\"}"), 409, "tokens");

            assertThat(user.post("/api/stream/tickets").status()).isEqualTo(201);
            assertThat(user.post("/api/stream/tickets").status()).isEqualTo(201);
            assertProblem(user.post("/api/stream/tickets"), 409, "tickets");

            Api tagger = api.newUser();
            assertThat(tagger.post("/api/tasks", "{\"title\":\"a\",\"tags\":[\"one\",\"two\"]}").status()).isEqualTo(201);
            assertProblem(tagger.post("/api/tasks", "{\"title\":\"b\",\"tags\":[\"ONE\",\"three\",\"four\"]}"), 409, "tags");
            assertThat(tagger.post("/api/tasks", "{\"title\":\"c\",\"tags\":[\"ONE\",\"two\",\"three\"]}").status())
                    .as("existing tags count once").isEqualTo(201);
            assertThat(tagger.get("/api/tags").json().get("items")).hasSize(3);

            Api other = api.newUser();
            assertThat(other.post("/api/tasks", "{\"title\":\"mine\"}").status()).as("quotas are per user").isEqualTo(201);
        }
    }
}
