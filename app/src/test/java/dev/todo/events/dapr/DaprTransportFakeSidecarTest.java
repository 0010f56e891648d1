package dev.todo.events.dapr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todo.events.EventTransport;
import dev.todo.support.Api;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import static dev.todo.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Publishing through Dapr, checked against a stand-in sidecar ({@link FakeDaprSidecar}). */
class DaprTransportFakeSidecarTest {

    private final FakeDaprSidecar sidecar = DaprTestApp.sidecar();
    private final Api user = DaprTestApp.api().newUser();

    private List<FakeDaprSidecar.Published> of(String topic, String taskId) {
        return sidecar.published().stream().filter(p -> p.topic().equals(topic) && taskId.equals(p.event().getSubject())).toList();
    }

    @Test
    void eachChangeReachesTheSidecarAsTheStructuredCloudEventTheOutboxProduced() throws Exception {
        String userId = user.get("/api/me").json().get("id").asText();
        String a = user.createTask("{\"title\":\"first\",\"priority\":\"low\"}").get("id").asText();
        String b = user.createTask("{\"title\":\"second\"}").get("id").asText();
        user.patch("/api/tasks/" + a, "{\"priority\":\"high\"}");
        user.post("/api/tasks/" + b + "/complete");
        user.post("/api/tasks/" + a + "/complete");

        List<String> expectedA = List.of("dev.todo.task.created", "dev.todo.task.updated", "dev.todo.task.completed");
        List<String> expectedB = List.of("dev.todo.task.created", "dev.todo.task.completed");
        for (String topic : List.of("task-events", "task-updates")) {
            List<FakeDaprSidecar.Published> pa = await(Duration.ofSeconds(10), () -> of(topic, a), l -> l.size() >= 3);
            List<FakeDaprSidecar.Published> pb = await(Duration.ofSeconds(10), () -> of(topic, b), l -> l.size() >= 2);
            assertThat(pa).extracting(p -> p.event().getType()).containsExactlyElementsOf(expectedA);
            assertThat(pb).extracting(p -> p.event().getType()).containsExactlyElementsOf(expectedB);
            for (FakeDaprSidecar.Published p : List.of(pa.get(0), pa.get(1), pa.get(2), pb.get(0), pb.get(1))) {
                assertThat(p.pubsub()).isEqualTo(DaprTestApp.PUBSUB);
                assertThat(p.contentType()).isEqualTo("application/cloudevents+json");
                CloudEvent e = p.event();
                assertThat(p.metadata()).containsEntry("partitionKey", e.getSubject());
                assertThat(UUID.fromString(e.getId())).isNotNull();
                assertThat(e.getSource()).isEqualTo(URI.create("/todo/app"));
                assertThat(e.getTime()).isNotNull().isBefore(OffsetDateTime.now().plusSeconds(1));
                assertThat(e.getExtension("userid")).hasToString(userId);
                assertThat(Long.parseLong(String.valueOf(e.getExtension("sequence")))).isPositive();
                assertThat(e.getDataContentType()).isEqualTo("application/json");
                JsonNode data = Api.JSON.readTree(e.getData().toBytes());
                assertThat(data.at("/task/id").asText()).isEqualTo(e.getSubject());
                // structured JSON: the data is a JSON object, not base64 or a string
                assertThat(Api.JSON.readTree(p.data()).get("data").isObject()).isTrue();
            }
            JsonNode changes = Api.JSON.readTree(pa.get(1).event().getData().toBytes()).get("changes");
            assertThat(changes.at("/priority/before").asText()).isEqualTo("low");
            assertThat(changes.at("/priority/after").asText()).isEqualTo("high");
            // the outbox order holds across tasks too: the sequence grows in publish order
            List<Long> seqs = sidecar.published().stream().filter(p -> p.topic().equals(topic))
                    .map(p -> Long.parseLong(String.valueOf(p.event().getExtension("sequence")))).toList();
            assertThat(seqs).isSorted();
        }
        // the same event id on both topics
        assertThat(of("task-events", a).get(0).event().getId()).isEqualTo(of("task-updates", a).get(0).event().getId());
        assertThat(sidecar.healthChecks()).isPositive();
        assertThat(DaprTestApp.context().getBean(DaprTransport.class).sidecarReady()).isTrue();

        // and back through the stand-in's subscription side into the activity log, once each
        JsonNode log = await(Duration.ofSeconds(10), () -> user.get("/api/activity?taskId=" + a).json().get("items"),
                l -> l.size() >= 3);
        assertThat(log).hasSize(3);
        assertThat(log.get(0).get("type").asText()).isEqualTo("task.completed");
    }

    @Test
    void whileTheSidecarRefusesNothingIsLostAndOrderHolds() {
        sidecar.refuse(true);
        String id;
        int refusedBefore = sidecar.refused();
        try {
            id = user.createTask("{\"title\":\"while refused\"}").get("id").asText();
            for (int i = 1; i <= 3; i++) {
                user.patch("/api/tasks/" + id, "{\"title\":\"while refused " + i + "\"}");
            }
            user.post("/api/tasks/" + id + "/complete");
            await(Duration.ofSeconds(10), sidecar::refused, n -> n >= refusedBefore + 2);
            assertThat(of("task-events", id)).isEmpty();
        } finally {
            sidecar.refuse(false);
        }
        List<String> expected = List.of("dev.todo.task.created", "dev.todo.task.updated", "dev.todo.task.updated",
                "dev.todo.task.updated", "dev.todo.task.completed");
        for (String topic : List.of("task-events", "task-updates")) {
            List<FakeDaprSidecar.Published> got = await(Duration.ofSeconds(15), () -> of(topic, id), l -> l.size() >= expected.size());
            assertThat(got).extracting(p -> p.event().getType()).containsExactlyElementsOf(expected);
            assertThat(got).extracting(p -> p.event().getId()).doesNotHaveDuplicates();
        }
        List<String> titles = of("task-updates", id).stream()
                .map(p -> new String(p.event().getData().toBytes(), StandardCharsets.UTF_8))
                .map(s -> {
                    try {
                        return Api.JSON.readTree(s).at("/task/title").asText();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }).toList();
        assertThat(titles).containsExactly("while refused", "while refused 1", "while refused 2", "while refused 3", "while refused 3");
    }

    @Test
    void aDeadLetterCopyGoesToTheTopicsDeadLetterTopicWithConsumerAndError() {
        String subject = UUID.randomUUID().toString();
        CloudEvent event = CloudEventBuilder.v1().withId(UUID.randomUUID().toString()).withSource(URI.create("/todo/app"))
                .withType("dev.todo.task.created").withSubject(subject).withExtension("userid", UUID.randomUUID().toString())
                .withExtension("sequence", "1").withDataContentType("application/json")
                .withData("{\"task\":{}}".getBytes(StandardCharsets.UTF_8)).build();
        DaprTestApp.context().getBean(EventTransport.class).publishDeadLetter("task-events", event, "activity", "boom: " + "x".repeat(5000));

        FakeDaprSidecar.Published p = await(Duration.ofSeconds(5), () -> sidecar.published().stream()
                .filter(x -> x.topic().equals("task-events-dlq") && subject.equals(x.event().getSubject())).findFirst().orElse(null),
                x -> x != null);
        assertThat(p.pubsub()).isEqualTo(DaprTestApp.PUBSUB);
        assertThat(p.event().getId()).isEqualTo(event.getId());
        assertThat(p.metadata()).containsEntry("consumer", "activity").containsEntry("partitionKey", subject);
        assertThat(p.metadata().get("error")).startsWith("boom: ").hasSize(DaprTransport.MAX_ERROR_METADATA);
    }
}
