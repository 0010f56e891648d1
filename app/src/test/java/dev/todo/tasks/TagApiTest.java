package dev.todo.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todo.support.Api;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.todo.support.Await.await;
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
        assertThat(user.get("/api/tasks?limit=100&tag=" + tag).json().get("items")).as("each task's copy of its tag ids").hasSize(n);
        all.forEach(t -> assertThat(t.get("openTasks").asInt()).isEqualTo(n));
    }

    /** The task.updated events of a task as the activity log has them, oldest first, once there are {@code n}. */
    private List<JsonNode> updates(String taskId, int n) {
        JsonNode items = await(Duration.ofSeconds(10), () -> user.get("/api/activity?type=task.updated&taskId=" + taskId).json().get("items"),
                l -> l.size() >= n);
        List<JsonNode> out = new ArrayList<>();
        items.forEach(e -> out.add(0, e.get("data")));
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(x -> out.add(x.asText()));
        return out;
    }

    @Test
    void renameMergeAndDeleteAnnounceEveryTaskTheyChange() {
        String a = user.createTask("{\"title\":\"a\",\"tags\":[\"home\",\"garden\"]}").get("id").asText();
        String b = user.createTask("{\"title\":\"b\",\"tags\":[\"garden\"]}").get("id").asText();
        String c = user.createTask("{\"title\":\"c\",\"tags\":[\"other\"]}").get("id").asText();
        user.patch("/api/tags/home", "{\"name\":\"House\"}");
        user.patch("/api/tags/house", "{\"name\":\"GARDEN\"}");
        assertThat(user.delete("/api/tags/garden").status()).isEqualTo(204);

        List<JsonNode> ofA = updates(a, 3);
        assertThat(ofA).hasSize(3);
        assertThat(ofA).extracting(d -> strings(d.at("/changes/tags/before")))
                .containsExactly(List.of("garden", "home"), List.of("garden", "House"), List.of("garden"));
        assertThat(ofA).extracting(d -> strings(d.at("/changes/tags/after")))
                .containsExactly(List.of("garden", "House"), List.of("garden"), List.of());
        assertThat(ofA).allSatisfy(d -> assertThat(d.get("changes").size()).as("only the tags changed").isEqualTo(1));
        assertThat(ofA).extracting(d -> strings(d.at("/task/tags"))).containsExactly(List.of("garden", "House"), List.of("garden"), List.of());
        JsonNode current = user.get("/api/tasks/" + a).json();
        assertThat(ofA.get(2).at("/task/version").asInt()).as("the snapshot is the task as it now is").isEqualTo(current.get("version").asInt());

        List<JsonNode> ofB = updates(b, 1);
        assertThat(ofB).hasSize(1);
        assertThat(strings(ofB.get(0).at("/changes/tags/before"))).containsExactly("garden");
        assertThat(strings(ofB.get(0).at("/changes/tags/after"))).isEmpty();
        assertThat(user.get("/api/activity?type=task.updated&taskId=" + c).json().get("items")).as("an untouched task").isEmpty();
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
