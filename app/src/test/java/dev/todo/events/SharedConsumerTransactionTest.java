package dev.todo.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todo.support.Api;
import dev.todo.support.Delivered;
import dev.todo.support.OwnServer;
import dev.todo.support.TestApp;
import io.cloudevents.CloudEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.todo.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consumers that take batches handle the events of a topic together, in one transaction: one
 * commit for all of them. Checked on the real PostgreSQL by the transaction id ({@code xmin}) of the
 * rows they wrote. When one of them fails, the shared transaction is undone, the others' work is
 * done again each in its own, and the failing one's event is retried and dead-lettered for it alone.
 */
class SharedConsumerTransactionTest {

    static final String ADMIN = "shared-tx-admin";

    /** Takes batches; fails on the creation of a task titled "poison pill" in the same transaction as the others. */
    @Singleton
    @Requires(property = "todo.test.fussy-batch-consumer", value = "true")
    static class FussyBatchConsumer implements BatchEventConsumer {

        final List<String> handled = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "fussy-batch";
        }

        @Override
        public Set<String> topics() {
            return Set.of("task-events");
        }

        @Override
        @Transactional
        public void handle(CloudEvent event) {
            if (event.getType().equals("dev.todo.task.created")
                    && new String(event.getData().toBytes(), StandardCharsets.UTF_8).contains("poison pill")) {
                throw new IllegalStateException("cannot digest task " + event.getSubject());
            }
            handled.add(event.getType() + " " + event.getSubject());
        }

        @Override
        @Transactional
        public void handleAll(List<CloudEvent> events) {
            events.forEach(this::handle);
        }
    }

    @Test
    void theConsumersOfACompletionCommitItsEffectsInOneTransaction() throws Exception {
        Api user = TestApp.api().newUser();
        try (Delivered events = Delivered.on("task-events")) {
            JsonNode t = user.createTask("{\"title\":\"Water plants\",\"dueAt\":\"2099-03-23T09:00:00Z\",\"recurrence\":{\"rule\":\"FREQ=WEEKLY\"}}");
            String id = t.get("id").asText();
            user.post("/api/tasks/" + id + "/complete");
            CloudEvent completed = events.await("task.completed", id);

            Map<String, String> claims = transactionsOfClaims(database(), completed.getId());
            assertThat(claims).as("claimed by recurrence; the activity log's entry is its own record").containsOnlyKeys("recurrence");
            assertThat(xmin(database(), "select xmin::text from activity where event_id = cast(? as uuid)", completed.getId()))
                    .as("the activity entry was written in the same transaction").isEqualTo(claims.get("recurrence"));
            String next = user.get("/api/tasks?status=all&sort=dueAt&seriesId=" + t.get("seriesId").asText()).json()
                    .get("items").get(1).get("id").asText();
            assertThat(xmin(database(), "select xmin::text from tasks where id = cast(? as uuid)", next))
                    .as("the next occurrence was written in that transaction too").isEqualTo(claims.get("recurrence"));
        }
    }

    @Test
    void oneConsumerFailingUndoesTheSharedTransactionAndTheOthersHandleTheEventAlone() throws Exception {
        TestApp.preregister("sharedtx", ADMIN, "correct-horse-battery");
        try (OwnServer server = TestApp.ownServer("sharedtx", Map.of(
                "todo.test.fussy-batch-consumer", "true",
                "todo.admin-users", ADMIN,
                "todo.events.max-attempts", 2,
                "todo.events.first-backoff", "10ms"))) {
            FussyBatchConsumer fussy = server.bean(FussyBatchConsumer.class);
            Api api = server.api();
            Api admin = api.login(ADMIN, "correct-horse-battery");
            Api user = api.newUser();
            try (Delivered events = Delivered.on(server.context(), "task-events")) {
                String poison = user.createTask("{\"title\":\"poison pill\"}").get("id").asText();
                CloudEvent created = events.await("task.created", poison);

                JsonNode letters = admin.get("/api/admin/dead-letters?consumer=fussy-batch").json().get("items");
                assertThat(letters).hasSize(1);
                assertThat(letters.get(0).get("attempts").asInt()).isEqualTo(2);
                assertThat(user.get("/api/activity?taskId=" + poison).json().get("items")).as("the activity log kept its entry").hasSize(1);
                assertThat(transactionsOfClaims(server.dataSource(), created.getId())).as("no claims: the failing consumer never made one, and the activity log needs none").isEmpty();
                assertThat(server.bean(MeterRegistry.class).counter("todo.events.batches", "consumer", "all", "outcome", "each-alone").count())
                        .isGreaterThanOrEqualTo(1);

                String healthy = user.createTask("{\"title\":\"healthy\"}").get("id").asText();
                events.await("task.created", healthy);
                await(Duration.ofSeconds(10), () -> fussy.handled, h -> h.contains("dev.todo.task.created " + healthy));
                assertThat(fussy.handled).doesNotContain("dev.todo.task.created " + poison);
                assertThat(user.get("/api/activity?taskId=" + healthy).json().get("items")).hasSize(1);
            }
        }
    }

    private static DataSource database() {
        var ctx = TestApp.server().getApplicationContext();
        return TestApp.dataSource(ctx);
    }

    /** consumer → transaction id of its claim of the event */
    private static Map<String, String> transactionsOfClaims(DataSource dataSource, String eventId) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select consumer, xmin::text from processed_events where event_id = cast(? as uuid)")) {
            ps.setString(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    private static String xmin(DataSource dataSource, String sql, String id) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        assertThat(out).hasSize(1);
        return out.get(0);
    }
}
