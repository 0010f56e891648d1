package dev.todo.events.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todo.events.PoisonConsumer;
import dev.todo.support.Api;
import dev.todo.support.KafkaBroker;
import dev.todo.support.OwnServer;
import dev.todo.support.TestApp;
import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static dev.todo.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The Kafka transport end to end against a real KRaft broker in the test JVM, with the app on its own database. */
class KafkaTransportTest {

    static final List<String> TOPICS = List.of("task-events", "reminders", "task-updates");
    static final String GROUP = "todo-test-kafka";
    static KafkaBroker broker;
    static OwnServer server;
    static Api admin;

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.start();
        broker.createTopics(TOPICS, 3);
        broker.createTopics(TOPICS.stream().map(t -> t + "-dlq").toList(), 1);
        TestApp.preregister("kafka", "kafka-admin", "password123");
        server = TestApp.ownServer("kafka", Map.of(
                "todo.events.transport", "kafka",
                "todo.kafka.bootstrap-servers", broker.bootstrapServers(),
                "todo.kafka.group", GROUP,
                "todo.kafka.delivery-timeout", "3s",
                "todo.events.max-attempts", "3",
                "todo.events.first-backoff", "10ms",
                "todo.admin-users", "kafka-admin",
                "test.poison-consumer", "true"));
        admin = server.api().login("kafka-admin", "password123");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static Api user() {
        return server.api().newUser();
    }

    private static JsonNode activity(Api user, String taskId) {
        return user.get("/api/activity?taskId=" + taskId).json().get("items");
    }

    /** Reads a topic from the beginning with a fresh group until the records satisfy {@code done}. */
    static List<ConsumerRecord<byte[], byte[]>> read(String topic, Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
        Map<String, Object> c = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            return await(Duration.ofSeconds(30), () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                return List.copyOf(out);
            }, done);
        }
    }

    static CloudEvent event(ConsumerRecord<byte[], byte[]> r) {
        return new JsonFormat().deserialize(r.value());
    }

    /**
     * Types of each task's events in the order the topic first holds them, for the given tasks. Delivery
     * is at least once: a send the broker took but did not confirm before an outage is sent again, and
     * the consumers skip the copy; so a repeated event id counts once.
     */
    static Map<String, List<String>> typesByTask(List<ConsumerRecord<byte[], byte[]>> records, List<String> taskIds) {
        Map<String, List<String>> byTask = new LinkedHashMap<>();
        taskIds.forEach(id -> byTask.put(id, new ArrayList<>()));
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            CloudEvent e = event(r);
            if (byTask.containsKey(e.getSubject()) && seen.add(e.getId())) {
                byTask.get(e.getSubject()).add(e.getType().substring("dev.todo.".length()));
            }
        }
        return byTask;
    }

    private static int count(Map<String, List<String>> byTask, int each) {
        return (int) byTask.values().stream().filter(l -> l.size() >= each).count();
    }

    @Test
    void taskChangesTravelAsCloudEventsKeyedByTaskInOrderAndReachTheActivityLog() {
        Api user = user();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = user.createTask("{\"title\":\"kafka " + i + "\"}").get("id").asText();
            user.patch("/api/tasks/" + id, "{\"priority\":\"high\"}");
            user.patch("/api/tasks/" + id, "{\"title\":\"kafka " + i + "!\"}");
            user.post("/api/tasks/" + id + "/complete");
            ids.add(id);
        }
        List<ConsumerRecord<byte[], byte[]>> records = read("task-events", rs -> count(typesByTask(rs, ids), 4) == ids.size());
        typesByTask(records, ids).forEach((id, types) ->
                assertThat(types).as("events of " + id).containsExactly("task.created", "task.updated", "task.updated", "task.completed"));
        ConsumerRecord<byte[], byte[]> first = records.stream().filter(r -> ids.get(0).equals(event(r).getSubject())).findFirst().orElseThrow();
        assertThat(new String(first.key(), StandardCharsets.UTF_8)).isEqualTo(ids.get(0));
        assertThat(new String(first.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8))
                .isEqualTo("application/cloudevents+json");
        CloudEvent e = event(first);
        assertThat(e.getSource()).hasToString("/todo/app");
        assertThat(e.getExtension("userid")).hasToString(user.get("/api/me").json().get("id").asText());
        assertThat(e.getExtension("sequence")).isNotNull();
        // the same task always lands in the same partition
        assertThat(records.stream().filter(r -> ids.get(0).equals(event(r).getSubject())).map(ConsumerRecord::partition).distinct())
                .hasSize(1);
        // the worker's consumers in group GROUP wrote the activity log
        for (String id : ids) {
            assertThat(await(Duration.ofSeconds(20), () -> activity(user, id), a -> a.size() == 4)).hasSize(4);
        }
        read("task-updates", rs -> count(typesByTask(rs, ids), 4) == ids.size());
    }

    @Test
    void liveSyncReadsTaskUpdatesFromKafkaIntoTheUsersStream() throws Exception {
        Api user = user();
        try (dev.todo.live.SseClient stream = dev.todo.live.SseClient.open(
                dev.todo.live.SseClient.request(user.base().resolve("/api/stream"), user.token()).build())) {
            assertThat(stream.status()).isEqualTo(200);
            String id = user.createTask("{\"title\":\"live over kafka\"}").get("id").asText();
            dev.todo.live.SseClient.Frame frame = stream.nextEvent(Duration.ofSeconds(20));
            assertThat(frame.event()).isEqualTo("task.created");
            assertThat(Api.JSON.readTree(frame.data()).get("taskId").asText()).isEqualTo(id);
            assertThat(Long.parseLong(frame.id())).isPositive();
        }
    }

    @Test
    void brokerStoppedWhileTasksAreWrittenLosesNothingAndKeepsPerTaskOrderAfterItReturns() throws Exception {
        Api user = user();
        String before = user.createTask("{\"title\":\"before the outage\"}").get("id").asText();
        await(Duration.ofSeconds(20), () -> activity(user, before), a -> a.size() == 1);

        broker.stopBroker();
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                String id = user.createTask("{\"title\":\"outage " + i + "\"}").get("id").asText();
                user.patch("/api/tasks/" + id, "{\"priority\":\"low\"}");
                user.post("/api/tasks/" + id + "/complete");
                ids.add(id);
            }
            // the relay has tried and failed: the outage was seen, the events wait in the outbox
            await(Duration.ofSeconds(20), () -> scalar("select coalesce(max(attempts), 0) from outbox where published_at is null"),
                    n -> n > 0);
            assertThat(scalar("select count(*) from activity a join tasks t on t.id = a.task_id where t.title like 'outage %'"
                    + " and t.user_id = (select user_id from tasks where id = '" + ids.get(0) + "')")).isZero();
        } finally {
            broker.startBroker();
        }
        for (String id : ids) {
            assertThat(await(Duration.ofSeconds(60), () -> activity(user, id), a -> a.size() == 3)).hasSize(3);
        }
        List<ConsumerRecord<byte[], byte[]>> records = read("task-events", rs -> count(typesByTask(rs, ids), 3) == ids.size());
        typesByTask(records, ids).forEach((id, types) ->
                assertThat(types).as("events of " + id).containsExactly("task.created", "task.updated", "task.completed"));
    }

    @Test
    void eventsRedeliveredAfterACrashBeforeTheCommitChangeNothing() throws Exception {
        Api user = user();
        String id = user.createTask("{\"title\":\"redelivered\"}").get("id").asText();
        user.post("/api/tasks/" + id + "/complete");
        await(Duration.ofSeconds(20), () -> activity(user, id), a -> a.size() == 2);
        long activityRows = scalar("select count(*) from activity");

        // as if the worker died before committing: its group starts again from the beginning of every topic
        KafkaTransport transport = server.bean(KafkaTransport.class);
        transport.stop();
        Map<TopicPartition, OffsetAndMetadata> rewind = new HashMap<>();
        for (String topic : TOPICS) {
            for (int p = 0; p < 3; p++) {
                rewind.put(new TopicPartition(topic, p), new OffsetAndMetadata(0));
            }
        }
        try (var a = broker.admin()) {
            a.alterConsumerGroupOffsets(GROUP, rewind).all().get();
        }
        long handledBefore = PoisonConsumer.handled.values().stream().mapToInt(java.util.concurrent.atomic.AtomicInteger::get).sum();
        transport.start();

        // every event is handed to the consumers again (the test consumer counts each delivery) ...
        long total = scalar("select count(distinct id) from outbox where 'task-events' = any(topics)");
        assertThat(total).isPositive();
        await(Duration.ofSeconds(30), () -> PoisonConsumer.handled.values().stream()
                .mapToInt(java.util.concurrent.atomic.AtomicInteger::get).sum() - handledBefore, n -> n >= total - deadLettered());
        // ... and the idempotent consumers add nothing
        assertThat(scalar("select count(*) from activity")).isEqualTo(activityRows);
        assertThat(activity(user, id)).hasSize(2);
    }

    private static long deadLettered() {
        return scalar("select count(*) from dead_letters where consumer = 'poison-test'");
    }

    @Test
    void aPoisonEventIsDeadLetteredAfterItsAttemptsWhileOthersFlowAndReplaysOnceFixed() {
        Api user = user();
        PoisonConsumer.failing.set(true);
        String poison = user.createTask("{\"title\":\"poison pill\"}").get("id").asText();
        String fine = user.createTask("{\"title\":\"fine\"}").get("id").asText();
        await(Duration.ofSeconds(20), () -> activity(user, fine), a -> a.size() == 1);

        JsonNode letters = await(Duration.ofSeconds(20), () -> admin.get("/api/admin/dead-letters?consumer=poison-test").json().get("items"),
                items -> items.size() > 0 && containsTask(items, poison));
        JsonNode letter = null;
        for (JsonNode l : letters) {
            if (l.get("eventType").asText().equals("dev.todo.task.created")) {
                JsonNode full = admin.get("/api/admin/dead-letters/" + l.get("id").asText()).json();
                if (poison.equals(full.at("/event/subject").asText())) {
                    letter = full;
                }
            }
        }
        assertThat(letter).isNotNull();
        assertThat(letter.get("attempts").asInt()).isEqualTo(3);
        assertThat(letter.get("error").asText()).contains("cannot digest");
        assertThat(letter.get("topic").asText()).isEqualTo("task-events");
        // the other consumers were not held up: the activity log has the poison task too
        assertThat(activity(user, poison)).hasSize(1);

        // a copy went to the dead-letter topic, with the consumer and the error as headers
        String eventId = letter.get("eventId").asText();
        List<ConsumerRecord<byte[], byte[]>> dlq = read("task-events-dlq",
                rs -> rs.stream().anyMatch(r -> eventId.equals(event(r).getId())));
        ConsumerRecord<byte[], byte[]> copy = dlq.stream().filter(r -> eventId.equals(event(r).getId())).findFirst().orElseThrow();
        assertThat(new String(copy.headers().lastHeader("todo-consumer").value(), StandardCharsets.UTF_8)).isEqualTo("poison-test");
        assertThat(new String(copy.key(), StandardCharsets.UTF_8)).isEqualTo(poison);

        // not an administrator: refused
        assertThat(user.get("/api/admin/dead-letters").status()).isEqualTo(403);

        PoisonConsumer.failing.set(false);
        String id = letter.get("id").asText();
        assertThat(admin.post("/api/admin/dead-letters/" + id + "/replay").status()).isEqualTo(202);
        JsonNode replayed = await(Duration.ofSeconds(20), () -> admin.get("/api/admin/dead-letters/" + id).json(),
                d -> !d.get("replayedAt").isNull());
        assertThat(replayed.get("replayRequestedAt").isNull()).isTrue();
        assertThat(PoisonConsumer.handled.get(eventId).get()).isEqualTo(1);
        assertThat(admin.post("/api/admin/dead-letters/" + id + "/replay").status()).isEqualTo(409);
        assertThat(admin.get("/api/admin/dead-letters?open=true&consumer=poison-test").json().get("items").toString()).doesNotContain(id);
    }

    private static boolean containsTask(JsonNode items, String taskId) {
        for (JsonNode l : items) {
            JsonNode full = admin.get("/api/admin/dead-letters/" + l.get("id").asText()).json();
            if (taskId.equals(full.at("/event/subject").asText())) {
                return true;
            }
        }
        return false;
    }

    static long scalar(String sql) {
        try (Connection c = server.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
