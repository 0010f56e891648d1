package dev.todo.assistant;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todo.live.SseClient;
import dev.todo.support.Api;
import dev.todo.support.OwnServer;
import dev.todo.support.TestApp;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.todo.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The MCP SDK's own client over Streamable HTTP against the real server, authenticated with a personal token. */
class McpApiTest {

    private final Api user = TestApp.api().newUser();
    private final List<McpSyncClient> clients = new ArrayList<>();

    static String personalToken(Api user) {
        Api.Res created = user.post("/api/tokens", "{\"name\":\"mcp\"}");
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("token").asText();
    }

    McpSyncClient connect(String token, String clientName) {
        var transport = HttpClientStreamableHttpTransport.builder(user.base().toString())
                .endpoint("/mcp")
                .requestBuilder(token == null ? java.net.http.HttpRequest.newBuilder()
                        : java.net.http.HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
                .build();
        McpSyncClient client = McpClient.sync(transport).clientInfo(new McpSchema.Implementation(clientName, "1.0"))
                .requestTimeout(Duration.ofSeconds(20)).build();
        clients.add(client);
        return client;
    }

    @AfterEach
    void close() {
        clients.forEach(McpSyncClient::closeGracefully);
    }

    static JsonNode call(McpSyncClient client, String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest(tool, args));
        assertThat(r.isError()).as("%s failed: %s", tool, text(r)).isNotEqualTo(Boolean.TRUE);
        return json(r);
    }

    static JsonNode json(McpSchema.CallToolResult r) {
        try {
            return Api.JSON.readTree(text(r));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    @Test
    void listsTheToolsWithSchemasAndDescriptions() {
        McpSyncClient client = connect(personalToken(user), "Test Desk");
        McpSchema.InitializeResult init = client.initialize();
        assertThat(init.serverInfo().name()).isEqualTo("todo");
        assertThat(init.protocolVersion()).isEqualTo("2025-11-25");
        List<McpSchema.Tool> tools = client.listTools().tools();
        Set<String> names = new TreeSet<>(tools.stream().map(McpSchema.Tool::name).toList());
        assertThat(names).containsExactlyInAnyOrder("add_task", "add_tasks", "list_tasks", "get_task", "update_task",
                "complete_task", "complete_tasks", "reopen_task", "delete_task", "skip_occurrence", "preview_occurrences",
                "add_reminder", "list_notifications", "list_tags", "completion_stats", "agenda");
        McpSchema.Tool add = tools.stream().filter(t -> t.name().equals("add_task")).findFirst().orElseThrow();
        assertThat(add.description()).contains("title");
        JsonNode schema = Api.JSON.valueToTree(add.inputSchema());
        assertThat(schema.get("required")).extracting(JsonNode::asText).containsExactly("title");
        assertThat(Api.JSON.convertValue(schema.get("properties"), Map.class)).containsKeys("title", "dueAt", "priority", "tags", "recurrence", "reminders");
        assertThat(tools).allSatisfy(t -> assertThat(t.description()).hasSizeGreaterThan(20));
    }

    @Test
    void everyToolActsOnTheTokensUserAndTheEffectShowsInTheRestApi() {
        McpSyncClient client = connect(personalToken(user), "Test Desk");
        client.initialize();
        String zone = user.get("/api/me").json().get("timeZone").asText();
        String today = LocalDate.now(ZoneId.of(zone)).atTime(23, 0).atZone(ZoneId.of(zone)).toOffsetDateTime().toString();

        JsonNode added = call(client, "add_task", Map.of("title", "Call mum", "priority", "high", "tags", List.of("family"),
                "dueAt", today, "recurrence", Map.of("every", "week")));
        String id = added.get("id").asText();
        assertThat(user.get("/api/tasks/" + id).json().get("title").asText()).isEqualTo("Call mum");

        JsonNode batch = call(client, "add_tasks", Map.of("tasks", List.of(Map.of("title", "Buy milk"),
                Map.of("title", ""), Map.of("title", "Water plants", "tags", List.of("home")))));
        assertThat(batch.get("created").asInt()).isEqualTo(2);
        assertThat(batch.at("/items/1/errors/0/field").asText()).isEqualTo("tasks[1].title");
        String milk = batch.at("/items/0/task/id").asText();
        String plants = batch.at("/items/2/task/id").asText();

        JsonNode listed = call(client, "list_tasks", Map.of("tag", List.of("home"), "limit", 10));
        assertThat(listed.get("items")).extracting(n -> n.get("title").asText()).containsExactly("Water plants");
        assertThat(call(client, "get_task", Map.of("id", id)).get("priority").asText()).isEqualTo("high");

        JsonNode updated = call(client, "update_task", Map.of("id", milk, "title", "Buy oat milk", "priority", "low"));
        assertThat(updated.get("title").asText()).isEqualTo("Buy oat milk");
        assertThat(user.get("/api/tasks/" + milk).json().get("priority").asText()).isEqualTo("low");

        call(client, "add_reminder", Map.of("id", id, "before", "PT30M"));
        assertThat(user.get("/api/tasks/" + id).json().at("/reminders/0/before").asText()).isEqualTo("PT30M");

        assertThat(call(client, "preview_occurrences", Map.of("id", id, "count", 3)).get("items")).hasSize(3);

        call(client, "complete_task", Map.of("id", milk));
        assertThat(user.get("/api/tasks/" + milk).json().get("completed").asBoolean()).isTrue();
        call(client, "reopen_task", Map.of("id", milk));
        assertThat(user.get("/api/tasks/" + milk).json().get("completed").asBoolean()).isFalse();

        JsonNode both = call(client, "complete_tasks", Map.of("ids", List.of(milk, plants, "not-an-id")));
        assertThat(both.get("completed").asInt()).isEqualTo(2);
        assertThat(both.at("/items/2/error").asText()).contains("does not exist");
        assertThat(user.get("/api/tasks/" + plants).json().get("completed").asBoolean()).isTrue();

        JsonNode agenda = call(client, "agenda", Map.of());
        assertThat(agenda.get("timeZone").asText()).isEqualTo(zone);
        assertThat(agenda.get("dueToday")).extracting(n -> n.get("id").asText()).contains(id);

        call(client, "skip_occurrence", Map.of("id", id));
        assertThat(user.get("/api/tasks/" + id).json().get("skipped").asBoolean()).isTrue();

        assertThat(call(client, "list_tags", Map.of()).get("items")).extracting(n -> n.get("name").asText())
                .contains("family", "home");
        JsonNode stats = await(Duration.ofSeconds(10), () -> call(client, "completion_stats", Map.of()),
                s -> s.get("items").findValues("completed").stream().mapToInt(JsonNode::asInt).sum() >= 2);
        assertThat(stats.get("bucket").asText()).isEqualTo("day");
        String soon = java.time.OffsetDateTime.now().plusSeconds(1).toString();
        call(client, "add_task", Map.of("title", "Ping", "reminders", List.of(Map.of("at", soon))));
        JsonNode notes = await(Duration.ofSeconds(15), () -> call(client, "list_notifications", Map.of("unread", true)).get("items"),
                items -> items.findValuesAsText("title").contains("Ping"));
        // "Call mum" (due today at 23:00, reminded 30 minutes before) may have fired too when the test runs after 22:30
        boolean callMumDue = java.time.OffsetDateTime.parse(today).minusMinutes(30).toInstant().isBefore(java.time.Instant.now());
        assertThat(notes.findValuesAsText("title")).containsOnlyOnce("Ping")
                .isSubsetOf(callMumDue ? List.of("Ping", "Call mum") : List.of("Ping"));

        call(client, "delete_task", Map.of("id", milk));
        assertThat(user.get("/api/tasks/" + milk).status()).isEqualTo(404);
    }

    @Test
    void changesCarryTheClientsNameIntoTheLiveStreamAndTheActivityLog() throws Exception {
        McpSyncClient client = connect(personalToken(user), "Test Desk");
        client.initialize();
        try (SseClient stream = SseClient.open(SseClient.request(user.base().resolve("/api/stream"), user.token()).build())) {
            String id = call(client, "add_task", Map.of("title", "Streamed")).get("id").asText();
            SseClient.Frame frame = stream.nextEvent(Duration.ofSeconds(10));
            while (!"task.created".equals(frame.event())) {
                frame = stream.nextEvent(Duration.ofSeconds(10));
            }
            JsonNode live = Api.JSON.readTree(frame.data());
            assertThat(live.get("taskId").asText()).isEqualTo(id);
            assertThat(live.at("/data/via/client").asText()).isEqualTo("Test Desk");
        }
        String id = call(client, "add_task", Map.of("title", "Logged")).get("id").asText();
        JsonNode log = await(Duration.ofSeconds(10), () -> user.get("/api/activity?taskId=" + id).json().get("items"),
                items -> items.size() == 1);
        assertThat(log.at("/0/data/via/kind").asText()).isEqualTo("mcp");
        assertThat(log.at("/0/data/via/client").asText()).isEqualTo("Test Desk");
    }

    @Test
    void aSecondUsersTokenSeesNoneOfTheFirstUsersTasks() {
        String mine = user.createTask("{\"title\":\"Private plan\"}").get("id").asText();
        Api other = TestApp.api().newUser();
        McpSyncClient client = connect(personalToken(other), "Other Desk");
        client.initialize();
        assertThat(call(client, "list_tasks", Map.of("status", "all")).path("items")).isEmpty();
        McpSchema.CallToolResult get = client.callTool(new McpSchema.CallToolRequest("get_task", Map.of("id", mine)));
        assertThat(get.isError()).isTrue();
        assertThat(json(get).get("status").asInt()).isEqualTo(404);
        McpSchema.CallToolResult delete = client.callTool(new McpSchema.CallToolRequest("delete_task", Map.of("id", mine)));
        assertThat(delete.isError()).isTrue();
        assertThat(user.get("/api/tasks/" + mine).status()).isEqualTo(200);
    }

    @Test
    void aBadArgumentIsAToolErrorNamingTheField() {
        McpSyncClient client = connect(personalToken(user), "Test Desk");
        client.initialize();
        McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest("add_task",
                Map.of("title", "Bad", "priority", "extreme")));
        assertThat(r.isError()).isTrue();
        JsonNode error = json(r);
        assertThat(error.get("status").asInt()).isEqualTo(400);
        assertThat(error.at("/errors/0/field").asText()).isEqualTo("priority");
        assertThat(error.at("/errors/0/message").asText()).contains("allowed values are none, low, medium, high, urgent");

        McpSchema.CallToolResult filter = client.callTool(new McpSchema.CallToolRequest("list_tasks", Map.of("dueBefore", "friday")));
        assertThat(filter.isError()).isTrue();
        assertThat(json(filter).at("/errors/0/field").asText()).isEqualTo("dueBefore");

        McpSchema.CallToolResult unknown = client.callTool(new McpSchema.CallToolRequest("update_task", Map.of("id", "x", "colour", "red")));
        assertThat(unknown.isError()).isTrue();
        assertThat(json(unknown).at("/errors/0/field").asText()).isEqualTo("colour");
        assertThat(user.get("/api/tasks?status=all").json().get("items")).isEmpty();
    }

    @Test
    void theAgendaIsAlsoAResourceAndAPrompt() {
        user.createTask("{\"title\":\"Old thing\",\"dueAt\":\"2020-01-01T09:00:00Z\"}");
        McpSyncClient client = connect(personalToken(user), "Test Desk");
        client.initialize();
        assertThat(client.listResources().resources()).extracting(McpSchema.Resource::uri).contains("todo://agenda/today");
        var read = client.readResource(new McpSchema.ReadResourceRequest("todo://agenda/today"));
        assertThat(((McpSchema.TextResourceContents) read.contents().get(0)).text()).contains("Old thing");
        var prompt = client.getPrompt(new McpSchema.GetPromptRequest("plan_my_day", Map.of()));
        assertThat(((McpSchema.TextContent) prompt.messages().get(0).content()).text()).contains("Old thing");
    }

    @Test
    void aMissingOrRevokedTokenIsRefused() {
        McpSyncClient anonymous = connect(null, "Nobody");
        assertThatThrownBy(anonymous::initialize).satisfies(McpApiTest::refusedWith401);

        JsonNode issued = user.post("/api/tokens", "{\"name\":\"to revoke\"}").json();
        String token = issued.get("token").asText();
        McpSyncClient client = connect(token, "Test Desk");
        client.initialize();
        call(client, "list_tasks", Map.of());
        String tokenId = issued.get("id").asText();
        assertThat(user.delete("/api/tokens/" + tokenId).status()).isEqualTo(204);
        assertThatThrownBy(() -> client.callTool(new McpSchema.CallToolRequest("list_tasks", Map.of())))
                .satisfies(McpApiTest::refusedWith401);

        Api.Res raw = new Api(user.base()).as(token).post("/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
        assertThat(raw.status()).isEqualTo(401);
        assertThat(raw.header("www-authenticate")).as("%s %s", raw, raw.raw().headers().map()).startsWith("Bearer");
    }

    @Test
    void malformedMessagesAreRefusedWithoutA500() {
        Api raw = new Api(user.base()).as(personalToken(user));
        java.util.function.Function<String, Api.Res> post = body -> raw.send(raw.builder("/mcp")
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
        for (String body : List.of("", "not json", "[]", "{}", "{\"jsonrpc\":\"2.0\",\"id\":1}")) {
            Api.Res r = post.apply(body);
            assertThat(r.status()).as("%s -> %s", body, r).isEqualTo(400);
            assertThat(r.json().at("/error/code").asInt()).isNotZero();
        }
        for (String body : List.of("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"no/such\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"add_task\",\"arguments\":\"x\"}}",
                "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"no_such_tool\",\"arguments\":{}}}",
                "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"add_task\",\"arguments\":{\"title\":[1]}}}",
                "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"resources/read\",\"params\":{\"uri\":\"todo://nothing\"}}")) {
            Api.Res r = post.apply(body);
            assertThat(r.status()).as("%s -> %s", body, r).isIn(200, 400);
            JsonNode answer = r.json();
            assertThat(answer.has("error") || answer.at("/result/isError").asBoolean()).as("%s -> %s", body, r).isTrue();
        }
        assertThat(user.get("/api/tasks?status=all").json().get("items")).isEmpty();
        assertThat(raw.get("/mcp").status()).isEqualTo(405);
        Api.Res foreign = raw.send(raw.builder("/mcp").header("Content-Type", "application/json").header("Origin", "https://evil.example")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")));
        assertThat(foreign.status()).isEqualTo(403);
        Api.Res oldVersion = raw.send(raw.builder("/mcp").header("Content-Type", "application/json").header("MCP-Protocol-Version", "1999-01-01")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")));
        assertThat(oldVersion.status()).isEqualTo(400);
        assertThat(oldVersion.json().at("/error/message").asText()).contains("2025-11-25");
    }

    @Test
    void anInstanceWithoutTheApiRoleDoesNotServeMcp() {
        String token = personalToken(user);
        try (OwnServer worker = TestApp.ownServer("todo", Map.of("todo.roles", "worker"))) {
            Api.Res r = worker.api().as(token).post("/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
            assertThat(r.status()).as("%s", r).isEqualTo(404);
        }
    }

    static void refusedWith401(Throwable t) {
        Throwable c = t;
        while (c != null && !(c instanceof McpHttpClientTransportAuthorizationException)) {
            c = c.getCause();
        }
        assertThat(c).as("cause chain of %s", t).isNotNull();
        assertThat(((McpHttpClientTransportAuthorizationException) c).getResponseInfo().statusCode()).isEqualTo(401);
    }

    @Test
    void aSessionIdOfAnotherUserIsNotAccepted() {
        String token = personalToken(user);
        Api.Res init = new Api(user.base()).as(token).send(new Api(user.base()).as(token).builder("/mcp")
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
                        + "\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"Mine\",\"version\":\"1\"}}}")));
        assertThat(init.status()).isEqualTo(200);
        String session = init.header("mcp-session-id");
        assertThat(session).isNotBlank();
        Api other = TestApp.api().newUser().as(personalToken(TestApp.api().newUser()));
        Api.Res stolen = other.send(other.builder("/mcp").header("Content-Type", "application/json")
                .header("Mcp-Session-Id", session)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}")));
        assertThat(stolen.status()).isEqualTo(404);
    }
}
