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
 * for the Kafka transport (real broker in this JVM) and, for comparison, the in-process one. Each
 * phase also prints the relay's share (creation to the outbox row marked published: through Kafka,
 * when the broker took the event; in process, when the consumers had handled it, so nearly all of it),
 * and each open-loop phase the CPU per change of the machine, this JVM and PostgreSQL.
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

            // -Dbench.rates=1000,1000 runs only these open-loop phases, after the warm-up
            String rates = System.getProperty("bench.rates", "");
            warmUp(name, load);
            drain(ctx, seen);
            latencies.clear();

            if (rates.isBlank()) {
                Instant from = Instant.now();
                Result r = load.closedLoop(16, PHASE);
                drain(ctx, seen);
                report(ctx, name, "closed loop, 16 writers", r, latencies, from);

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
                rates = "250,500,1000";
            }
            for (String phase : rates.split(",")) {
                int rate = Integer.parseInt(phase.trim());
                latencies.clear();
                Instant from = Instant.now();
                Cpu cpu = Cpu.now(TestApp.database().postmasterPid());
                Result o = load.openLoop(rate, PHASE);
                drain(ctx, seen);
                report(ctx, name, "open loop, target " + rate + "/s", o, latencies, from);
                printCpu(name, Cpu.now(TestApp.database().postmasterPid()).minus(cpu), o.changes());
            }
        }
    }

    /**
     * Writes until the JIT compilers have settled (they used less than a tenth of a core over the last
     * 10 s), for at most three minutes. On 2 cores the optimising compiler otherwise takes half a core or
     * more through the first phases, and they would measure it rather than the pipeline. In process it
     * settles within about 30 s; with the broker's code in the same JVM it may not settle at all.
     */
    private static void warmUp(String transport, Load load) throws InterruptedException {
        long start = System.nanoTime();
        double jit;
        do {
            Map<String, Long> before = jitTicks();
            load.closedLoop(8, Duration.ofSeconds(10));
            long used = 0;
            for (Map.Entry<String, Long> t : jitTicks().entrySet()) {
                used += t.getValue() - before.getOrDefault(t.getKey(), 0L);
            }
            jit = used / 1000.0; // 100 ticks per second, over 10 s
        } while (jit >= 0.1 && System.nanoTime() - start < Duration.ofMinutes(3).toNanos());
        System.out.printf("EVENTS %-9s warm-up %.0f s, JIT compilers at the end %.0f%% of a core%n", transport,
                (System.nanoTime() - start) / 1e9, jit * 100);
    }

    /**
     * CPU ticks each JIT compiler thread of this process used so far, by thread id (the JVM starts and
     * ends compiler threads as it needs them); empty where /proc is missing.
     */
    private static Map<String, Long> jitTicks() {
        Map<String, Long> ticks = new HashMap<>();
        List<java.nio.file.Path> threads;
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            threads = tasks.toList();
        } catch (java.io.IOException | RuntimeException e) {
            return Map.of();
        }
        for (java.nio.file.Path task : threads) {
            try {
                String stat = java.nio.file.Files.readString(task.resolve("stat"));
                int close = stat.lastIndexOf(')');
                if (stat.substring(stat.indexOf('(') + 1, close).matches("C[12] Compiler.*")) {
                    String[] f = stat.substring(close + 2).split(" ");
                    ticks.put(task.getFileName().toString(), Long.parseLong(f[11]) + Long.parseLong(f[12])); // utime, stime
                }
            } catch (java.io.IOException e) {
                // the thread ended since the listing
            }
        }
        return ticks;
    }

    /** Waits until every task-events row written so far was handled by the consumers. */
    private static void drain(ApplicationContext ctx, AtomicLong seen) {
        long written = number(ctx, "select count(*) from outbox where 'task-events' = any(topics)");
        await(Duration.ofSeconds(120), seen::get, n -> n >= written);
    }

    /** The number a query of one row and one column gives. */
    private static long number(ApplicationContext ctx, String sql) {
        try (Connection c = TestApp.dataSource(ctx).getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Changes committed and the time from the first start to the last commit. */
    record Result(long changes, Duration took) {
        double perSecond() {
            return changes * 1e9 / took.toNanos();
        }
    }

    /** What a phase cost: the machine's CPU per change, of it this JVM's and PostgreSQL's, and the machine's busy and stolen shares. */
    private static void printCpu(String transport, Cpu used, long changes) {
        System.out.printf("EVENTS %-9s CPU per change: machine %.2f ms (this JVM %.2f ms, PostgreSQL %.2f ms), %.0f%% busy, %.0f%% stolen%n",
                transport, used.machineBusyNanos() / 1e6 / changes, used.jvmNanos() / 1e6 / changes, used.pgNanos() / 1e6 / changes,
                used.busyShare() * 100, used.stolenShare() * 100);
    }

    /**
     * Prints the phase's rate and latencies, with the relay's share: from the event's creation to the
     * moment the transport had taken it (its outbox row's published_at), for the rows the phase wrote.
     */
    private static void report(ApplicationContext ctx, String transport, String phase, Result r,
                               ConcurrentLinkedQueue<Long> latencies, Instant from) {
        List<Long> l = new ArrayList<>(latencies);
        l.sort(null);
        assertThat(l).isNotEmpty();
        RelayShare relay = RelayShare.since(TestApp.dataSource(ctx), "task-events", from);
        System.out.printf("EVENTS %-9s %-26s %6.0f changes/s  commit->consumers p50 %6.1f ms  p99 %7.1f ms  max %7.1f ms"
                        + "  (%d events; published p50 %.1f ms, p99 %.1f ms)%n",
                transport, phase, r.perSecond(), pct(l, 0.50), pct(l, 0.99), l.get(l.size() - 1) / 1000.0, l.size(),
                relay.p50Millis(), relay.p99Millis());
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
