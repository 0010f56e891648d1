package dev.todo.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.todo.auth.AccountService;
import dev.todo.events.EventDispatcher;
import dev.todo.support.KafkaBroker;
import dev.todo.support.TestApp;
import dev.todo.tasks.Task;
import dev.todo.tasks.TaskChanges;
import dev.todo.tasks.TaskService;
import dev.todo.web.JsonBody;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static dev.todo.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Benchmark, run with {@code ./mvnw -pl app test -Pbench}: task changes made through the task service
 * (each its own transaction, writing the outbox) flow through the relay and a transport to the
 * worker's consumers. Prints sustained changes/s and the latency from the event's creation inside the
 * writing transaction to the moment every consumer of task-events has finished with it (p50/p99/max),
 * for the Kafka transport (real broker in this JVM) and, for comparison, the in-process one.
 */
class EventsBench {

    static final int USERS = 50;
    static final Duration PHASE = Duration.ofSeconds(15);

    @Test
    void kafka() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start()) {
            broker.createTopics(List.of("task-events", "reminders", "task-updates"), 6);
            broker.createTopics(List.of("task-events-dlq", "reminders-dlq", "task-updates-dlq"), 1);
            Map<String, Object> props = new HashMap<>(TestApp.properties("bench_events_kafka"));
            props.put("todo.events.transport", "kafka");
            props.put("todo.kafka.bootstrap-servers", broker.bootstrapServers());
            props.put("todo.kafka.group", "bench");
            run("kafka", props);
        }
    }

    @Test
    void inProcess() throws Exception {
        run("inprocess", new HashMap<>(TestApp.properties("bench_events_inprocess")));
    }

    private void run(String name, Map<String, Object> props) throws Exception {
        props.put("todo.reminders.scheduler.enabled", false);
        props.put("micronaut.server.enabled", false);
        try (ApplicationContext ctx = ApplicationContext.run(props, "test")) {
            TaskService tasks = ctx.getBean(TaskService.class);
            ObjectMapper mapper = ctx.getBean(ObjectMapper.class);
            List<UUID> users = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                users.add(ctx.getBean(AccountService.class).signup("bench-" + name + "-" + UUID.randomUUID(), "password123", "UTC").id());
            }
            ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
            AtomicLong seen = new AtomicLong();
            ctx.getBean(EventDispatcher.class).observe("task-events", e -> {
                latencies.add(Duration.between(e.getTime().toInstant(), Instant.now()).toNanos() / 1000);
                seen.incrementAndGet();
            });
            Load load = new Load(tasks, mapper, users);

            load.closedLoop(8, Duration.ofSeconds(5)); // warm-up
            drain(ctx, seen);
            latencies.clear();

            Result r = load.closedLoop(16, PHASE);
            drain(ctx, seen);
            report(name, "closed loop, 16 writers", r, latencies);

            // the pipeline alone: a backlog written while the relay is stopped, then drained
            dev.todo.events.OutboxRelay relay = ctx.getBean(dev.todo.events.OutboxRelay.class);
            relay.stop();
            Result backlog = load.closedLoop(16, Duration.ofSeconds(10));
            long before = seen.get();
            long start = System.nanoTime();
            relay.start();
            drain(ctx, seen);
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf("EVENTS %-9s backlog of %d changes (%d task-events) drained in %.1f s: %.0f changes/s through relay and consumers%n",
                    name, backlog.changes(), seen.get() - before, secs, backlog.changes() / secs);

            for (int rate : new int[] {250, 500, 1000}) {
                latencies.clear();
                Result o = load.openLoop(rate, PHASE);
                drain(ctx, seen);
                report(name, "open loop, target " + rate + "/s", o, latencies);
            }
        }
    }

    /** Waits until every task-events row written so far was handled by the consumers. */
    private static void drain(ApplicationContext ctx, AtomicLong seen) {
        DataSource ds = TestApp.dataSource(ctx);
        long written;
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from outbox where 'task-events' = any(topics)")) {
            rs.next();
            written = rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        await(Duration.ofSeconds(120), seen::get, n -> n >= written);
    }

    /** Changes committed and the time from the first start to the last commit. */
    record Result(long changes, Duration took) {
        double perSecond() {
            return changes * 1e9 / took.toNanos();
        }
    }

    private static void report(String transport, String phase, Result r, ConcurrentLinkedQueue<Long> latencies) {
        List<Long> l = new ArrayList<>(latencies);
        l.sort(null);
        assertThat(l).isNotEmpty();
        System.out.printf("EVENTS %-9s %-26s %6.0f changes/s  commit->consumers p50 %6.1f ms  p99 %7.1f ms  max %7.1f ms  (%d events)%n",
                transport, phase, r.perSecond(), pct(l, 0.50), pct(l, 0.99), l.get(l.size() - 1) / 1000.0, l.size());
    }

    private static double pct(List<Long> sorted, double p) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size()))) / 1000.0;
    }

    /** Changes in the mix of a working day: create, edit, complete. */
    static final class Load {
        private final TaskService tasks;
        private final ObjectMapper mapper;
        private final List<UUID> users;
        private final AtomicLong counter = new AtomicLong();

        Load(TaskService tasks, ObjectMapper mapper, List<UUID> users) {
            this.tasks = tasks;
            this.mapper = mapper;
            this.users = users;
        }

        private TaskChanges changes(String json, boolean create) {
            return TaskChanges.read(JsonBody.parse(mapper, json, TaskChanges.FIELDS), create);
        }

        /** One task's life: three changes. */
        void oneTask() {
            long n = counter.incrementAndGet();
            UUID user = users.get((int) (n % users.size()));
            Task t = tasks.create(user, changes("{\"title\":\"bench " + n + "\",\"tags\":[\"bench\"]}", true));
            tasks.patch(user, t.id(), changes("{\"priority\":\"high\"}", false), null);
            tasks.setCompleted(user, t.id(), true, null);
        }

        Result closedLoop(int threads, Duration d) throws InterruptedException {
            long start = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            AtomicLong done = new AtomicLong();
            long end = System.nanoTime() + d.toNanos();
            for (int i = 0; i < threads; i++) {
                pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        oneTask();
                        done.addAndGet(3);
                    }
                });
            }
            pool.shutdown();
            pool.awaitTermination(d.toSeconds() + 60, TimeUnit.SECONDS);
            return new Result(done.get(), Duration.ofNanos(System.nanoTime() - start));
        }

        /** Starts a task's three changes at a fixed rate, whatever the response times. */
        Result openLoop(int changesPerSecond, Duration d) throws InterruptedException {
            long start = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(64);
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
            AtomicLong done = new AtomicLong();
            long periodMicros = 3_000_000L / changesPerSecond;
            ticker.scheduleAtFixedRate(() -> pool.submit(() -> {
                oneTask();
                done.addAndGet(3);
            }), 0, periodMicros, TimeUnit.MICROSECONDS);
            Thread.sleep(d.toMillis()); // the length of the measured phase, not a wait for a condition
            ticker.shutdownNow();
            pool.shutdown();
            pool.awaitTermination(120, TimeUnit.SECONDS);
            return new Result(done.get(), Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
