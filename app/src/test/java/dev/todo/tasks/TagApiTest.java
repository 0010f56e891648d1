package dev.todo.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todo.support.Api;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.todo.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

class TagApiTest {

    private final Api user = TestApp.api().newUser();

    private JsonNode tags() {
        return user.get("/api/tags").json().get("items");
    }

    private List<String> tagsOf(String id) {
        List<String> out = new ArrayList<>();
        user.get("/api/tasks/" + id).json().get("tags").forEach(t -> out.add(t.asText()));
        return out;
    }

    @Test
    void listsTagsWithOpenTaskCountsAndKeepsFirstSpelling() {
        user.createTask("{\"title\":\"a\",\"tags\":[\"Work\",\"home\"]}");
        user.createTask("{\"title\":\"b\",\"tags\":[\"work\"]}");
        String done = user.createTask("{\"title\":\"c\",\"tags\":[\"WORK\"]}").get("id").asText();
        user.post("/api/tasks/" + done + "/complete");
        JsonNode items = tags();
        assertThat(items).hasSize(2);
        assertThat(items.get(0).get("name").asText()).isEqualTo("home");
        assertThat(items.get(0).get("openTasks").asInt()).isEqualTo(1);
        assertThat(items.get(1).get("name").asText()).isEqualTo("Work");
        assertThat(items.get(1).get("openTasks").asInt()).isEqualTo(2);
    }

    @Test
    void renameColourAndMergeIntoExistingTag() {
        String a = user.createTask("{\"title\":\"a\",\"tags\":[\"errands\",\"shop\"]}").get("id").asText();
        String b = user.createTask("{\"title\":\"b\",\"tags\":[\"shopping\"]}").get("id").asText();
        JsonNode coloured = user.patch("/api/tags/errands", "{\"color\":\"#1e90ff\"}").json();
        assertThat(coloured.get("color").asText()).isEqualTo("#1e90ff");

        JsonNode renamed = user.patch("/api/tags/errands", "{\"name\":\"Errands\"}").json();
        assertThat(renamed.get("name").asText()).isEqualTo("Errands");
        assertThat(renamed.get("color").asText()).isEqualTo("#1e90ff");

        int versionBefore = user.get("/api/tasks/" + a).json().get("version").asInt();
        JsonNode merged = user.patch("/api/tags/shop", "{\"name\":\"SHOPPING\"}").json();
        assertThat(merged.get("name").asText()).isEqualTo("shopping");
        assertThat(merged.get("openTasks").asInt()).isEqualTo(2);
        assertThat(tagsOf(a)).containsExactly("Errands", "shopping");
        assertThat(tagsOf(b)).containsExactly("shopping");
        assertThat(user.get("/api/tasks?tag=shopping").json().get("items")).hasSize(2);
        assertThat(user.get("/api/tasks?tag=shop").json().get("items")).isEmpty();
        assertThat(user.get("/api/tasks?tag=shopping&tag=errands").json().get("items")).hasSize(1);
        assertThat(user.get("/api/tasks/" + a).json().get("version").asInt()).isGreaterThan(versionBefore);
        assertThat(tags()).hasSize(2);

        assertThat(user.patch("/api/tags/shopping", "{\"color\":null}").json().get("color").isNull()).isTrue();
    }

    @Test
    void deleteRemovesTagFromTasks() {
        String a = user.createTask("{\"title\":\"a\",\"tags\":[\"x\",\"y\"]}").get("id").asText();
        assertThat(user.delete("/api/tags/X").status()).isEqualTo(204);
        assertThat(tagsOf(a)).containsExactly("y");
        assertThat(user.get("/api/tasks?tag=y").json().get("items")).hasSize(1);
        assertThat(user.get("/api/tasks?tag=x").json().get("items")).isEmpty();
        user.patch("/api/tasks/" + a, "{\"tags\":[]}");
        assertThat(user.get("/api/tasks?noTags=true").json().get("items")).hasSize(1);
        assertProblem(user.delete("/api/tags/x"), 404, null);
    }

    @Test
    void concurrentTasksIntroducingTheSameNewTagAllCarryIt() throws Exception {
        String tag = "race-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        int n = 24;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<JsonNode>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String spelling = i % 2 == 0 ? tag : tag.toUpperCase();
                futures.add(pool.submit(() -> {
                    go.await();
                    return user.createTask("{\"title\":\"race\",\"tags\":[\"" + spelling + "\",\"shared\"]}");
                }));
            }
            go.countDown();
            for (java.util.concurrent.Future<JsonNode> f : futures) {
                JsonNode created = f.get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(created.get("tags")).hasSize(2);
                assertThat(tagsOf(created.get("id").asText())).hasSize(2);
            }
        } finally {
            pool.shutdownNow();
        }
        JsonNode all = tags();
        List<String> names = new ArrayList<>();
        all.forEach(t -> names.add(t.get("name").asText().toLowerCase()));
        assertThat(names).containsOnlyOnce(tag, "shared");
        all.forEach(t -> assertThat(t.get("openTasks").asInt()).isEqualTo(n));
    }

    @Test
    void badTagUpdatesAreRejected() {
        user.createTask("{\"title\":\"a\",\"tags\":[\"keep\"]}");
        assertProblem(user.patch("/api/tags/keep", "{\"color\":\"blue\"}"), 400, "color");
        assertProblem(user.patch("/api/tags/keep", "{\"name\":\"\"}"), 400, "name");
        assertProblem(user.patch("/api/tags/keep", "{\"name\":\"" + "x".repeat(51) + "\"}"), 400, "name");
        assertProblem(user.patch("/api/tags/missing", "{\"color\":\"#000000\"}"), 404, null);
        assertThat(tags().get(0).get("name").asText()).isEqualTo("keep");
        assertThat(tags().get(0).get("color").isNull()).isTrue();
    }
}
