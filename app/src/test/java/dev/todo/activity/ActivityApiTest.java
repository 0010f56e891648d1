package dev.todo.activity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todo.events.EventDispatcher;
import dev.todo.events.OutboxRelay;
import dev.todo.support.Api;
import dev.todo.support.TestApp;
import io.cloudevents.CloudEvent;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.todo.support.Await.await;
import static dev.todo.support.Api.q;
import static dev.todo.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

class ActivityApiTest {

    private final Api user = TestApp.api().newUser();
    private final ApplicationContext ctx = TestApp.server().getApplicationContext();

    private JsonNode activity(String query) {
        return user.get("/api/activity" + query).json();
    }

    @Test
    void everyChangeIsPublishedAsACloudEventInOrderAndLoggedOnce() throws Exception {
        List<CloudEvent> seen = new CopyOnWriteArrayList<>();
        try (AutoCloseable sub = ctx.getBean(EventDispatcher.class).observe("task-events", seen::add)) {
            JsonNode t = user.createTask("{\"title\":\"Write report\",\"priority\":\"low\"}");
            String id = t.get("id").asText();
            user.patch("/api/tasks/" + id, "{\"priority\":\"high\",\"title\":\"Write the report\"}");
            user.post("/api/tasks/" + id + "/complete");
            user.post("/api/tasks/" + id + "/reopen");
            user.delete("/api/tasks/" + id);

            List<String> expected = List.of("dev.todo.task.created", "dev.todo.task.updated", "dev.todo.task.completed",
                    "dev.todo.task.reopened", "dev.todo.task.deleted");
            List<CloudEvent> mine = await(Duration.ofSeconds(10),
                    () -> seen.stream().filter(e -> id.equals(e.getSubject())).toList(), l -> l.size() >= expected.size());
            assertThat(mine).extracting(CloudEvent::getType).containsExactlyElementsOf(expected);
            CloudEvent updated = mine.get(1);
            assertThat(updated.getSource()).hasToString("/todo/app");
            assertThat(updated.getDataContentType()).isEqualTo("application/json");
            assertThat(updated.getExtension("userid")).hasToString(user.get("/api/me").json().get("id").asText());
            JsonNode data = Api.JSON.readTree(updated.getData().toBytes());
            assertThat(data.at("/changes/priority/before").asText()).isEqualTo("low");
            assertThat(data.at("/changes/priority/after").asText()).isEqualTo("high");
            assertThat(data.at("/changes/title/after").asText()).isEqualTo("Write the report");
            assertThat(data.path("changes").has("version")).isFalse();

            JsonNode log = await(Duration.ofSeconds(10), () -> activity("?taskId=" + id).get("items"), l -> l.size() == 5);
            List<String> types = new ArrayList<>();
            log.forEach(e -> types.add(e.get("type").asText()));
            assertThat(types).containsExactly("task.deleted", "task.reopened", "task.completed", "task.updated", "task.created");

            // a redelivered event changes nothing
            assertThat(ctx.getBean(ActivityConsumer.class).record(mine.get(2))).isFalse();
            assertThat(activity("?taskId=" + id).get("items")).hasSize(5);
        }
    }

    @Test
    void theBulkPathWritesEachEventOnceEvenWhenABatchRepeatsOrRedeliversIt() {
        String id = user.createTask("{\"title\":\"bulk\"}").get("id").asText();
        await(Duration.ofSeconds(10), () -> activity("?taskId=" + id).get("items"), l -> l.size() == 1);
        String userId = user.get("/api/me").json().get("id").asText();
        java.util.function.IntFunction<CloudEvent> event = n -> io.cloudevents.core.builder.CloudEventBuilder.v1()
                .withId(java.util.UUID.randomUUID().toString()).withSource(java.net.URI.create("/todo/app"))
                .withType("dev.todo.task.updated").withSubject(id).withTime(java.time.OffsetDateTime.now())
                .withExtension("userid", userId).withDataContentType("application/json")
                .withData(("{\"n\":" + n + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8)).build();
        CloudEvent a = event.apply(1);
        CloudEvent b = event.apply(2);
        ActivityConsumer consumer = ctx.getBean(ActivityConsumer.class);
        consumer.handleAll(List.of(a, b, a));
        assertThat(activity("?taskId=" + id + "&type=task.updated").get("items")).hasSize(2);
        consumer.handleAll(List.of(b, a));
        assertThat(consumer.record(a)).isFalse();
        JsonNode items = activity("?taskId=" + id + "&type=task.updated").get("items");
        assertThat(items).hasSize(2);
        assertThat(items.findValues("n")).extracting(JsonNode::asInt).containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void activityIsPerUserFilterableAndKeysetPaged() {
        String id = user.createTask("{\"title\":\"a\"}").get("id").asText();
        for (int i = 0; i < 6; i++) {
            user.patch("/api/tasks/" + id, "{\"title\":\"a" + i + "\"}");
        }
        await(Duration.ofSeconds(10), () -> activity("?taskId=" + id).get("items"), l -> l.size() == 7);
        List<String> all = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = activity("?limit=3" + (cursor == null ? "" : "&cursor=" + q(cursor)));
            page.get("items").forEach(e -> all.add(e.get("id").asText()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        assertThat(all).hasSize(7).doesNotHaveDuplicates();
        assertThat(activity("?type=task.created").get("items")).hasSize(1);
        assertThat(TestApp.api().newUser().get("/api/activity").json().get("items")).isEmpty();
        assertProblem(user.get("/api/activity?limit=0"), 400, "limit");
        assertProblem(user.get("/api/activity?taskId=nope"), 400, "taskId");
        assertProblem(user.get("/api/activity?from=yesterday"), 400, "from");
        assertProblem(user.get("/api/activity?cursor=bad"), 400, "cursor");
    }

    @Test
    void completedStatsAreBucketedInTheUsersZone() {
        user.patch("/api/me", "{\"timeZone\":\"Pacific/Auckland\"}");
        String a = user.createTask("{\"title\":\"a\"}").get("id").asText();
        String b = user.createTask("{\"title\":\"b\"}").get("id").asText();
        user.post("/api/tasks/" + a + "/complete");
        user.post("/api/tasks/" + b + "/complete");
        await(Duration.ofSeconds(10), () -> activity("?type=task.completed").get("items"), l -> l.size() == 2);
        LocalDate today = LocalDate.now(ZoneId.of("Pacific/Auckland"));
        Instant from = today.minusDays(2).atStartOfDay(ZoneId.of("Pacific/Auckland")).toInstant();
        Instant to = today.plusDays(1).atStartOfDay(ZoneId.of("Pacific/Auckland")).toInstant();
        JsonNode stats = user.get("/api/stats/completed?bucket=day&from=" + q(from.toString()) + "&to=" + q(to.toString())).json();
        assertThat(stats.get("timeZone").asText()).isEqualTo("Pacific/Auckland");
        JsonNode items = stats.get("items");
        assertThat(items).hasSize(3);
        assertThat(items.get(2).get("start").asText()).isEqualTo(today.toString());
        assertThat(items.get(2).get("completed").asInt()).isEqualTo(2);
        assertThat(items.get(0).get("completed").asInt()).isZero();
        assertProblem(user.get("/api/stats/completed?bucket=month&from=" + q(from.toString()) + "&to=" + q(to.toString())), 400, "bucket");
        assertProblem(user.get("/api/stats/completed?from=" + q(to.toString()) + "&to=" + q(from.toString())), 400, "to");
    }

    @Test
    void eventsWrittenWhileTheRelayIsDownArePublishedWhenItReturns() {
        OutboxRelay relay = ctx.getBean(OutboxRelay.class);
        relay.stop();
        String id;
        try {
            id = user.createTask("{\"title\":\"while down\"}").get("id").asText();
            user.post("/api/tasks/" + id + "/complete");
            assertThat(activity("?taskId=" + id).get("items")).isEmpty();
        } finally {
            relay.start();
        }
        assertThat(await(Duration.ofSeconds(10), () -> activity("?taskId=" + id).get("items"), l -> l.size() == 2)).hasSize(2);
    }
}
