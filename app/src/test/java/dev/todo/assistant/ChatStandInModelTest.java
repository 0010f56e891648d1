package dev.todo.assistant;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todo.support.Api;
import dev.todo.support.OwnServer;
import dev.todo.support.TestApp;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.todo.support.Await.await;
import static dev.todo.support.Problems.assertProblem;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The chat end to end: the real app over HTTP with its model endpoint pointed at a stand-in
 * OpenAI-compatible server that answers with scripted tool calls.
 */
class ChatStandInModelTest {

    private static StandInChatCompletions model;
    private static OwnServer server;
    private Api user;

    static OwnServer start(String baseUrl) {
        return TestApp.ownServer("todo", Map.of(
                "todo.assistant.base-url", baseUrl,
                "todo.assistant.model", "stand-in-model",
                "todo.assistant.api-key", "test-key",
                "todo.assistant.timeout", "5s"));
    }

    @BeforeAll
    static void startServers() throws Exception {
        model = new StandInChatCompletions();
        server = start(model.baseUrl());
    }

    @AfterAll
    static void stopServers() {
        server.close();
        model.close();
    }

    @BeforeEach
    void newUser() {
        model.reset();
        user = server.api().newUser();
    }

    private JsonNode chat(String message) {
        Api.Res r = user.post("/api/assistant/chat", Api.JSON.createObjectNode().put("message", message).toString());
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return r.json();
    }

    @Test
    void addATaskCreatesItAndReportsTheActionWithItsUndo() {
        model.thenCalls(entry("add_task", Map.of("title", "Call mum", "priority", "high")))
                .then(r -> StandInChatCompletions.text("Added \"" + StandInChatCompletions.lastToolResult(r).get("title").asText() + "\"."));

        JsonNode turn = chat("add a task: call mum, it's important");

        assertThat(turn.get("reply").asText()).isEqualTo("Added \"Call mum\".");
        JsonNode action = turn.at("/actions/0");
        assertThat(action.get("tool").asText()).isEqualTo("add_task");
        assertThat(action.at("/undo/tool").asText()).isEqualTo("delete_task");
        String id = action.get("taskId").asText();
        JsonNode task = user.get("/api/tasks/" + id).json();
        assertThat(task.get("title").asText()).isEqualTo("Call mum");
        assertThat(task.get("priority").asText()).isEqualTo("high");
        // the model was offered the tools and got the user's words
        JsonNode first = model.requests().get(0);
        assertThat(first.get("model").asText()).isEqualTo("stand-in-model");
        assertThat(first.get("tools").findValuesAsText("name")).contains("add_task", "list_tasks", "agenda");
        assertThat(first.toString()).contains("add a task: call mum");
        // the change is logged as the assistant's
        JsonNode log = await(Duration.ofSeconds(10), () -> user.get("/api/activity?taskId=" + id).json().get("items"), l -> l.size() == 1);
        assertThat(log.at("/0/data/via/kind").asText()).isEqualTo("assistant");

        // undo removes it again
        String conversation = turn.get("conversationId").asText();
        Api.Res undo = user.post("/api/assistant/conversations/" + conversation + "/actions/0/undo");
        assertThat(undo.status()).as("%s", undo).isEqualTo(200);
        assertThat(user.get("/api/tasks/" + id).status()).isEqualTo(404);
        assertThat(user.get("/api/assistant/conversations/" + conversation).json().at("/actions/0/undone").asBoolean()).isTrue();
    }

    @Test
    void undoingADeletionCreatesTheTaskAgainWithItsFieldsAndAnUnchangedUpdateIsNoAction() {
        JsonNode original = user.createTask("{\"title\":\"Pay rent\",\"priority\":\"urgent\",\"tags\":[\"money\"],"
                + "\"dueAt\":\"2030-01-01T09:00:00Z\",\"reminders\":[{\"before\":\"P1D\"}]}");
        String id = original.get("id").asText();
        user.post("/api/tasks/" + id + "/complete");
        model.thenCalls(entry("update_task", Map.of("id", id, "title", "Pay rent")), entry("delete_task", Map.of("id", id)))
                .thenText("Deleted.");

        JsonNode turn = chat("delete the rent task");

        assertThat(turn.get("actions")).extracting(a -> a.get("tool").asText()).containsExactly("delete_task");
        assertThat(user.get("/api/tasks/" + id).status()).isEqualTo(404);
        JsonNode undone = user.post("/api/assistant/conversations/" + turn.get("conversationId").asText() + "/actions/0/undo").json();
        String again = undone.at("/result/id").asText();
        JsonNode task = user.get("/api/tasks/" + again).json();
        assertThat(task.get("title").asText()).isEqualTo("Pay rent");
        assertThat(task.get("priority").asText()).isEqualTo("urgent");
        assertThat(task.get("tags")).extracting(JsonNode::asText).containsExactly("money");
        assertThat(task.get("completed").asBoolean()).isTrue();
        assertThat(task.at("/reminders/0/before").asText()).isEqualTo(original.at("/reminders/0/before").asText());
        assertThat(java.time.Instant.parse(java.time.OffsetDateTime.parse(task.get("dueAt").asText()).toInstant().toString()))
                .isEqualTo(java.time.Instant.parse("2030-01-01T09:00:00Z"));
        Api.Res twice = user.post("/api/assistant/conversations/" + turn.get("conversationId").asText() + "/actions/0/undo");
        assertProblem(twice, 409, null);
    }

    @Test
    void aMultiStepRequestRunsTheCallsInOrder() {
        String zone = user.get("/api/me").json().get("timeZone").asText();
        LocalDate today = LocalDate.now(ZoneId.of(zone));
        String todayNoon = today.atTime(12, 0).atZone(ZoneId.of(zone)).toOffsetDateTime().toString();
        String saturday = today.plusDays(3).atTime(9, 0).atZone(ZoneId.of(zone)).toOffsetDateTime().toString();
        String a = user.createTask("{\"title\":\"Clean kitchen\",\"tags\":[\"home\"],\"dueAt\":\"" + todayNoon + "\"}").get("id").asText();
        String b = user.createTask("{\"title\":\"Fix shelf\",\"tags\":[\"home\"],\"dueAt\":\"" + todayNoon + "\"}").get("id").asText();
        String other = user.createTask("{\"title\":\"Report\",\"tags\":[\"work\"],\"dueAt\":\"" + todayNoon + "\"}").get("id").asText();

        model.thenCalls(entry("list_tasks", Map.of("tag", List.of("home"))))
                .then(r -> {
                    List<Map.Entry<String, Map<String, Object>>> moves = new ArrayList<>();
                    StandInChatCompletions.lastToolResult(r).get("items")
                            .forEach(t -> moves.add(entry("update_task", Map.of("id", t.get("id").asText(), "dueAt", saturday))));
                    return StandInChatCompletions.toolCalls(moves);
                })
                .thenText("Moved 2 tasks to Saturday morning.");

        JsonNode turn = chat("move everything tagged #home due today to Saturday morning");

        assertThat(turn.get("reply").asText()).isEqualTo("Moved 2 tasks to Saturday morning.");
        assertThat(turn.get("actions")).extracting(n -> n.get("tool").asText()).containsExactly("update_task", "update_task");
        // undoing a move puts the old due date back
        assertThat(java.time.OffsetDateTime.parse(turn.at("/actions/0/undo/arguments/dueAt").asText()).toInstant())
                .isEqualTo(java.time.OffsetDateTime.parse(todayNoon).toInstant());
        for (String id : List.of(a, b)) {
            assertThat(java.time.OffsetDateTime.parse(user.get("/api/tasks/" + id).json().get("dueAt").asText()).toInstant())
                    .isEqualTo(java.time.OffsetDateTime.parse(saturday).toInstant());
        }
        assertThat(user.get("/api/tasks/" + other).json().get("dueAt").asText()).isNotEqualTo(saturday);
        // three model calls: the request, after the list, after the updates (with both results in order)
        assertThat(model.requests()).hasSize(3);
        assertThat(StandInChatCompletions.toolResults(model.requests().get(1))).hasSize(1);
        List<JsonNode> results = StandInChatCompletions.toolResults(model.requests().get(2));
        assertThat(results).hasSize(3);
        assertThat(results.get(1).get("id").asText()).isIn(a, b);
        assertThat(results.get(2).get("id").asText()).isIn(a, b).isNotEqualTo(results.get(1).get("id").asText());
    }

    @Test
    void aToolErrorIsFedBackToTheModelAndTheReplySaysSo() {
        model.thenCalls(entry("add_task", Map.of("title", "Dentist", "priority", "extreme")))
                .then(r -> {
                    JsonNode error = StandInChatCompletions.lastToolResult(r);
                    return StandInChatCompletions.text("I could not add it: " + error.at("/errors/0/field").asText() + " "
                            + error.at("/errors/0/message").asText());
                });

        assertProblem(user.post("/api/assistant/chat", "{}"), 400, "message");
        assertProblem(user.post("/api/assistant/chat", "{\"message\":\"hi\",\"mood\":\"good\"}"), 400, "mood");
        assertProblem(user.post("/api/assistant/chat", "{\"message\":\"" + "x".repeat(4001) + "\"}"), 400, "message");
        assertThat(model.requests()).isEmpty();

        JsonNode turn = chat("add dentist, priority extreme");

        assertThat(turn.get("reply").asText()).startsWith("I could not add it: priority unknown value 'extreme'");
        assertThat(turn.get("actions")).isEmpty();
        assertThat(user.get("/api/tasks?status=all").json().get("items")).isEmpty();
    }

    @Test
    void changingMoreThanTenTasksWaitsForTheUsersConfirmation() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            ids.add(user.createTask("{\"title\":\"Chore " + i + "\"}").get("id").asText());
        }
        model.thenCalls(entry("complete_tasks", Map.of("ids", ids))).thenText("Completed all 11.");

        JsonNode turn = chat("mark all my chores done");

        JsonNode confirmation = turn.get("confirmation");
        assertThat(confirmation.get("tasks").asInt()).isEqualTo(11);
        assertThat(turn.get("reply").asText()).contains("11 tasks").contains("confirm");
        assertThat(turn.get("actions")).isEmpty();
        assertThat(user.get("/api/tasks?status=completed").json().get("items")).isEmpty();
        String conversation = turn.get("conversationId").asText();
        // another message must wait for the answer
        assertProblem(user.post("/api/assistant/chat", "{\"message\":\"hello\",\"conversationId\":\"" + conversation + "\"}"), 409, null);

        Api.Res wrong = user.post("/api/assistant/conversations/" + conversation + "/confirm",
                "{\"confirmationId\":\"nope\",\"approve\":true}");
        assertProblem(wrong, 409, "confirmationId");
        Api.Res confirmed = user.post("/api/assistant/conversations/" + conversation + "/confirm",
                "{\"confirmationId\":\"" + confirmation.get("id").asText() + "\",\"approve\":true}");
        assertThat(confirmed.status()).as("%s", confirmed).isEqualTo(200);
        assertThat(confirmed.json().get("reply").asText()).isEqualTo("Completed all 11.");
        assertThat(confirmed.json().get("actions")).hasSize(11);
        assertThat(user.get("/api/tasks?status=completed").json().get("items")).hasSize(11);
    }

    @Test
    void declinedDeletionsChangeNothing() {
        List<Map.Entry<String, Map<String, Object>>> deletes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            deletes.add(entry("delete_task", Map.of("id", user.createTask("{\"title\":\"Keep " + i + "\"}").get("id").asText())));
        }
        model.then(r -> StandInChatCompletions.toolCalls(deletes))
                .then(r -> StandInChatCompletions.text(StandInChatCompletions.lastToolResult(r).get("error").asText()));

        JsonNode turn = chat("delete everything");
        String conversation = turn.get("conversationId").asText();
        Api.Res declined = user.post("/api/assistant/conversations/" + conversation + "/confirm",
                "{\"confirmationId\":\"" + turn.at("/confirmation/id").asText() + "\",\"approve\":false}");

        assertThat(declined.json().get("reply").asText()).isEqualTo("Declined");
        assertThat(user.get("/api/tasks").json().get("items")).hasSize(12);
        assertThat(StandInChatCompletions.toolResults(model.requests().get(1))).hasSize(12);
    }

    @Test
    void conversationsAreListedPerUserAndCanBeDeletedOrPruned() {
        model.thenText("Hello!");
        String id = chat("hi").get("conversationId").asText();

        JsonNode list = user.get("/api/assistant/conversations").json().get("items");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("title").asText()).isEqualTo("hi");
        JsonNode conversation = user.get("/api/assistant/conversations/" + id).json();
        assertThat(conversation.get("messages")).extracting(m -> m.get("role").asText() + ":" + m.get("text").asText())
                .containsExactly("user:hi", "assistant:Hello!");
        Api other = server.api().newUser();
        assertProblem(other.get("/api/assistant/conversations/" + id), 404, null);
        assertProblem(other.delete("/api/assistant/conversations/" + id), 404, null);
        assertThat(other.get("/api/assistant/conversations").json().get("items")).isEmpty();

        assertThat(user.delete("/api/assistant/conversations/" + id).status()).isEqualTo(204);
        assertThat(user.get("/api/assistant/conversations").json().get("items")).isEmpty();

        model.thenText("Hello again!");
        String old = chat("hi again").get("conversationId").asText();
        server.bean(JdbcOperations.class).execute(c -> {
            try (var ps = c.prepareStatement("update assistant_conversations set updated_at = now() - interval '31 days' where id = ?")) {
                ps.setObject(1, java.util.UUID.fromString(old));
                return ps.executeUpdate();
            }
        });
        assertThat(server.bean(ConversationPruner.class).prune()).isGreaterThanOrEqualTo(1);
        assertProblem(user.get("/api/assistant/conversations/" + old), 404, null);
    }

    @Test
    void theEndpointBeingDownGivesAClearMessageAndChangesNothing() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (OwnServer down = start("http://127.0.0.1:" + closedPort + "/v1")) {
            Api someone = down.api().newUser();
            Api.Res r = someone.post("/api/assistant/chat", "{\"message\":\"add milk\"}");
            assertProblem(r, 502, null);
            assertThat(r.json().get("detail").asText()).contains("could not be reached").contains("Nothing was changed");
            assertThat(someone.get("/api/assistant/conversations").json().get("items")).isEmpty();
        }
    }

    @Test
    void anEndpointFailingAfterAnActionStillReportsTheActionAndSaysWhatHappened() {
        // one scripted step only: the stand-in answers the next call with HTTP 500
        model.thenCalls(entry("add_task", Map.of("title", "Half done")));

        JsonNode turn = chat("add half done, then more");

        assertThat(turn.get("error").asText()).isEqualTo("assistant-unavailable");
        assertThat(turn.get("reply").asText()).contains("could not be reached or failed").contains("actions listed were done");
        assertThat(turn.get("actions")).extracting(a -> a.get("tool").asText()).containsExactly("add_task");
        assertThat(user.get("/api/tasks/" + turn.at("/actions/0/taskId").asText()).status()).isEqualTo(200);
        JsonNode stored = user.get("/api/assistant/conversations/" + turn.get("conversationId").asText()).json();
        assertThat(stored.get("actions")).hasSize(1);
    }

    @Test
    void twoTurnsRacingOnOneConversationCannotBothBeSaved() {
        model.thenText("Hi.");
        String id = chat("hello").get("conversationId").asText();
        Conversations conversations = server.bean(Conversations.class);
        java.util.UUID userId = java.util.UUID.fromString(user.get("/api/me").json().get("id").asText());
        Conversations.Conversation read = conversations.get(userId, java.util.UUID.fromString(id));
        conversations.save(read);
        assertThatThrownBy(() -> conversations.save(read)).isInstanceOfSatisfying(dev.todo.web.ApiException.class,
                e -> assertThat(e.status().getCode()).isEqualTo(409));
    }

    /** A model's answer that comes only when the test releases it (or after 20 s). */
    private static java.util.function.Function<JsonNode, String> answersOnceReleased(java.util.concurrent.CountDownLatch release) {
        return r -> {
            try {
                release.await(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return StandInChatCompletions.text("Done.");
        };
    }

    @Test
    void aThirdMessageWhileTwoAreWaitingOnTheModelIsRefused() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.function.Function<JsonNode, String> slow = answersOnceReleased(release);
        model.then(slow).then(slow);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var first = pool.submit(() -> user.post("/api/assistant/chat", "{\"message\":\"one\"}"));
            var second = pool.submit(() -> user.post("/api/assistant/chat", "{\"message\":\"two\"}"));
            await(Duration.ofSeconds(10), () -> model.requests().size(), n -> n == 2);
            Api.Res third = user.post("/api/assistant/chat", "{\"message\":\"three\"}");
            assertProblem(third, 429, null);
            release.countDown();
            assertThat(first.get().status()).isEqualTo(200);
            assertThat(second.get().status()).isEqualTo(200);
        } finally {
            release.countDown();
            pool.shutdown();
        }
        model.thenText("Now free.");
        assertThat(chat("four").get("reply").asText()).isEqualTo("Now free.");
    }

    @Test
    void turnsWaitingOnTheModelLeaveTheOtherRequestsTheirThreads() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.function.Function<JsonNode, String> slow = answersOnceReleased(release);
        model.then(slow).then(slow).then(slow).then(slow);
        // two request threads for everything but the assistant, and four turns waiting on the model
        try (OwnServer small = TestApp.ownServer("todo", Map.of(
                "todo.assistant.base-url", model.baseUrl(), "todo.assistant.model", "stand-in-model",
                "todo.assistant.api-key", "test-key", "todo.assistant.timeout", "30s",
                "micronaut.executors.blocking.n-threads", 2))) {
            Api a = small.api().newUser();
            Api b = small.api().newUser();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                List<java.util.concurrent.Future<Api.Res>> turns = new java.util.ArrayList<>();
                for (Api who : List.of(a, a, b, b)) {
                    turns.add(pool.submit(() -> who.post("/api/assistant/chat", "{\"message\":\"slow\"}")));
                }
                await(Duration.ofSeconds(10), () -> model.requests().size(), n -> n == 4);
                assertThat(a.createTask("{\"title\":\"While the model thinks\"}").get("title").asText())
                        .isEqualTo("While the model thinks");
                assertThat(b.get("/api/tasks").status()).isEqualTo(200);
                release.countDown();
                for (var turn : turns) {
                    assertThat(turn.get().status()).isEqualTo(200);
                }
            } finally {
                release.countDown();
                pool.shutdown();
            }
        }
    }

    @Test
    void withoutConfigurationTheAssistantSaysItIsNotSetUp() {
        Api plain = TestApp.api().newUser();
        assertThat(plain.get("/api/assistant").json().get("configured").asBoolean()).isFalse();
        Api.Res r = plain.post("/api/assistant/chat", "{\"message\":\"add milk\"}");
        assertProblem(r, 503, null);
        assertThat(r.json().get("detail").asText()).contains("not set up").contains("TODO_ASSISTANT_BASE_URL");
        assertThat(plain.get("/api/tasks?status=all").json().get("items")).isEmpty();
        assertThat(user.get("/api/assistant").json().get("configured").asBoolean()).isTrue();
    }
}
