package dev.todo.db;

import dev.todo.support.Api;
import dev.todo.support.AppProcess;
import dev.todo.support.KafkaBroker;
import dev.todo.support.RunLayout;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.todo.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application as a user runs it ({@code ./run} on the packaged jar, with the class-data-sharing
 * archive a first clean stop wrote), on its embedded PostgreSQL, killed with SIGKILL in the middle of
 * a load of task changes and started again on the same data directory: it is ready within 10 s,
 * every change it acknowledged is there, and every event's consumers acted exactly once (one
 * successor per completed recurring task, one notification per reminder, one activity entry per
 * event), including reminders that fell due while it was down. The consumers have caught up within
 * 10 s of readiness with Kafka (a restarted worker rejoins its consumer group at once), 30 s in-process.
 */
class CrashRecoveryIT {

    static final Duration RESTART_DEADLINE = Duration.ofSeconds(10);
    /** How long the catch-up is watched for, so that a slow one is measured before it fails. */
    static final Duration CATCH_UP_WATCH = Duration.ofSeconds(90);
    static final int REMINDERS = 4;
    static RunLayout run;

    @BeforeAll
    static void layout() throws Exception {
        run = RunLayout.create("todo-crash-run");
        run.writeArchive();
    }

    @AfterAll
    static void removeLayout() throws Exception {
        if (run != null) {
            run.close();
        }
    }

    @Test
    void inProcessTransportSurvivesAKillUnderLoad() throws Exception {
        crashUnderLoadAndRestart(Map.of(), false, Duration.ofSeconds(30));
    }

    /**
     * Here the watchdog dies with the app (as when a whole process tree is killed), so the killed app's
     * PostgreSQL is still running when the new one starts: the start must stop it and recover.
     */
    @Test
    void kafkaTransportSurvivesAKillUnderLoadWithItsPostgresLeftRunning() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start()) {
            List<String> topics = List.of("task-events", "reminders", "task-updates");
            broker.createTopics(topics, 3);
            broker.createTopics(topics.stream().map(t -> t + "-dlq").toList(), 1);
            Map<String, String> env = AppProcess.env(
                    "TODO_EVENTS_TRANSPORT", "kafka",
                    "TODO_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                    "TODO_KAFKA_GROUP", "crash-" + UUID.randomUUID());
            // the restarted worker has the killed one's static identity in the consumer group (host and
            // data directory), so it gets the partitions back at once; as a dynamic member it would wait
            // for the killed one's session to time out (45 s by Kafka's default; 20 s, ours, would still
            // fail this: measured 15 s after readiness)
            crashUnderLoadAndRestart(env, true, Duration.ofSeconds(10));
        }
    }

    private void crashUnderLoadAndRestart(Map<String, String> env, boolean orphanItsPostgres, Duration catchUp)
            throws Exception {
        Path dir = TestApp.tempDir("todo-crash");
        Path data = dir.resolve("data");
        Path log = dir.resolve("app.log");
        Load load;
        Instant due;
        Instant killedAt;
        String token;
        List<String> reminderTasks = new ArrayList<>();
        AppProcess first = run.start(data, env, log);
        try {
            first.awaitReady(Duration.ofSeconds(90));
            Api user = new Api(first.base()).newUser("crash-user", "crash-password");
            token = user.token();
            due = Instant.now().plusSeconds(6);
            for (int i = 0; i < REMINDERS; i++) {
                reminderTasks.add(user.createTask("{\"title\":\"remind " + i + "\",\"reminders\":[{\"at\":\"" + due + "\"}]}")
                        .get("id").asText());
            }
            load = new Load(user, 3);
            load.start();
            // 40 changes, or as many as came before the reminders are nearly due (a busy machine)
            Instant killBy = due.minusSeconds(1);
            await(Duration.ofSeconds(30), load.acknowledged::get, n -> n >= 40 || Instant.now().isAfter(killBy));
            assertThat(load.acknowledged.get()).as("changes acknowledged before the kill").isGreaterThanOrEqualTo(10);
            if (orphanItsPostgres) {
                first.process().descendants().filter(p -> p.info().commandLine().orElse("").contains("postgres-watchdog"))
                        .forEach(ProcessHandle::destroyForcibly);
            }
            killedAt = Instant.now();
            first.kill();
            load.stop();
        } finally {
            first.kill();
        }
        assertThat(killedAt).as("the reminders fall due while the app is down").isBefore(due);
        Path cluster = data.resolve(EmbeddedDatabase.BUNDLED_DIR);
        if (orphanItsPostgres) {
            long pid = Postmaster.pidFileEntry(cluster).orElseThrow();
            assertThat(Postmaster.runsOn(pid, cluster)).as("the killed app's PostgreSQL still runs").isTrue();
        }

        Instant restartedAt = Instant.now();
        try (AppProcess second = run.start(data, env, log)) {
            Duration ready = second.awaitReady(RESTART_DEADLINE);
            System.out.printf("./run restart after SIGKILL (%s): ready %d ms after launch; %d changes acknowledged before the kill%n",
                    env.isEmpty() ? "in-process" : "kafka", ready.toMillis(), load.acknowledged.get());
            assertThat(ready).as("restart to readiness").isLessThan(RESTART_DEADLINE);
            Instant readyAt = Instant.now();
            assertThat(second.logText()).doesNotContain("falling back");
            Api user = new Api(second.base()).as(token);

            // every acknowledged change is there
            for (String id : load.created) {
                assertThat(user.get("/api/tasks/" + id).status()).as("task " + id).isEqualTo(200);
            }
            for (String id : load.completed) {
                assertThat(user.get("/api/tasks/" + id).json().get("completed").asBoolean()).as("completion of " + id).isTrue();
            }
            load.titles.forEach((id, acked) -> {
                String title = user.get("/api/tasks/" + id).json().get("title").asText();
                // the last acknowledged title, or one sent after it whose answer the kill cut off
                assertThat(title).as("title of " + id).isIn(load.sentAfter(id, acked));
            });

            try (Connection db = second.database()) {
                String userId = user.get("/api/me").json().get("id").asText();
                // the consumers catch up with everything committed before and after the kill ...
                await(CATCH_UP_WATCH, () -> count(db, "select count(*) from outbox where user_id = ?::uuid and published_at is null", userId)
                        + count(db, "select count(*) from outbox o where user_id = ?::uuid and topics && array['task-events', 'reminders']"
                        + " and not exists (select 1 from activity a where a.event_id = o.id)", userId)
                        + count(db, "select count(*) from tasks t where user_id = ?::uuid and completed and recurrence_rule is not null"
                        + " and not exists (select 1 from tasks s where s.previous_id = t.id)", userId)
                        + count(db, "select count(*) from reminders r where user_id = ?::uuid"
                        + " and not exists (select 1 from notifications n where n.reminder_id = r.id)", userId), n -> n == 0);
                Duration caughtUp = Duration.between(readyAt, Instant.now());
                System.out.printf("./run restart after SIGKILL (%s): consumers caught up %d ms after readiness%n",
                        env.isEmpty() ? "in-process" : "kafka", caughtUp.toMillis());
                assertThat(caughtUp).as("consumers caught up after readiness").isLessThan(catchUp);
                // ... exactly once: one activity entry per event, one successor per completion,
                // one notification per reminder
                assertThat(count(db, "select count(*) from activity where user_id = ?::uuid", userId))
                        .isEqualTo(count(db, "select count(*) from outbox where user_id = ?::uuid and topics && array['task-events', 'reminders']", userId));
                for (String id : load.completed) {
                    assertThat(count(db, "select count(*) from tasks where previous_id = ?::uuid", id)).as("successors of " + id).isEqualTo(1);
                }
                for (String id : reminderTasks) {
                    assertThat(count(db, "select count(*) from notifications where task_id = ?::uuid", id)).as("notifications of " + id).isEqualTo(1);
                    assertThat(count(db, "select count(*) from notifications where task_id = ?::uuid and created_at >= ?::timestamptz",
                            id, restartedAt.toString())).as("fired after the restart").isEqualTo(1);
                }
                assertThat(count(db, "select count(*) from activity where user_id = ?::uuid and type = 'reminder.due'", userId))
                        .isEqualTo(REMINDERS);
            }
            assertThat(load.completed).isNotEmpty();
        }
    }

    static long count(Connection db, String sql, String... params) {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Threads that each create recurring tasks and complete them, and create plain tasks and rename
     * them, recording what the app acknowledged with a 2xx (and what was sent last, unanswered).
     */
    static final class Load {
        final Api user;
        final int threads;
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger acknowledged = new AtomicInteger();
        final Set<String> created = ConcurrentHashMap.newKeySet();
        final Set<String> completed = ConcurrentHashMap.newKeySet();
        /** Per renamed task: the last acknowledged title. */
        final Map<String, String> titles = new ConcurrentHashMap<>();
        /** Per renamed task: every title sent, in order. */
        final Map<String, List<String>> sent = new ConcurrentHashMap<>();
        final List<Thread> workers = new ArrayList<>();
        /** Statuses of the requests that were refused (the load stops at its first). */
        final List<Integer> refusals = java.util.Collections.synchronizedList(new ArrayList<>());

        Load(Api user, int threads) {
            this.user = user;
            this.threads = threads;
        }

        void start() {
            for (int t = 0; t < threads; t++) {
                int n = t;
                Thread w = new Thread(() -> work(n), "load-" + t);
                w.setDaemon(true);
                workers.add(w);
                w.start();
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread w : workers) {
                w.join(40_000);
            }
        }

        List<String> sentAfter(String id, String acked) {
            List<String> all = sent.get(id);
            return all.subList(all.indexOf(acked), all.size());
        }

        private void work(int t) {
            try {
                for (int i = 0; running.get(); i++) {
                    Api.Res r = user.post("/api/tasks", "{\"title\":\"daily " + t + "-" + i + "\",\"dueAt\":\"2099-01-01T09:00:00Z\","
                            + "\"recurrence\":{\"rule\":\"FREQ=DAILY\"}}");
                    if (refused(r.status(), 201)) {
                        return;
                    }
                    String recurring = ack(r.json().get("id").asText());
                    if (refused(user.post("/api/tasks/" + recurring + "/complete").status(), 200)) {
                        return;
                    }
                    completed.add(recurring);
                    acknowledged.incrementAndGet();

                    r = user.post("/api/tasks", "{\"title\":\"plain " + t + "-" + i + "\"}");
                    if (refused(r.status(), 201)) {
                        return;
                    }
                    String plain = ack(r.json().get("id").asText());
                    List<String> titlesSent = new ArrayList<>(List.of("plain " + t + "-" + i));
                    sent.put(plain, titlesSent);
                    titles.put(plain, titlesSent.get(0));
                    for (int v = 1; v <= 3; v++) {
                        String title = "plain " + t + "-" + i + " v" + v;
                        titlesSent.add(title);
                        if (refused(user.patch("/api/tasks/" + plain, "{\"title\":\"" + title + "\"}").status(), 200)) {
                            return;
                        }
                        titles.put(plain, title);
                        acknowledged.incrementAndGet();
                    }
                }
            } catch (AssertionError | RuntimeException e) {
                // the app was killed under this request: its answer never came
            }
        }

        private boolean refused(int status, int expected) {
            if (status == expected) {
                return false;
            }
            refusals.add(status);
            return true;
        }

        private String ack(String id) {
            created.add(id);
            acknowledged.incrementAndGet();
            return id;
        }
    }
}
