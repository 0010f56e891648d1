package dev.todo.events.dapr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.todo.support.Api;
import dev.todo.support.OwnServer;
import dev.todo.support.TestApp;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.todo.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The subscriber side of the Dapr transport: what the app tells the sidecar and how it answers the
 * events the sidecar posts. The requests are made here the way daprd makes them (no daprd can run here).
 */
class DaprSubscriptionFakeSidecarTest {

    private static final String GROUP_ROUTE = "/dapr/events/group/task-events";
    private final Api sidecar = DaprTestApp.api();
    private final Api user = DaprTestApp.api().newUser();
    private final String userId = user.get("/api/me").json().get("id").asText();

    private Api.Res call(Api api, String method, String path, String contentType, String body, String token) {
        HttpRequest.Builder b = api.builder(path);
        if (token != null) {
            b.header(DaprAppToken.HEADER, token);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return api.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    private Api.Res post(String route, String body) {
        return call(sidecar, "POST", route, "application/cloudevents+json", body, DaprTestApp.APP_TOKEN);
    }

    private static String status(Api.Res r) {
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return r.json().get("status").asText();
    }

    private CloudEvent event(String type, String taskId) {
        return CloudEventBuilder.v1().withId(UUID.randomUUID().toString()).withSource(URI.create("/todo/app"))
                .withType(type).withSubject(taskId).withTime(OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS))
                .withExtension("userid", userId).withExtension("sequence", "42").withDataContentType("application/json")
                .withData(("{\"task\":{\"id\":\"" + taskId + "\",\"title\":\"from the sidecar\"}}").getBytes(StandardCharsets.UTF_8))
                .build();
    }

    /** The event as daprd posts it: our structured CloudEvent with its own attributes added. */
    private static String asDaprDelivers(CloudEvent e, String topic) throws IOException {
        ObjectNode n = (ObjectNode) Api.JSON.readTree(DaprTransport.FORMAT.serialize(e));
        n.put("pubsubname", DaprTestApp.PUBSUB);
        n.put("topic", topic);
        n.put("traceid", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        n.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        n.put("tracestate", "");
        return n.toString();
    }

    private JsonNode activity(String taskId) {
        return user.get("/api/activity?taskId=" + taskId).json().get("items");
    }

    @Test
    void subscribeNamesEveryTopicThisProcessReadsWithARouteAndADeadLetterTopic() {
        Api.Res r = call(sidecar, "GET", "/dapr/subscribe", null, null, DaprTestApp.APP_TOKEN);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        List<String> subs = new ArrayList<>();
        r.json().forEach(s -> subs.add(s.get("pubsubname").asText() + " " + s.get("topic").asText() + " "
                + s.get("route").asText() + " " + s.get("deadLetterTopic").asText()));
        assertThat(subs).containsExactly(
                "test-pubsub reminders /dapr/events/group/reminders reminders-dlq",
                "test-pubsub task-events /dapr/events/group/task-events task-events-dlq",
                "test-pubsub task-updates /dapr/events/broadcast/task-updates task-updates-dlq");
    }

    @Test
    void aDeliveredEventIsHandledOnceHoweverOftenTheSidecarPostsIt() throws Exception {
        String taskId = UUID.randomUUID().toString();
        CloudEvent e = event("dev.todo.task.created", taskId);
        String body = asDaprDelivers(e, "task-events");

        assertThat(status(post(GROUP_ROUTE, body))).isEqualTo("SUCCESS");
        JsonNode log = activity(taskId);
        assertThat(log).hasSize(1);
        assertThat(log.get(0).get("type").asText()).isEqualTo("task.created");
        assertThat(log.get(0).at("/data/task/title").asText()).isEqualTo("from the sidecar");

        assertThat(status(post(GROUP_ROUTE, body))).isEqualTo("SUCCESS");
        assertThat(activity(taskId)).hasSize(1);
    }

    @Test
    void howeverDaprWrapsTheEventItIsUnwrapped() throws Exception {
        // published without the CloudEvents content type, Dapr wraps it in an envelope of its own
        String taskId = UUID.randomUUID().toString();
        List<String> bodies = new ArrayList<>();
        for (String type : List.of("dev.todo.task.created", "dev.todo.task.updated", "dev.todo.task.completed")) {
            CloudEvent e = event(type, taskId);
            JsonNode inner = Api.JSON.readTree(DaprTransport.FORMAT.serialize(e));
            ObjectNode envelope = Api.JSON.createObjectNode().put("specversion", "1.0").put("id", UUID.randomUUID().toString())
                    .put("source", "todo-api").put("type", "com.dapr.event.sent").put("pubsubname", DaprTestApp.PUBSUB)
                    .put("topic", "task-events");
            switch (type) {
                case "dev.todo.task.created" -> envelope.put("datacontenttype", "application/json").set("data", inner);
                case "dev.todo.task.updated" -> envelope.put("datacontenttype", "text/plain").put("data", inner.toString());
                default -> envelope.put("datacontenttype", "application/octet-stream")
                        .put("data_base64", Base64.getEncoder().encodeToString(inner.toString().getBytes(StandardCharsets.UTF_8)));
            }
            bodies.add(envelope.toString());
        }
        for (String body : bodies) {
            assertThat(status(post(GROUP_ROUTE, body))).isEqualTo("SUCCESS");
        }
        List<String> types = new ArrayList<>();
        activity(taskId).forEach(a -> types.add(a.get("type").asText()));
        assertThat(types).containsExactlyInAnyOrder("task.created", "task.updated", "task.completed");
    }

    @Test
    void whatCanNeverBeHandledIsDropped() throws Exception {
        String taskId = UUID.randomUUID().toString();
        ObjectNode good = (ObjectNode) Api.JSON.readTree(asDaprDelivers(event("dev.todo.task.created", taskId), "task-events"));
        List<String> garbage = List.of("", "not json", "[1,2]", "\"text\"", "{}", "{\"hello\":\"world\"}",
                good.deepCopy().without("id").toString(),
                good.deepCopy().without("type").toString(),
                good.deepCopy().put("id", "").toString(),
                good.deepCopy().put("id", "not-a-uuid").toString(),
                good.deepCopy().without("source").toString(),
                good.deepCopy().put("specversion", "0.1").toString());
        for (String body : garbage) {
            assertThat(status(post(GROUP_ROUTE, body))).as("body %s", body).isEqualTo("DROP");
        }
        String fine = good.toString();
        // routes this process does not subscribe to
        assertThat(status(post("/dapr/events/group/no-such-topic", fine))).isEqualTo("DROP");
        assertThat(status(post("/dapr/events/broadcast/task-events", fine))).isEqualTo("DROP");
        assertThat(status(post("/dapr/events/group/task-updates", fine))).isEqualTo("DROP");
        assertThat(status(post("/dapr/events/everyone/task-events", fine))).isEqualTo("DROP");
        assertThat(activity(taskId)).isEmpty();
        // other content types than Dapr's are read the same way
        assertThat(status(call(sidecar, "POST", GROUP_ROUTE, "application/json", fine, DaprTestApp.APP_TOKEN))).isEqualTo("SUCCESS");
        assertThat(status(call(sidecar, "POST", GROUP_ROUTE, null, fine, DaprTestApp.APP_TOKEN))).isEqualTo("SUCCESS");
        assertThat(activity(taskId)).hasSize(1);
    }

    @Test
    void broadcastTopicsReachTheBroadcastConsumersOnly() throws Exception {
        DaprTestApp.LiveSyncStandIn live = DaprTestApp.context().getBean(DaprTestApp.LiveSyncStandIn.class);
        String taskId = UUID.randomUUID().toString();
        CloudEvent e = event("dev.todo.task.updated", taskId);
        assertThat(status(post("/dapr/events/broadcast/task-updates", asDaprDelivers(e, "task-updates")))).isEqualTo("SUCCESS");
        CloudEvent got = live.received.stream().filter(x -> x.getId().equals(e.getId())).findFirst().orElseThrow();
        // what Dapr added on the way is gone; what the outbox produced is intact
        assertThat(got.getExtensionNames()).containsExactlyInAnyOrder("userid", "sequence");
        assertThat(got.getSubject()).isEqualTo(taskId);
        assertThat(got.getTime()).isEqualTo(e.getTime());
        assertThat(got.getData().toBytes()).isEqualTo(e.getData().toBytes());
        // the activity consumer (consumer group, other topics) saw nothing of it
        assertThat(activity(taskId)).isEmpty();
    }

    @Test
    void theSidecarsTokenIsRequiredWhenConfigured() {
        for (String path : List.of("/dapr/subscribe", GROUP_ROUTE)) {
            String method = path.equals(GROUP_ROUTE) ? "POST" : "GET";
            String body = method.equals("POST") ? "{}" : null;
            assertProblem(call(sidecar, method, path, "application/json", body, null), 401, DaprAppToken.HEADER);
            assertProblem(call(sidecar, method, path, "application/json", body, "wrong"), 401, DaprAppToken.HEADER);
            assertProblem(call(sidecar, method, path, "application/json", body, DaprTestApp.APP_TOKEN + "x"), 401, DaprAppToken.HEADER);
            // a user's token is no substitute
            assertProblem(call(user, method, path, "application/json", body, null), 401, DaprAppToken.HEADER);
            assertThat(call(sidecar, method, path, "application/json", body, DaprTestApp.APP_TOKEN).status()).isEqualTo(200);
        }
    }

    @Test
    void aWorkerOnlyProcessWhoseDatabaseIsDownAsksForRedelivery() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Map<String, Object> props = new HashMap<>(DaprTestApp.sidecar().properties());
        props.put("datasources.default.url", "jdbc:postgresql://127.0.0.1:" + closedPort + "/nothing");
        props.put("datasources.default.initialization-fail-timeout", -1);
        props.put("datasources.default.connection-timeout", 250);
        props.put("datasources.default.minimum-idle", 0);
        props.put("flyway.datasources.default.enabled", false);
        props.put("todo.events.relay.enabled", false);
        props.put("todo.events.transport", "dapr");
        props.put("todo.roles", "worker");
        try (OwnServer worker = TestApp.ownServer("dapr", props)) {
            Api w = worker.api();
            // no token configured here: the sidecar's calls need none
            Api.Res subs = call(w, "GET", "/dapr/subscribe", null, null, null);
            assertThat(subs.status()).as("%s", subs).isEqualTo(200);
            List<String> topics = new ArrayList<>();
            subs.json().forEach(s -> topics.add(s.get("topic").asText()));
            assertThat(topics).containsExactly("reminders", "task-events");

            String body = asDaprDelivers(event("dev.todo.task.created", UUID.randomUUID().toString()), "task-events");
            assertThat(status(call(w, "POST", GROUP_ROUTE, "application/cloudevents+json", body, null))).isEqualTo("RETRY");
        }
    }
}
