package dev.todo.web;

import dev.todo.support.Api;
import dev.todo.support.OwnServer;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.todo.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Per-user quotas, on a server with small ones: a 409 naming the quota past them, others unaffected. */
class QuotaApiTest {

    @Test
    void tasksTokensAndTicketsStopAtTheirQuotas() throws Exception {
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

            // creates racing for the last places: together they stop at the quota too
            Api racer = api.newUser();
            assertThat(race(12, i -> racer.post("/api/tasks", "{\"title\":\"race " + i + "\"}").status()))
                    .containsOnly(201, 409).filteredOn(s -> s == 201).hasSize(3);
            assertThat(racer.get("/api/tasks").json().get("items")).hasSize(3);
            assertThat(race(6, i -> racer.post("/api/tokens", "{\"name\":\"race " + i + "\"}").status()))
                    .containsOnly(201, 409).filteredOn(s -> s == 201).hasSize(2);
            assertThat(racer.get("/api/tokens").json().get("items")).hasSize(2);

            // edits racing to add new tags (two each, to three tasks) stop at the tag quota (3) too
            Api tagRacer = api.newUser();
            List<String> tasks = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                tasks.add(tagRacer.createTask("{\"title\":\"tag race " + i + "\"}").get("id").asText());
            }
            assertThat(race(12, i -> tagRacer.patch("/api/tasks/" + tasks.get(i % 3), "{\"tags\":[\"r" + i + "a\",\"r" + i + "b\"]}").status()))
                    .containsOnly(200, 409).contains(200);
            assertThat(tagRacer.get("/api/tags").json().get("items").size()).isBetween(2, 3);
        }
    }

    /** The statuses of {@code n} requests sent at once. */
    private static List<Integer> race(int n, java.util.function.IntFunction<Integer> request) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                answers.add(pool.submit(() -> {
                    go.await();
                    return request.apply(k);
                }));
            }
            go.countDown();
            List<Integer> statuses = new java.util.ArrayList<>();
            for (var a : answers) {
                statuses.add(a.get(30, java.util.concurrent.TimeUnit.SECONDS));
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }
}
