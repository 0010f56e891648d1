package dev.todo.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.todo.auth.AccountService;
import dev.todo.db.EmbeddedDatabase;
import dev.todo.support.TestApp;
import dev.todo.tasks.TaskChanges;
import dev.todo.tasks.TaskService;
import dev.todo.web.JsonBody;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Benchmark, run with {@code ./mvnw -pl app test -Pbench -Dtest=CreateBench}: the side-by-side's
 * create (a task with two tags and a due date, one user) made through the task service directly,
 * with no HTTP in front, by as many threads as the pool has connections, on a PostgreSQL with
 * {@code fsync} on as {@code ./run} has it. What a create costs below the HTTP layer: creates/s,
 * latency percentiles, and the CPU each create takes in this JVM and in PostgreSQL, with the worker
 * (relay and consumers) off ({@code TODO_ROLES=api}) and on (every role, the local default).
 */
class CreateBench {

    static final int THREADS = 16;
    static final Duration PHASE = Duration.ofSeconds(15);

    @Test
    void apiOnly() throws Exception {
        run("api", "api");
    }

    @Test
    void allRoles() throws Exception {
        run("all", "api,worker,scheduler");
    }

    private void run(String name, String roles) throws Exception {
        Path root = Files.createTempDirectory("todo-create-bench");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(root, true)) {
            Map<String, Object> props = new HashMap<>(TestApp.propertiesOn(db.ensureDatabase("bench")));
            props.put("micronaut.server.enabled", false);
            props.put("todo.roles", roles);
            props.put("todo.quotas.tasks", 1_000_000);
            try (ApplicationContext ctx = ApplicationContext.run(props, "test")) {
                TaskService tasks = ctx.getBean(TaskService.class);
                ObjectMapper mapper = ctx.getBean(ObjectMapper.class);
                UUID user = ctx.getBean(AccountService.class).signup("bench-" + UUID.randomUUID(), "password123", "UTC").id();
                AtomicLong n = new AtomicLong();
                Runnable create = () -> {
                    long i = n.incrementAndGet();
                    String body = String.format("{\"title\":\"Task %d from load\",\"priority\":\"%s\",\"tags\":[\"t%d\",\"load\"],"
                            + "\"dueAt\":\"2027-01-%02dT09:00:00Z\"}", i, PRIORITIES[(int) (i % 5)], i % 20, i % 28 + 1);
                    tasks.create(user, TaskChanges.read(JsonBody.parse(mapper, body, TaskChanges.FIELDS), true));
                };
                closedLoop(create, Duration.ofSeconds(10)); // warm-up
                Cpu before = Cpu.now(db.postmasterPid());
                List<Long> micros = closedLoop(create, PHASE);
                Cpu used = Cpu.now(db.postmasterPid()).minus(before);
                micros.sort(null);
                assertThat(micros).isNotEmpty();
                int count = micros.size();
                System.out.printf("CREATE %-4s %d threads, no HTTP: %6.0f creates/s  p50 %5.1f ms  p99 %6.1f ms  max %6.1f ms"
                                + "  CPU per create: JVM %.2f ms, PostgreSQL %.2f ms (%d creates)%n",
                        name, THREADS, count / (double) PHASE.toSeconds(), pct(micros, 0.5), pct(micros, 0.99),
                        micros.get(count - 1) / 1000.0, used.jvmNanos() / 1e6 / count, used.pgNanos() / 1e6 / count, count);
            }
        }
    }

    private static final String[] PRIORITIES = {"none", "low", "medium", "high", "urgent"};

    /** Latencies (µs) of the calls that finished within {@code d}, made back to back by {@link #THREADS} threads. */
    private static List<Long> closedLoop(Runnable call, Duration d) throws InterruptedException {
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        long end = System.nanoTime() + d.toNanos();
        for (int i = 0; i < THREADS; i++) {
            pool.submit(() -> {
                while (true) {
                    long t0 = System.nanoTime();
                    call.run();
                    long t1 = System.nanoTime();
                    if (t1 > end) {
                        return;
                    }
                    latencies.add((t1 - t0) / 1000);
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(d.toSeconds() + 60, TimeUnit.SECONDS)).isTrue();
        return new ArrayList<>(latencies);
    }

    private static double pct(List<Long> sorted, double p) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size()))) / 1000.0;
    }
}
