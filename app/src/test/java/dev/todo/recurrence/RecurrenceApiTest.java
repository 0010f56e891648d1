package dev.todo.recurrence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todo.support.Api;
import dev.todo.support.TestApp;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.todo.events.EventDispatcher;
import dev.todo.events.OutboxRelay;
import dev.todo.support.Delivered;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.todo.support.Await.await;
import static dev.todo.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The next occurrence is created by the recurrence consumer after the completion committed: tests
 * wait for it with a deadline, and wait for the completion event to be handled before asserting
 * that nothing more was created.
 */
class RecurrenceApiTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private final Api user = TestApp.api().newUser();
    private final Delivered taskEvents = Delivered.on("task-events");

    @AfterEach
    void stopWatching() {
        taskEvents.close();
    }

    private JsonNode series(JsonNode task) {
        return user.get("/api/tasks?status=all&sort=dueAt&seriesId=" + task.get("seriesId").asText()).json().get("items");
    }

    /** The series once it has {@code size} tasks. */
    private JsonNode series(JsonNode task, int size) {
        return await(Duration.ofSeconds(10), () -> series(task), items -> items.size() >= size);
    }

    private static String iso(ZonedDateTime t) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.toOffsetDateTime());
    }

    @Test
    void completingCreatesTheNextOccurrenceCopyingTheTask() throws Exception {
        JsonNode t = user.createTask("{\"title\":\"Water plants\",\"priority\":\"high\",\"tags\":[\"home\"],\"description\":\"all of them\","
                + "\"dueAt\":\"2099-03-23T09:00:00+01:00\",\"timeZone\":\"Europe/Berlin\",\"recurrence\":{\"rule\":\"FREQ=WEEKLY\"}}");
        assertThat(t.get("seriesId").asText()).isEqualTo(t.get("id").asText());
        assertThat(t.at("/recurrence/from").asText()).isEqualTo("due");
        JsonNode done = user.post("/api/tasks/" + t.get("id").asText() + "/complete").json();
        assertThat(done.get("completed").asBoolean()).isTrue();

        JsonNode items = series(t, 2);
        assertThat(items).hasSize(2);
        JsonNode next = items.get(1);
        assertThat(next.get("completed").asBoolean()).isFalse();
        assertThat(next.get("dueAt").asText()).as("a week later, 09:00 local across the DST change")
                .isEqualTo("2099-03-30T09:00:00+02:00");
        assertThat(next.get("title").asText()).isEqualTo("Water plants");
        assertThat(next.get("description").asText()).isEqualTo("all of them");
        assertThat(next.get("priority").asText()).isEqualTo("high");
        assertThat(next.get("tags").get(0).asText()).isEqualTo("home");
        assertThat(next.get("recurrence")).isEqualTo(t.get("recurrence"));
        assertThat(next.get("seriesId")).isEqualTo(t.get("seriesId"));
        CloudEvent generated = taskEvents.await("task.occurrence.generated", next.get("id").asText());
        assertThat(Api.JSON.readTree(generated.getData().toBytes()).get("previousTaskId").asText()).isEqualTo(t.get("id").asText());
    }

    @Test
    void completingTwiceRetriedOrRacedOrReopenedCreatesOneNextOccurrence() throws Exception {
        JsonNode t = user.createTask("{\"title\":\"Pay rent\",\"dueAt\":\"2099-01-01T09:00:00Z\",\"recurrence\":{\"rule\":\"FREQ=MONTHLY\"}}");
        String path = "/api/tasks/" + t.get("id").asText();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return user.post(path + "/complete").status();
                }));
            }
            go.countDown();
            for (Future<Integer> r : results) {
                assertThat(r.get(30, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        user.post(path + "/complete");
        user.post(path + "/reopen");
        user.post(path + "/complete");
        taskEvents.await("task.completed", t.get("id").asText(), 2);
        assertThat(series(t)).hasSize(2);
    }

    @Test
    void anOccurrenceGetsOneSuccessorEverSoDeletingItEndsTheSeries() {
        JsonNode t = user.createTask("{\"title\":\"Pay rent\",\"dueAt\":\"2099-01-01T09:00:00Z\",\"recurrence\":{\"rule\":\"FREQ=MONTHLY\"}}");
        String path = "/api/tasks/" + t.get("id").asText();
        user.post(path + "/complete");
        String next = series(t, 2).get(1).get("id").asText();
        assertThat(user.delete("/api/tasks/" + next).status()).isEqualTo(204);
        user.post(path + "/reopen");
        user.post(path + "/complete");
        taskEvents.await("task.completed", t.get("id").asText(), 2);
        assertThat(series(t)).hasSize(1);
    }

    @Test
    void fromDueSkipsMissedOccurrences() {
        JsonNode t = user.createTask("{\"title\":\"Stand-up\",\"dueAt\":\"2020-01-06T09:00:00+01:00\",\"timeZone\":\"Europe/Berlin\","
                + "\"recurrence\":{\"rule\":\"FREQ=DAILY\"}}");
        ZonedDateTime before = ZonedDateTime.now(BERLIN);
        user.post("/api/tasks/" + t.get("id").asText() + "/complete");
        ZonedDateTime next = ZonedDateTime.parse(series(t, 2).get(1).get("dueAt").asText());
        ZonedDateTime today9 = before.toLocalDate().atTime(9, 0).atZone(BERLIN);
        ZonedDateTime expected = today9.isAfter(before) ? today9 : today9.plusDays(1);
        assertThat(next.toInstant()).isIn(expected.toInstant(), expected.plusDays(1).toInstant());
        assertThat(next.toInstant()).isAfter(before.toInstant());
    }

    @Test
    void fromCompletionReanchorsOnTheCompletionDayAtTheOriginalTime() {
        JsonNode t = user.createTask("{\"title\":\"Change filter\",\"dueAt\":\"2020-01-10T09:00:00+01:00\",\"timeZone\":\"Europe/Berlin\","
                + "\"recurrence\":{\"rule\":\"FREQ=DAILY;INTERVAL=3\",\"from\":\"completion\"}}");
        LocalDate day = LocalDate.now(BERLIN);
        user.post("/api/tasks/" + t.get("id").asText() + "/complete");
        LocalDate after = LocalDate.now(BERLIN);
        String next = series(t, 2).get(1).get("dueAt").asText();
        assertThat(next).isIn(iso(day.plusDays(3).atTime(9, 0).atZone(BERLIN)), iso(after.plusDays(3).atTime(9, 0).atZone(BERLIN)));
    }

    @Test
    void countEndsTheSeries() {
        JsonNode t = user.createTask("{\"title\":\"Course\",\"dueAt\":\"2099-01-01T18:00:00Z\",\"recurrence\":{\"rule\":\"FREQ=DAILY;COUNT=2\"}}");
        user.post("/api/tasks/" + t.get("id").asText() + "/complete");
        JsonNode second = series(t, 2).get(1);
        user.post("/api/tasks/" + second.get("id").asText() + "/complete");
        taskEvents.await("task.completed", second.get("id").asText());
        assertThat(series(t)).hasSize(2);
    }

    @Test
    void skipClosesTheOccurrenceAndPlansTheNext() {
        JsonNode t = user.createTask("{\"title\":\"Gym\",\"dueAt\":\"2099-05-04T07:00:00Z\",\"recurrence\":{\"every\":\"week\",\"on\":[\"MO\",\"TH\"]}}");
        assertThat(t.at("/recurrence/rule").asText()).isEqualTo("FREQ=WEEKLY;BYDAY=MO,TH");
        JsonNode skipped = user.post("/api/tasks/" + t.get("id").asText() + "/skip").json();
        assertThat(skipped.get("skipped").asBoolean()).isTrue();
        assertThat(skipped.get("completed").asBoolean()).isTrue();
        assertThat(series(t, 2).get(1).get("dueAt").asText()).isEqualTo("2099-05-07T07:00:00Z");
        assertThat(user.get("/api/tasks?seriesId=" + t.get("seriesId").asText()).json().get("items")).hasSize(1);

        JsonNode plain = user.createTask("{\"title\":\"once\"}");
        assertProblem(user.post("/api/tasks/" + plain.get("id").asText() + "/skip"), 409, null);
    }

    @Test
    void occurrencesPreviewShowsOffsetsAndCreatesNothing() {
        JsonNode t = user.createTask("{\"title\":\"Weekly review\",\"dueAt\":\"2030-03-25T09:00:00+01:00\",\"timeZone\":\"Europe/Berlin\","
                + "\"recurrence\":{\"rule\":\"FREQ=WEEKLY\"}}");
        JsonNode items = user.get("/api/tasks/" + t.get("id").asText() + "/occurrences?count=3").json().get("items");
        assertThat(items).extracting(JsonNode::asText)
                .containsExactly("2030-04-01T09:00:00+02:00", "2030-04-08T09:00:00+02:00", "2030-04-15T09:00:00+02:00");
        assertThat(series(t)).hasSize(1);
        assertProblem(user.get("/api/tasks/" + t.get("id").asText() + "/occurrences?count=0"), 400, "count");
        assertProblem(user.get("/api/tasks/" + t.get("id").asText() + "/occurrences?count=101"), 400, "count");
        assertProblem(user.get("/api/tasks/" + user.createTask("{\"title\":\"x\"}").get("id").asText() + "/occurrences"), 409, null);
    }

    @Test
    void removingTheRecurrenceStopsTheSeries() {
        JsonNode t = user.createTask("{\"title\":\"Trial\",\"dueAt\":\"2099-01-01T09:00:00Z\",\"recurrence\":{\"rule\":\"FREQ=DAILY\"}}");
        JsonNode patched = user.patch("/api/tasks/" + t.get("id").asText(), "{\"recurrence\":null}").json();
        assertThat(patched.get("recurrence").isNull()).isTrue();
        user.post("/api/tasks/" + t.get("id").asText() + "/complete");
        taskEvents.await("task.completed", t.get("id").asText());
        assertThat(user.get("/api/tasks?status=all&limit=200").json().get("items")).hasSize(1);
    }

    @Test
    void theCompletionTimeComesFromTheEventNotTheConsumersClock() throws Exception {
        // due Jan 10 09:00 every 3 days, completed Jan 14 18:00 -> Jan 17 09:00, however late it is handled
        JsonNode t = user.createTask("{\"title\":\"Change filter\",\"dueAt\":\"2020-01-10T09:00:00+01:00\",\"timeZone\":\"Europe/Berlin\","
                + "\"recurrence\":{\"rule\":\"FREQ=DAILY;INTERVAL=3\",\"from\":\"completion\"}}");
        ObjectNode task = ((ObjectNode) t.deepCopy()).put("completed", true).put("completedAt", "2020-01-14T17:00:00Z");
        ObjectNode data = Api.JSON.createObjectNode();
        data.set("task", task);
        data.putObject("series").put("start", "2020-01-10T08:00:00Z").put("index", 1);
        CloudEvent completed = CloudEventBuilder.v1().withId(UUID.randomUUID().toString()).withSource(URI.create("/todo/app"))
                .withType("dev.todo.task.completed").withSubject(t.get("id").asText())
                .withTime(OffsetDateTime.parse("2020-01-14T17:00:00Z"))
                .withExtension("userid", user.get("/api/me").json().get("id").asText())
                .withData("application/json", Api.JSON.writeValueAsBytes(data)).build();
        taskEvents.dispatcher().deliver("task-events", completed, EventDispatcher.Audience.GROUP);
        assertThat(series(t)).hasSize(2);
        assertThat(series(t).get(1).get("dueAt").asText()).isEqualTo("2020-01-17T09:00:00+01:00");
    }

    @Test
    void aCompletedOccurrenceDeletedBeforeTheConsumerRanStillGetsExactlyOneSuccessor() {
        JsonNode t = user.createTask("{\"title\":\"Bins\",\"dueAt\":\"2099-01-05T19:00:00Z\",\"recurrence\":{\"rule\":\"FREQ=WEEKLY\"}}");
        String path = "/api/tasks/" + t.get("id").asText();
        OutboxRelay relay = TestApp.server().getApplicationContext().getBean(OutboxRelay.class);
        relay.stop();
        try {
            user.post(path + "/complete");
            user.post(path + "/reopen");
            user.post(path + "/complete");
            assertThat(user.delete(path).status()).isEqualTo(204);
            assertThat(series(t)).isEmpty();
        } finally {
            relay.start();
        }
        taskEvents.await("task.deleted", t.get("id").asText());
        JsonNode items = series(t);
        assertThat(items).hasSize(1);
        assertThat(items.get(0).get("dueAt").asText()).isEqualTo("2099-01-12T19:00:00Z");
        assertThat(items.get(0).get("completed").asBoolean()).isFalse();
    }

    @Test
    void invalidRecurrencesAreRejectedNamingTheFault() {
        assertProblem(user.post("/api/tasks", "{\"title\":\"x\",\"recurrence\":{\"rule\":\"FREQ=DAILY\"}}"), 400, "dueAt");
        String due = "\"dueAt\":\"2099-01-01T09:00:00Z\",";
        assertProblem(user.post("/api/tasks", "{\"title\":\"x\"," + due + "\"recurrence\":{\"rule\":\"FREQ=DAILY;FOO=1\"}}"), 400, "recurrence.rule");
        assertProblem(user.post("/api/tasks", "{\"title\":\"x\"," + due + "\"recurrence\":{\"rule\":\"FREQ=DAILY;COUNT=2;UNTIL=20990101T000000Z\"}}"),
                400, "recurrence.rule");
        assertProblem(user.post("/api/tasks", "{\"title\":\"x\"," + due + "\"recurrence\":{\"rule\":\"FREQ=DAILY\",\"from\":\"later\"}}"),
                400, "recurrence.from");
        assertProblem(user.post("/api/tasks", "{\"title\":\"x\"," + due + "\"recurrence\":{\"rule\":\"FREQ=DAILY\",\"every\":\"day\"}}"),
                400, "recurrence.rule");
        assertProblem(user.post("/api/tasks", "{\"title\":\"x\"," + due + "\"recurrence\":{\"rule\":\"FREQ=DAILY\",\"bogus\":1}}"),
                400, "recurrence.bogus");
        assertProblem(user.post("/api/tasks", "{\"title\":\"x\"," + due + "\"recurrence\":{\"every\":\"fortnight\"}}"), 400, "recurrence.every");
        assertProblem(user.post("/api/tasks", "{\"title\":\"x\"," + due + "\"recurrence\":\"daily\"}"), 400, "recurrence");
        assertProblem(user.post("/api/tasks", "{\"title\":\"x\"," + due + "\"timeZone\":\"Nowhere/Land\",\"recurrence\":{\"rule\":\"FREQ=DAILY\"}}"),
                400, "timeZone");
        JsonNode t = user.createTask("{\"title\":\"r\"," + due + "\"recurrence\":{\"rule\":\"FREQ=DAILY\"}}");
        assertProblem(user.patch("/api/tasks/" + t.get("id").asText(), "{\"dueAt\":null}"), 400, "dueAt");
        assertThat(user.get("/api/tasks?status=all&limit=200").json().get("items")).hasSize(1);
    }

    @Test
    void aRuleThatWouldExplodeIsRefusedAtWriteTimeAndNothingIsStored() {
        String everySecond = "FREQ=DAILY;BYHOUR=" + RecurrenceBoundsTest.all(0, 23) + ";BYMINUTE=" + RecurrenceBoundsTest.all(0, 59)
                + ";BYSECOND=" + RecurrenceBoundsTest.all(0, 59);
        var res = user.post("/api/tasks", "{\"title\":\"Blink\",\"dueAt\":\"2099-01-01T00:00:00Z\",\"recurrence\":{\"rule\":\""
                + everySecond + "\"}}");
        assertProblem(res, 400, "recurrence.rule");
        assertThat(res.body().length()).as("the problem stays small").isLessThan(2000);
        assertProblem(user.post("/api/tasks", "{\"title\":\"Blink\",\"dueAt\":\"2099-01-01T00:00:00Z\","
                + "\"recurrence\":{\"rule\":\"FREQ=MINUTELY;BYSECOND=" + RecurrenceBoundsTest.all(0, 59) + "\"}}"), 400, "recurrence.rule");
        assertThat(user.get("/api/tasks?status=all").json().get("items")).isEmpty();
    }

    @Test
    void aSeriesThatEndsSaysWhyInTheActivityLog() {
        JsonNode t = user.createTask("{\"title\":\"Twice\",\"dueAt\":\"2099-01-01T09:00:00Z\",\"recurrence\":{\"rule\":\"FREQ=DAILY;COUNT=2\"}}");
        user.post("/api/tasks/" + t.get("id").asText() + "/complete");
        JsonNode second = series(t, 2).get(1);
        assertThat(user.get("/api/tasks/" + second.get("id").asText() + "/occurrences").json().get("ended").asText())
                .isEqualTo("the series reached its COUNT of 2 occurrences");
        user.post("/api/tasks/" + second.get("id").asText() + "/complete");
        JsonNode log = await(Duration.ofSeconds(10),
                () -> user.get("/api/activity?taskId=" + second.get("id").asText() + "&type=task.series.ended").json().get("items"),
                items -> items.size() == 1);
        assertThat(log.get(0).toString()).contains("the series reached its COUNT of 2 occurrences");
    }

    @Test
    void anHourlySeriesFromCompletionRestartsAtTheCompletionInstant() {
        JsonNode t = user.createTask("{\"title\":\"Stretch\",\"dueAt\":\"2020-01-01T10:00:00Z\",\"timeZone\":\"UTC\","
                + "\"recurrence\":{\"rule\":\"FREQ=HOURLY\",\"from\":\"completion\"}}");
        JsonNode done = user.post("/api/tasks/" + t.get("id").asText() + "/complete").json();
        java.time.Instant completedAt = OffsetDateTime.parse(done.get("completedAt").asText()).toInstant();
        JsonNode next = series(t, 2).get(1);
        assertThat(OffsetDateTime.parse(next.get("dueAt").asText()).toInstant())
                .isEqualTo(completedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(3600));
    }
}
