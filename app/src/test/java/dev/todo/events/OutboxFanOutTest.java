package dev.todo.events;

import dev.todo.support.Api;
import dev.todo.support.OwnServer;
import dev.todo.support.TestApp;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.todo.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An event is one outbox row naming all its topics; the relay fans it out, and marks the row
 * published only when every topic took it.
 */
class OutboxFanOutTest {

    /** In process, one message at a time, refusing task-updates while told to. */
    @Singleton
    @Replaces(InProcessTransport.class)
    @Requires(property = "todo.test.fan-out-transport", value = "true")
    static class RefusingTransport implements EventTransport {
        final AtomicBoolean refuseUpdates = new AtomicBoolean();
        final AtomicInteger refused = new AtomicInteger();
        private final BeanProvider<EventDispatcher> dispatcher;

        RefusingTransport(BeanProvider<EventDispatcher> dispatcher) {
            this.dispatcher = dispatcher;
        }

        @Override
        public int publish(List<Outgoing> batch) {
            for (int i = 0; i < batch.size(); i++) {
                Outgoing o = batch.get(i);
                if (refuseUpdates.get() && o.topic().equals("task-updates")) {
                    refused.incrementAndGet();
                    return i;
                }
                dispatcher.get().deliver(o.topic(), o.event(), EventDispatcher.Audience.ALL);
            }
            return batch.size();
        }
    }

    static OwnServer server;
    static DataSource ds;
    static RefusingTransport transport;
    /** Deliveries seen per topic and event id. */
    static final Map<String, Map<String, AtomicInteger>> seen = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() {
        server = TestApp.ownServer("outbox_fan_out", Map.of("todo.test.fan-out-transport", "true"));
        ds = server.dataSource();
        transport = server.bean(RefusingTransport.class);
        EventDispatcher dispatcher = server.bean(EventDispatcher.class);
        for (String topic : List.of("task-events", "task-updates")) {
            server.register(dispatcher.observe(topic, e -> seen.computeIfAbsent(topic, t -> new ConcurrentHashMap<>())
                    .computeIfAbsent(e.getId(), id -> new AtomicInteger()).incrementAndGet()));
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aTaskChangeIsOneRowThatReachesBothTopicsOnce() {
        Api user = server.api().newUser();
        String task = user.createTask("{\"title\":\"fan out\"}").get("id").asText();
        user.patch("/api/tasks/" + task, "{\"priority\":\"high\"}");

        List<Row> rows = await(Duration.ofSeconds(15), () -> rows(task), r -> r.size() == 2 && r.stream().allMatch(Row::published));
        assertThat(rows).extracting(Row::type).containsExactly("task.created", "task.updated");
        for (Row r : rows) {
            assertThat(r.topics()).containsExactly("task-events", "task-updates");
            assertThat(r.attempts()).isZero();
            assertThat(deliveries("task-events", r.id())).as("task-events deliveries of " + r.type()).isEqualTo(1);
            assertThat(deliveries("task-updates", r.id())).as("task-updates deliveries of " + r.type()).isEqualTo(1);
        }
        assertThat(user.get("/api/activity?taskId=" + task).json().get("items")).hasSize(2);
    }

    @Test
    void aRowRefusedOnItsSecondTopicStaysUnpublishedAndGoesAgainToBoth() {
        Api user = server.api().newUser();
        String task;
        int refusedBefore = transport.refused.get();
        transport.refuseUpdates.set(true);
        try {
            task = user.createTask("{\"title\":\"half taken\"}").get("id").asText();
            await(Duration.ofSeconds(15), transport.refused::get, n -> n >= refusedBefore + 3);
            List<Row> rows = rows(task);
            assertThat(rows).hasSize(1);
            Row row = rows.get(0);
            assertThat(row.published()).as("published while task-updates refused it").isFalse();
            assertThat(row.attempts()).isGreaterThanOrEqualTo(2);
            // the whole row went again: task-events had it more than once ...
            assertThat(deliveries("task-events", row.id())).isGreaterThanOrEqualTo(2);
            assertThat(deliveries("task-updates", row.id())).isZero();
        } finally {
            transport.refuseUpdates.set(false);
        }
        Row row = await(Duration.ofSeconds(15), () -> rows(task), r -> r.size() == 1 && r.get(0).published()).get(0);
        assertThat(deliveries("task-updates", row.id())).isEqualTo(1);
        // ... and its consumers acted once
        assertThat(user.get("/api/activity?taskId=" + task).json().get("items")).hasSize(1);
    }

    record Row(String id, String type, List<String> topics, int attempts, boolean published) {
    }

    private static int deliveries(String topic, String eventId) {
        AtomicInteger n = seen.getOrDefault(topic, Map.of()).get(eventId);
        return n == null ? 0 : n.get();
    }

    private static List<Row> rows(String task) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select id::text, type, topics, attempts, published_at is not null from outbox where subject = ?::uuid order by seq")) {
            ps.setString(1, task);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getString(2), List.of((String[]) rs.getArray(3).getArray()),
                            rs.getInt(4), rs.getBoolean(5)));
                }
            }
            return rows;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
