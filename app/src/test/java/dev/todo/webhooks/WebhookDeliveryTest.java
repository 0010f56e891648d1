package dev.todo.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todo.events.EventDispatcher;
import dev.todo.support.Api;
import dev.todo.support.OwnServer;
import dev.todo.support.TestApp;
import io.cloudevents.CloudEvent;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static dev.todo.support.Await.await;
import static dev.todo.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deliveries to a real HTTP receiver on 127.0.0.1, through a second app (its own database) that
 * allows private destinations and retries fast: 100 ms doubling, 4 attempts.
 */
class WebhookDeliveryTest {

    static final Duration WAIT = Duration.ofSeconds(15);
    static final int MAX_ATTEMPTS = 4;
    static OwnServer server;
    static Receiver receiver;
    static Api api;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
        server = TestApp.ownServer("webhooks", Map.of(
                "todo.webhooks.allow-private", true,
                "todo.webhooks.first-retry-delay", "100ms",
                "todo.webhooks.max-attempts", MAX_ATTEMPTS,
                "todo.webhooks.request-timeout", "5s"));
        api = server.api();
    }

    @AfterAll
    static void stop() {
        server.close();
        receiver.close();
    }

    private static String path() {
        return "/hooks/" + UUID.randomUUID();
    }

    /** Registers a webhook and returns its JSON. */
    private static JsonNode register(Api user, String url, String events, String secret) {
        String body = "{\"url\":\"" + url + "\",\"events\":" + events + (secret == null ? "" : ",\"secret\":\"" + secret + "\"") + "}";
        Api.Res r = user.post("/api/webhooks", body);
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        return r.json();
    }

    private static JsonNode deliveries(Api user, String webhookId) {
        return user.get("/api/webhooks/" + webhookId + "/deliveries").json().get("items");
    }

    private static JsonNode awaitDelivery(Api user, String webhookId, String status) {
        return await(WAIT, () -> deliveries(user, webhookId),
                items -> items.size() == 1 && items.get(0).get("status").asText().equals(status)).get(0);
    }

    /** What a receiver does: recompute the HMAC over "timestamp.body", compare in constant time, refuse old timestamps. */
    static boolean verify(Receiver.Request r, String secret) throws Exception {
        String timestamp = r.header("Webhook-Timestamp");
        String signature = r.header("Webhook-Signature");
        if (timestamp == null || signature == null || !signature.startsWith("v1=")
                || Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) > 300) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal((timestamp + "." + new String(r.body(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        return MessageDigest.isEqual(expected, HexFormat.of().parseHex(signature.substring(3)));
    }

    @Test
    void aCompletedTaskReachesTheReceiverSignedAsACloudEventAndOnlyTheEventsAskedFor() throws Exception {
        Api user = api.newUser();
        String userId = user.get("/api/me").json().get("id").asText();
        String path = path();
        String secret = "a-receiver-secret-0123456789";
        String hook = register(user, receiver.url(path), "[\"task.completed\"]", secret).get("id").asText();

        String task = user.createTask("{\"title\":\"Ship it\"}").get("id").asText();
        user.patch("/api/tasks/" + task, "{\"title\":\"Ship it now\"}");
        user.post("/api/tasks/" + task + "/complete");

        JsonNode delivery = awaitDelivery(user, hook, "delivered");
        // created and updated came first and were not asked for: the one delivery is the completion
        assertThat(delivery.get("eventType").asText()).isEqualTo("task.completed");
        assertThat(delivery.get("attempts").asInt()).isEqualTo(1);
        assertThat(delivery.get("lastResponseCode").asInt()).isEqualTo(204);
        assertThat(delivery.get("nextAttemptAt").isNull()).isTrue();
        assertThat(delivery.get("deliveredAt").isNull()).isFalse();

        List<Receiver.Request> got = receiver.at(path);
        assertThat(got).hasSize(1);
        Receiver.Request r = got.get(0);
        assertThat(verify(r, secret)).isTrue();
        assertThat(verify(r, secret + "x")).isFalse();
        assertThat(verify(new Receiver.Request(r.path(), r.headers(), "{}".getBytes(StandardCharsets.UTF_8), r.received()), secret)).isFalse();
        assertThat(r.header("Content-Type")).isEqualTo("application/cloudevents+json");
        assertThat(r.header("Webhook-Id")).isEqualTo(delivery.get("id").asText());
        JsonNode event = Api.JSON.readTree(r.body());
        assertThat(event.get("specversion").asText()).isEqualTo("1.0");
        assertThat(event.get("type").asText()).isEqualTo("dev.todo.task.completed");
        assertThat(event.get("id").asText()).isEqualTo(delivery.get("eventId").asText());
        assertThat(event.get("subject").asText()).isEqualTo(task);
        assertThat(event.get("userid").asText()).isEqualTo(userId);
        assertThat(event.at("/data/task/id").asText()).isEqualTo(task);
        assertThat(event.at("/data/task/title").asText()).isEqualTo("Ship it now");
    }

    @Test
    void reminderEventsReachAWebhookThatAsksForThem() {
        Api user = api.newUser();
        String path = path();
        String hook = register(user, receiver.url(path), "[\"reminder.due\"]", null).get("id").asText();
        String task = user.createTask("{\"title\":\"Call\",\"reminders\":[{\"at\":\"" + Instant.now().plusMillis(100) + "\"}]}")
                .get("id").asText();
        JsonNode delivery = awaitDelivery(user, hook, "delivered");
        assertThat(delivery.get("eventType").asText()).isEqualTo("reminder.due");
        assertThat(receiver.at(path)).singleElement().satisfies(r ->
                assertThat(Api.JSON.readTree(r.body()).at("/data/taskId").asText()).isEqualTo(task));
    }

    @Test
    void anotherUsersEventsAreNeverDelivered() {
        Api alice = api.newUser();
        Api bob = api.newUser();
        String path = path();
        String hook = register(alice, receiver.url(path), "[\"*\"]", null).get("id").asText();
        String bobs = bob.createTask("{\"title\":\"Bob's\"}").get("id").asText();
        bob.post("/api/tasks/" + bobs + "/complete");
        // events are handled in order: once Alice's later one is listed, Bob's were handled before it
        String marker = alice.createTask("{\"title\":\"marker\"}").get("id").asText();
        JsonNode delivery = awaitDelivery(alice, hook, "delivered");
        assertThat(delivery.get("eventType").asText()).isEqualTo("task.created");
        assertThat(receiver.at(path)).singleElement().satisfies(r ->
                assertThat(Api.JSON.readTree(r.body()).get("subject").asText()).isEqualTo(marker));
        // and Bob cannot see or touch Alice's webhook
        assertThat(bob.get("/api/webhooks/" + hook).status()).isEqualTo(404);
        assertThat(bob.get("/api/webhooks/" + hook + "/deliveries").status()).isEqualTo(404);
        assertThat(bob.get("/api/webhooks").json().get("items")).isEmpty();
    }

    @Test
    void aReceiverFailingTwiceGetsTheEventOnTheThirdAttemptAndEveryAttemptIsRecorded() throws Exception {
        Api user = api.newUser();
        String path = path();
        receiver.answer(path, 500, 500, 200);
        JsonNode webhook = register(user, receiver.url(path), "[\"task.created\"]", null);
        String hook = webhook.get("id").asText();
        user.createTask("{\"title\":\"flaky\"}");

        JsonNode delivery = awaitDelivery(user, hook, "delivered");
        assertThat(delivery.get("attempts").asInt()).isEqualTo(3);
        assertThat(delivery.get("lastResponseCode").asInt()).isEqualTo(200);
        List<Integer> codes = new ArrayList<>();
        delivery.get("outcomes").forEach(o -> codes.add(o.get("responseCode").asInt()));
        assertThat(codes).containsExactly(500, 500, 200);
        List<Receiver.Request> got = receiver.at(path);
        assertThat(got).hasSize(3);
        for (Receiver.Request r : got) {
            assertThat(r.header("Webhook-Id")).isEqualTo(delivery.get("id").asText()); // the same id: receivers de-duplicate
            assertThat(verify(r, webhook.get("secret").asText())).isTrue();
        }
        // the waits double: the third attempt came at least 100 + 200 ms after the first
        Instant first = Instant.parse(delivery.get("outcomes").get(0).get("at").asText());
        Instant third = Instant.parse(delivery.get("outcomes").get(2).get("at").asText());
        assertThat(Duration.between(first, third)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void aReceiverThatAlwaysFailsMarksTheDeliveryFailedAfterTheLastAttemptAndRedeliverSendsItAgain() {
        Api user = api.newUser();
        String path = path();
        receiver.answer(path, 500);
        String hook = register(user, receiver.url(path), "[\"task.created\"]", null).get("id").asText();
        user.createTask("{\"title\":\"doomed\"}");

        JsonNode failed = awaitDelivery(user, hook, "failed");
        assertThat(failed.get("attempts").asInt()).isEqualTo(MAX_ATTEMPTS);
        assertThat(failed.get("outcomes")).hasSize(MAX_ATTEMPTS);
        assertThat(failed.get("lastResponseCode").asInt()).isEqualTo(500);
        assertThat(failed.get("nextAttemptAt").isNull()).isTrue();
        assertThat(receiver.at(path)).hasSize(MAX_ATTEMPTS);

        receiver.answer(path, 200);
        String id = failed.get("id").asText();
        Api.Res again = user.post("/api/webhooks/" + hook + "/deliveries/" + id + "/redeliver");
        assertThat(again.status()).as("%s", again).isEqualTo(202);
        assertThat(again.json().get("status").asText()).isEqualTo("pending");

        JsonNode delivered = awaitDelivery(user, hook, "delivered");
        assertThat(delivered.get("id").asText()).isEqualTo(id);
        assertThat(delivered.get("attempts").asInt()).isEqualTo(1); // a fresh set of attempts
        assertThat(delivered.get("outcomes")).hasSize(MAX_ATTEMPTS + 1); // the earlier ones are kept
        assertThat(receiver.at(path)).hasSize(MAX_ATTEMPTS + 1);
        assertThat(user.get("/api/webhooks/" + hook + "/deliveries/" + id).json().get("status").asText()).isEqualTo("delivered");
    }

    @Test
    void redeliverIsRefusedWhileAnAttemptIsUnderWay() {
        Api user = api.newUser();
        String path = path();
        CountDownLatch answer = receiver.hold(path);
        try {
            String hook = register(user, receiver.url(path), "[\"task.created\"]", null).get("id").asText();
            user.createTask("{\"title\":\"slow receiver\"}");
            JsonNode sending = awaitDelivery(user, hook, "sending");
            assertThat(sending.get("attempts").asInt()).isEqualTo(1);
            assertThat(sending.get("nextAttemptAt").isNull()).isTrue();
            assertProblem(user.post("/api/webhooks/" + hook + "/deliveries/" + sending.get("id").asText() + "/redeliver"), 409, null);
            answer.countDown();
            assertThat(awaitDelivery(user, hook, "delivered").get("attempts").asInt()).isEqualTo(1);
        } finally {
            answer.countDown();
        }
    }

    @Test
    void aRedeliveredEventStillMakesOneDelivery() throws Exception {
        Api user = api.newUser();
        String path = path();
        String hook = register(user, receiver.url(path), "[\"task.completed\"]", null).get("id").asText();
        List<CloudEvent> seen = new CopyOnWriteArrayList<>();
        try (AutoCloseable sub = server.bean(EventDispatcher.class).observe("task-events", seen::add)) {
            String task = user.createTask("{\"title\":\"once\"}").get("id").asText();
            user.post("/api/tasks/" + task + "/complete");
            awaitDelivery(user, hook, "delivered");
            CloudEvent completed = seen.stream().filter(e -> e.getType().equals("dev.todo.task.completed") && task.equals(e.getSubject()))
                    .findFirst().orElseThrow();
            WebhookConsumer consumer = server.bean(WebhookConsumer.class);
            assertThat(consumer.enqueue(completed)).isZero();
            consumer.handle(completed);
            consumer.handleAll(List.of(completed, completed));
        }
        assertThat(deliveries(user, hook)).hasSize(1);
        assertThat(receiver.at(path)).hasSize(1);
    }

    @Test
    void aBatchQueuesEachEventForExactlyTheWebhooksThatWantItWithItsOwnPayload() {
        WebhookSender sender = server.bean(WebhookSender.class);
        sender.stop(); // the deliveries stay pending, as queued
        try {
            Api withHooks = api.newUser();
            Api without = api.newUser();
            String all = register(withHooks, receiver.url(path()), "[\"*\"]", null).get("id").asText();
            String completions = register(withHooks, receiver.url(path()), "[\"task.completed\"]", null).get("id").asText();
            String userWith = withHooks.get("/api/me").json().get("id").asText();
            String userWithout = without.get("/api/me").json().get("id").asText();
            java.util.function.BiFunction<String, String, CloudEvent> event = (type, user) -> io.cloudevents.core.builder.CloudEventBuilder.v1()
                    .withId(UUID.randomUUID().toString()).withSource(java.net.URI.create("/todo/app"))
                    .withType("dev.todo." + type).withSubject(UUID.randomUUID().toString()).withTime(java.time.OffsetDateTime.now())
                    .withExtension("userid", user).withDataContentType("application/json")
                    .withData(("{\"type\":\"" + type + "\"}").getBytes(StandardCharsets.UTF_8)).build();
            CloudEvent otherCreated = event.apply("task.created", userWithout);
            CloudEvent created = event.apply("task.created", userWith);
            CloudEvent otherCompleted = event.apply("task.completed", userWithout);
            CloudEvent completed = event.apply("task.completed", userWith);
            CloudEvent updated = event.apply("task.updated", userWith);

            server.bean(WebhookConsumer.class).handleAll(List.of(otherCreated, created, otherCompleted, completed, updated));

            assertThat(queued(all)).containsExactly(created.getId(), completed.getId(), updated.getId()); // in the batch's order
            assertThat(queued(completions)).containsExactly(completed.getId());
            // each delivery carries its own event as a CloudEvent
            JsonNode payload = Api.JSON.readTree(payloadOf(completions));
            assertThat(payload.get("id").asText()).isEqualTo(completed.getId());
            assertThat(payload.get("data").get("type").asText()).isEqualTo("task.completed");
            assertThat(server.bean(WebhookConsumer.class).enqueue(otherCreated)).isZero(); // nobody's webhook wants it
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            sender.start();
        }
    }

    /** The event ids queued for a webhook, oldest first. */
    private static List<String> queued(String webhook) {
        return server.bean(JdbcOperations.class).execute(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select event_id from webhook_deliveries where webhook_id = ? order by created_at, id")) {
                ps.setObject(1, UUID.fromString(webhook));
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                return ids;
            }
        });
    }

    private static String payloadOf(String webhook) {
        return server.bean(JdbcOperations.class).execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("select payload from webhook_deliveries where webhook_id = ?")) {
                ps.setObject(1, UUID.fromString(webhook));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    @Test
    void deletingAWebhookStopsItsPendingDeliveries() {
        Api user = api.newUser();
        String path = path();
        WebhookSender sender = server.bean(WebhookSender.class);
        sender.stop(); // so the delivery is certainly still pending when the webhook goes
        try {
            String hook = register(user, receiver.url(path), "[\"task.created\"]", null).get("id").asText();
            user.createTask("{\"title\":\"to be dropped\"}");
            JsonNode pending = awaitDelivery(user, hook, "pending");
            assertThat(pending.get("attempts").asInt()).isZero();
            assertThat(pending.get("nextAttemptAt").isNull()).isFalse();
            assertThat(user.delete("/api/webhooks/" + hook).status()).isEqualTo(204);
            assertThat(user.get("/api/webhooks/" + hook).status()).isEqualTo(404);
            assertThat(deliveryRows(UUID.fromString(hook))).isZero(); // nothing left for a sender to claim
        } finally {
            sender.start();
        }
        // the sender is back: a later delivery of the same user arrives, the dropped one never does
        String marker = register(user, receiver.url(path()), "[\"task.created\"]", null).get("id").asText();
        user.createTask("{\"title\":\"marker\"}");
        awaitDelivery(user, marker, "delivered");
        assertThat(receiver.at(path)).isEmpty();
    }

    @Test
    void deliveriesArePagedNewestFirst() {
        Api user = api.newUser();
        String hook = register(user, receiver.url(path()), "[\"*\"]", null).get("id").asText();
        String task = user.createTask("{\"title\":\"v0\"}").get("id").asText();
        for (int i = 1; i <= 6; i++) {
            user.patch("/api/tasks/" + task, "{\"title\":\"v" + i + "\"}");
        }
        await(WAIT, () -> deliveries(user, hook), items -> items.size() == 7);
        List<String> types = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = user.get("/api/webhooks/" + hook + "/deliveries?limit=3" + (cursor == null ? "" : "&cursor=" + Api.q(cursor)))
                    .json();
            assertThat(page.get("items").size()).isLessThanOrEqualTo(3);
            page.get("items").forEach(d -> {
                ids.add(d.get("id").asText());
                types.add(d.get("eventType").asText());
            });
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        assertThat(ids).hasSize(7).doesNotHaveDuplicates();
        assertThat(types.get(6)).isEqualTo("task.created"); // oldest last
        assertThat(types.subList(0, 6)).containsOnly("task.updated");
        // a cursor belongs to its webhook
        String other = register(user, receiver.url(path()), "[\"*\"]", null).get("id").asText();
        String firstCursor = user.get("/api/webhooks/" + hook + "/deliveries?limit=3").json().get("nextCursor").asText();
        assertThat(user.get("/api/webhooks/" + other + "/deliveries?cursor=" + Api.q(firstCursor)).status()).isEqualTo(400);
    }

    private static long deliveryRows(UUID webhook) {
        return server.bean(JdbcOperations.class).execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("select count(*) from webhook_deliveries where webhook_id = ?")) {
                ps.setObject(1, webhook);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }
}
