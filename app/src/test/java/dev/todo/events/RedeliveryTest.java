package dev.todo.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todo.support.Api;
import dev.todo.support.Delivered;
import dev.todo.support.TestApp;
import io.cloudevents.CloudEvent;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A consumer that crashed after its side effect committed but before the event was acknowledged
 * gets the event again. Here the relay delivers each event once, then the test hands the same event
 * to the consumer group again, at the same time, as two instances would after a rebalance.
 */
class RedeliveryTest {

    private final Api user = TestApp.api().newUser();
    private final ApplicationContext ctx = TestApp.server().getApplicationContext();

    private static void redeliverTwiceAtOnce(Delivered delivered, String topic, CloudEvent event) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            // one instance gets it alone, the other twice in one batch (the consumers' bulk path)
            done.add(pool.submit(() -> {
                go.await();
                delivered.dispatcher().deliver(topic, event, EventDispatcher.Audience.GROUP);
                return null;
            }));
            done.add(pool.submit(() -> {
                go.await();
                delivered.dispatcher().deliverAll(topic, List.of(event, event), EventDispatcher.Audience.GROUP);
                return null;
            }));
            go.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private JsonNode activity(String taskId, String type) {
        return user.get("/api/activity?taskId=" + taskId + "&type=" + type).json().get("items");
    }

    private long count(String sql, String param) throws Exception {
        try (Connection c = TestApp.dataSource(ctx).getConnection();
             PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void aRedeliveredCompletionMakesOneNextOccurrenceAndOneActivityEntry() throws Exception {
        try (Delivered events = Delivered.on("task-events")) {
            JsonNode t = user.createTask("{\"title\":\"Water plants\",\"dueAt\":\"2099-03-23T09:00:00Z\",\"recurrence\":{\"rule\":\"FREQ=WEEKLY\"}}");
            String id = t.get("id").asText();
            String series = "/api/tasks?status=all&sort=dueAt&seriesId=" + t.get("seriesId").asText();
            user.post("/api/tasks/" + id + "/complete");
            CloudEvent completed = events.await("task.completed", id);
            JsonNode before = user.get(series).json().get("items");
            assertThat(before).as("the first delivery made the successor").hasSize(2);
            assertThat(activity(id, "task.completed")).hasSize(1);

            redeliverTwiceAtOnce(events, "task-events", completed);

            JsonNode after = user.get(series).json().get("items");
            assertThat(after).hasSize(2);
            assertThat(after.get(1).get("id")).isEqualTo(before.get(1).get("id"));
            assertThat(activity(id, "task.completed")).hasSize(1);
            assertThat(count("select count(distinct id) from outbox where type = 'task.occurrence.generated'"
                    + " and data->>'previousTaskId' = ?", id)).as("one task.occurrence.generated").isEqualTo(1);
            String next = after.get(1).get("id").asText();
            events.await("task.occurrence.generated", next);
            assertThat(activity(next, "task.occurrence.generated")).hasSize(1);
        }
    }

    @Test
    void aRedeliveredReminderDueMakesOneNotificationAndOneActivityEntry() throws Exception {
        try (Delivered events = Delivered.on("reminders")) {
            String id = user.createTask("{\"title\":\"Call mum\",\"reminders\":[{\"at\":\"" + Instant.now().plusMillis(100) + "\"}]}")
                    .get("id").asText();
            CloudEvent due = events.await("reminder.due", id);
            assertThat(user.get("/api/notifications").json().get("items")).as("the first delivery made it").hasSize(1);
            assertThat(activity(id, "reminder.due")).hasSize(1);

            redeliverTwiceAtOnce(events, "reminders", due);

            JsonNode notifications = user.get("/api/notifications").json().get("items");
            assertThat(notifications).hasSize(1);
            assertThat(notifications.get(0).get("id").asText())
                    .isEqualTo(Api.JSON.readTree(due.getData().toBytes()).get("notificationId").asText());
            assertThat(activity(id, "reminder.due")).hasSize(1);
            assertThat(count("select count(*) from processed_events where event_id = cast(? as uuid)", due.getId()))
                    .as("claimed once, by the notifier (the activity log's entry is its own record)").isEqualTo(1);
        }
    }

    @Test
    void anEventShowsAsDeliveredOnlyOnceItsConsumersCommitted() {
        // the premise of awaiting delivered events in these tests
        try (Delivered events = Delivered.on("task-events")) {
            String id = user.createTask("{\"title\":\"x\"}").get("id").asText();
            events.await("task.created", id);
            assertThat(activity(id, "task.created")).hasSize(1);
        }
    }
}
