package dev.todo.reminders;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todo.events.EventDispatcher;
import dev.todo.events.Outbox;
import dev.todo.events.OutboxRelay;
import io.cloudevents.CloudEvent;
import dev.todo.support.Api;
import dev.todo.support.TestApp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.jdbc.DataSourceResolver;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.todo.support.Await.await;
import static dev.todo.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

class ReminderApiTest {

    private final Api user = TestApp.api().newUser();
    private final ApplicationContext ctx = TestApp.server().getApplicationContext();

    private JsonNode notifications(String query) {
        return user.get("/api/notifications" + query).json().get("items");
    }

    /** When the notifier created the notification (the API shows when its reminder fired). */
    private Instant createdAt(String notificationId) throws Exception {
        try (Connection c = TestApp.dataSource(ctx).getConnection();
             PreparedStatement ps = c.prepareStatement("select created_at from notifications where id = ?")) {
            ps.setObject(1, UUID.fromString(notificationId));
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
            }
        }
    }

    @Test
    void relativeReminderFiresWithinOneSecondOfItsFireAtAndEmitsReminderDue() throws Exception {
        List<CloudEvent> events = new CopyOnWriteArrayList<>();
        try (AutoCloseable sub = ctx.getBean(EventDispatcher.class).observe("reminders", events::add)) {
            Instant due = Instant.now().plusMillis(2500);
            JsonNode t = user.createTask("{\"title\":\"Call mum\",\"dueAt\":\"" + due + "\",\"reminders\":[{\"before\":\"PT1.5S\"}]}");
            JsonNode reminder = t.get("reminders").get(0);
            assertThat(reminder.get("before").asText()).isEqualTo("PT1.5S");
            assertThat(reminder.get("status").asText()).isEqualTo("pending");
            Instant fireAt = Instant.parse(reminder.get("fireAt").asText());
            assertThat(fireAt).isEqualTo(due.minusMillis(1500));

            JsonNode items = await(Duration.ofSeconds(10), () -> notifications("?unread=true"), n -> n.size() == 1);
            JsonNode n = items.get(0);
            assertThat(n.get("taskId").asText()).isEqualTo(t.get("id").asText());
            assertThat(n.get("title").asText()).isEqualTo("Call mum");
            assertThat(n.get("read").asBoolean()).isFalse();
            Instant firedAt = Instant.parse(n.get("firedAt").asText());
            assertThat(Duration.between(fireAt, firedAt)).isBetween(Duration.ZERO, Duration.ofSeconds(1));
            assertThat(Duration.between(fireAt, createdAt(n.get("id").asText())))
                    .as("the notifier created it within a second of fireAt").isBetween(Duration.ZERO, Duration.ofSeconds(1));
            assertThat(user.get("/api/tasks/" + t.get("id").asText()).json().at("/reminders/0/status").asText()).isEqualTo("sent");
            CloudEvent e = await(Duration.ofSeconds(5), () -> events.stream()
                    .filter(x -> t.get("id").asText().equals(x.getSubject())).findFirst().orElse(null), x -> x != null);
            assertThat(e.getType()).isEqualTo("dev.todo.reminder.due");
            assertThat(e.getExtension("userid")).hasToString(user.get("/api/me").json().get("id").asText());
            JsonNode data = dev.todo.support.Api.JSON.readTree(e.getData().toBytes());
            assertThat(data.get("title").asText()).isEqualTo("Call mum");
            assertThat(data.get("notificationId").asText()).isEqualTo(n.get("id").asText());
        }
    }

    @Test
    void absoluteReminderFiresAndReadAndUnreadWork() {
        Instant at = Instant.now().plusMillis(800);
        user.createTask("{\"title\":\"Standup\",\"reminders\":[{\"at\":\"" + at + "\"}]}");
        JsonNode n = await(Duration.ofSeconds(10), () -> notifications("?unread=true"), x -> x.size() == 1).get(0);
        assertThat(Duration.between(at, Instant.parse(n.get("firedAt").asText()))).isLessThan(Duration.ofSeconds(1));
        JsonNode read = user.post("/api/notifications/" + n.get("id").asText() + "/read").json();
        assertThat(read.get("read").asBoolean()).isTrue();
        assertThat(notifications("?unread=true")).isEmpty();
        assertThat(notifications("")).hasSize(1);
        assertProblem(TestApp.api().newUser().post("/api/notifications/" + n.get("id").asText() + "/read"), 404, null);
    }

    @Test
    void snoozedReminderFiresAgainAfterThePeriod() {
        user.createTask("{\"title\":\"Stretch\",\"reminders\":[{\"at\":\"" + Instant.now().plusMillis(200) + "\"}]}");
        JsonNode first = await(Duration.ofSeconds(10), () -> notifications(""), x -> x.size() == 1).get(0);
        Instant snoozedAt = Instant.now();
        assertThat(user.post("/api/notifications/" + first.get("id").asText() + "/snooze", "{\"for\":\"PT1S\"}").status()).isEqualTo(200);
        JsonNode all = await(Duration.ofSeconds(10), () -> notifications(""), x -> x.size() == 2);
        Instant again = Instant.parse(all.get(0).get("firedAt").asText());
        assertThat(again).isAfterOrEqualTo(snoozedAt.plusSeconds(1).minusMillis(5));
        assertProblem(user.post("/api/notifications/" + first.get("id").asText() + "/snooze", "{\"for\":\"soon\"}"), 400, "for");
        assertProblem(user.post("/api/notifications/" + first.get("id").asText() + "/snooze", "{\"for\":\"P30D\"}"), 400, "for");
    }

    @Test
    void dueChangesMoveRelativeRemindersAndCompletionCancelsThem() {
        JsonNode t = user.createTask("{\"title\":\"Dentist\",\"dueAt\":\"2099-06-01T10:00:00Z\","
                + "\"reminders\":[{\"before\":\"PT1H\"},{\"at\":\"2099-05-30T08:00:00Z\"}]}");
        String path = "/api/tasks/" + t.get("id").asText();
        JsonNode moved = user.patch(path, "{\"dueAt\":\"2099-06-02T10:00:00Z\"}").json();
        assertThat(moved.at("/reminders/0/fireAt").asText()).isEqualTo("2099-06-02T09:00:00Z");
        assertThat(moved.at("/reminders/1/fireAt").asText()).isEqualTo("2099-05-30T08:00:00Z");
        JsonNode done = user.post(path + "/complete").json();
        assertThat(done.get("reminders")).allSatisfy(r -> assertThat(r.get("status").asText()).isEqualTo("cancelled"));
        JsonNode reopened = user.post(path + "/reopen").json();
        assertThat(reopened.get("reminders")).allSatisfy(r -> assertThat(r.get("status").asText()).isEqualTo("pending"));
        JsonNode replaced = user.patch(path, "{\"reminders\":[{\"before\":\"P1D\"}]}").json();
        assertThat(replaced.get("reminders")).hasSize(1);
        assertThat(replaced.at("/reminders/0/fireAt").asText()).isEqualTo("2099-06-01T10:00:00Z");
        assertThat(user.patch(path, "{\"reminders\":null}").json().get("reminders")).isEmpty();
    }

    @Test
    void nextOccurrenceGetsRelativeRemindersMovedWithItsDueDate() {
        JsonNode t = user.createTask("{\"title\":\"Bins\",\"dueAt\":\"2099-01-05T19:00:00Z\",\"recurrence\":{\"rule\":\"FREQ=WEEKLY\"},"
                + "\"reminders\":[{\"before\":\"PT30M\"}]}");
        user.post("/api/tasks/" + t.get("id").asText() + "/complete");
        JsonNode next = await(Duration.ofSeconds(10), () -> user.get("/api/tasks?seriesId=" + t.get("seriesId").asText()).json().get("items"),
                items -> items.size() == 1).get(0);
        assertThat(next.at("/reminders/0/fireAt").asText()).isEqualTo("2099-01-12T18:30:00Z");
        assertThat(next.at("/reminders/0/status").asText()).isEqualTo("pending");
    }

    @Test
    void aReminderOfATaskDeletedBeforeTheNotifierRanNotifiesNobodyAndOneWhoseReminderWasReplacedStillNotifies() {
        OutboxRelay relay = ctx.getBean(OutboxRelay.class);
        List<CloudEvent> handled = new CopyOnWriteArrayList<>();
        JsonNode gone;
        JsonNode replaced;
        try (AutoCloseable sub = ctx.getBean(EventDispatcher.class).observe("reminders", handled::add)) {
            relay.stop();
            try {
                String now = Instant.now().toString();
                gone = user.createTask("{\"title\":\"Gone\",\"reminders\":[{\"at\":\"" + now + "\"}]}");
                replaced = user.createTask("{\"title\":\"Replaced\",\"reminders\":[{\"at\":\"" + now + "\"}]}");
                for (JsonNode t : List.of(gone, replaced)) {
                    await(Duration.ofSeconds(10), () -> user.get("/api/tasks/" + t.get("id").asText()).json().at("/reminders/0/status").asText(),
                            "sent"::equals);
                }
                assertThat(user.delete("/api/tasks/" + gone.get("id").asText()).status()).isEqualTo(204);
                user.patch("/api/tasks/" + replaced.get("id").asText(), "{\"reminders\":[]}");
                assertThat(notifications("")).as("the notifier has not run yet").isEmpty();
            } finally {
                relay.start();
            }
            await(Duration.ofSeconds(10), () -> handled.stream().filter(e -> e.getSubject().equals(gone.get("id").asText())
                    || e.getSubject().equals(replaced.get("id").asText())).count(), c -> c == 2);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        JsonNode items = notifications("");
        assertThat(items).hasSize(1);
        assertThat(items.get(0).get("taskId").asText()).isEqualTo(replaced.get("id").asText());
        assertProblem(user.post("/api/notifications/" + items.get(0).get("id").asText() + "/snooze", "{\"for\":\"PT1M\"}"), 409, null);
        try (Connection c = TestApp.dataSource(ctx).getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from dead_letters where consumer = 'notifier'"
                     + " and event->>'subject' in (?, ?)")) {
            ps.setString(1, gone.get("id").asText());
            ps.setString(2, replaced.get("id").asText());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("neither was dead-lettered").isZero();
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void invalidRemindersAreRejected() {
        String eleven = "[" + String.join(",", java.util.Collections.nCopies(11, "{\"before\":\"PT5M\"}")) + "]";
        assertProblem(user.post("/api/tasks", "{\"title\":\"x\",\"reminders\":" + eleven + "}"), 400, "reminders");
        assertProblem(user.post("/api/tasks", "{\"title\":\"x\",\"reminders\":[{\"before\":\"15 minutes\"}]}"), 400, "reminders[0].before");
        assertProblem(user.post("/api/tasks", "{\"title\":\"x\",\"reminders\":[{\"before\":\"PT5M\",\"at\":\"2099-01-01T00:00:00Z\"}]}"),
                400, "reminders[0].before");
        assertProblem(user.post("/api/tasks", "{\"title\":\"x\",\"reminders\":[{}]}"), 400, "reminders[0].before");
        assertProblem(user.post("/api/tasks", "{\"title\":\"x\",\"reminders\":[{\"at\":\"noon\"}]}"), 400, "reminders[0].at");
        assertProblem(user.post("/api/tasks", "{\"title\":\"x\",\"reminders\":[{\"every\":\"PT5M\"}]}"), 400, "reminders[0].every");
        assertProblem(user.post("/api/tasks", "{\"title\":\"x\",\"reminders\":[{\"before\":\"-PT5M\"}]}"), 400, "reminders[0].before");
        assertProblem(user.post("/api/tasks", "{\"title\":\"x\",\"reminders\":{\"before\":\"PT5M\"}}"), 400, "reminders");
        assertThat(user.get("/api/tasks?status=all").json().get("items")).isEmpty();
    }

    @Test
    void reminderThatCameDueWhileNoSchedulerRanFiresAtStartAndIsLate() {
        ReminderScheduler scheduler = ctx.getBean(ReminderScheduler.class);
        scheduler.stop();
        try {
            user.createTask("{\"title\":\"Missed\",\"reminders\":[{\"at\":\"" + Instant.now().minusSeconds(60) + "\"}]}");
            assertThat(notifications("")).isEmpty();
        } finally {
            scheduler.start();
        }
        JsonNode n = await(Duration.ofSeconds(10), () -> notifications(""), x -> x.size() == 1).get(0);
        assertThat(n.get("late").asBoolean()).isTrue();
    }

    @Test
    void schedulersRacingOnOneDatabaseFireEachReminderExactlyOnce() throws Exception {
        DataSource ds = ctx.getBean(DataSource.class);
        DataSourceResolver resolver = ctx.getBean(DataSourceResolver.class);
        ReminderScheduler app = ctx.getBean(ReminderScheduler.class);
        ReminderScheduler a = new ReminderScheduler(ds, resolver, ctx.getBean(Outbox.class), ctx.getBean(Outbox.Topics.class), new SimpleMeterRegistry(), 2);
        ReminderScheduler b = new ReminderScheduler(ds, resolver, ctx.getBean(Outbox.class), ctx.getBean(Outbox.Topics.class), new SimpleMeterRegistry(), 2);
        a.start();
        b.start();
        try {
            String taskId = user.createTask("{\"title\":\"Race\"}").get("id").asText();
            UUID userId = UUID.fromString(user.get("/api/me").json().get("id").asText());
            long before = app.firedCount() + a.firedCount() + b.firedCount();
            int n = 1200;
            try (Connection c = resolver.resolve(ds).getConnection();
                 // due a second from now: every scheduler plans its wait for that moment, and they race
                 PreparedStatement ps = c.prepareStatement("insert into reminders (id, task_id, user_id, position, at, fire_at)"
                         + " select gen_random_uuid(), ?, ?, 0, now() + interval '1 second', now() + interval '1 second'"
                         + " from generate_series(1, ?)")) {
                ps.setObject(1, UUID.fromString(taskId));
                ps.setObject(2, userId);
                ps.setInt(3, n);
                assertThat(ps.executeUpdate()).isEqualTo(n);
            }
            // as the app's writers do after their commit: the schedulers look at the new first firing time
            ctx.getBean(dev.todo.events.Wakeups.class).now(ReminderRepository.CHANNEL);
            await(Duration.ofSeconds(30), () -> app.firedCount() + a.firedCount() + b.firedCount() - before, x -> x >= n);
            assertThat(app.firedCount() + a.firedCount() + b.firedCount() - before).isEqualTo(n);
            // the notifier creates one notification per reminder.due event
            int[] counts = await(Duration.ofSeconds(30), () -> {
                try (Connection c = resolver.resolve(ds).getConnection();
                     PreparedStatement ps = c.prepareStatement("select count(*), count(distinct reminder_id) from notifications where task_id = ?")) {
                    ps.setObject(1, UUID.fromString(taskId));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return new int[]{rs.getInt(1), rs.getInt(2)};
                    }
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, x -> x[0] >= n);
            assertThat(counts).containsExactly(n, n);
            assertThat(a.firedCount() + b.firedCount()).as("the extra schedulers took part").isPositive();
        } finally {
            a.stop();
            b.stop();
        }
    }

    @Test
    void aPageOfTasksCarriesEachTasksRemindersAsTheirCreationAnsweredThem() {
        Api owner = TestApp.api().newUser();
        Instant due = Instant.now().plus(Duration.ofDays(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant at = due.minus(Duration.ofMinutes(7)).plusMillis(123);
        JsonNode two = owner.createTask("{\"title\":\"b two\",\"dueAt\":\"" + due + "\",\"reminders\":[{\"before\":\"PT1H\"},{\"at\":\"" + at + "\"}]}");
        JsonNode relativeOnly = owner.createTask("{\"title\":\"c undated\",\"reminders\":[{\"before\":\"PT5M\"}]}");
        JsonNode none = owner.createTask("{\"title\":\"a none\"}");
        assertThat(two.get("reminders")).hasSize(2);

        JsonNode items = owner.get("/api/tasks?sort=title").json().get("items");
        assertThat(items).hasSize(3);
        assertThat(items.get(0).get("reminders")).isEqualTo(none.get("reminders")).isEmpty();
        assertThat(items.get(1).get("reminders")).isEqualTo(two.get("reminders"));
        assertThat(items.get(2).get("reminders")).isEqualTo(relativeOnly.get("reminders"));
    }
}
