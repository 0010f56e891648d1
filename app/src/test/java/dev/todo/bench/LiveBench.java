package dev.todo.bench;

import dev.todo.events.EventDispatcher;
import dev.todo.live.LiveStreams;
import dev.todo.support.Api;
import dev.todo.support.TestApp;
import com.sun.management.OperatingSystemMXBean;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.todo.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Benchmark, run with {@code ./mvnw -pl app test -Pbench -Dtest=LiveBench}: 1,000 open streams
 * (100 users x 10), task changes at a steady rate, SSE push latency percentiles, and what the open
 * streams cost the server JVM in heap and threads. The clients run in a second JVM
 * ({@link LiveBenchClient}) so the server's figures are its own. Settings: {@code -Dbench.users},
 * {@code -Dbench.streams-per-user}, {@code -Dbench.rate} (changes/s), {@code -Dbench.seconds}.
 */
class LiveBench {

    static final int USERS = Integer.getInteger("bench.users", 100);
    static final int PER_USER = Integer.getInteger("bench.streams-per-user", 10);
    static final int RATE = Integer.getInteger("bench.rate", 100);
    static final int WARMUP = Integer.getInteger("bench.warmup", 5);
    static final int SECONDS = Integer.getInteger("bench.seconds", 30);

    @Test
    void thousandStreams() throws Exception {
        Map<String, Object> props = new HashMap<>(TestApp.properties("bench_live"));
        props.put("todo.reminders.scheduler.enabled", false);
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props, "test")) {
            LiveStreams registry = server.getApplicationContext().getBean(LiveStreams.class);
            Api api = new Api(server.getURI());
            List<String> lines = new ArrayList<>();
            lines.add(server.getURI().toString());
            for (int i = 0; i < USERS; i++) {
                Api user = api.newUser();
                String task = user.createTask("{\"title\":\"c-start\"}").get("id").asText();
                lines.add(user.token() + " " + task);
            }
            Path users = Files.createTempFile("live-bench", ".txt");
            Files.write(users, lines);

            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long heapBefore = settledHeap(memory);
            int threadsBefore = threads.getThreadCount();

            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process client = new ProcessBuilder(javaBin, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                    LiveBenchClient.class.getName(), users.toString(), String.valueOf(PER_USER), String.valueOf(RATE),
                    String.valueOf(WARMUP), String.valueOf(SECONDS))
                    .redirectErrorStream(true).start();
            List<String> results = new ArrayList<>();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
                 Writer in = new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8)) {
                String line;
                while ((line = out.readLine()) != null && !line.equals("READY")) {
                    print(line, results);
                }
                assertThat(line).as("the client opened its streams").isEqualTo("READY");
                await(Duration.ofSeconds(30), registry::size, n -> n == USERS * PER_USER);
                long heapWith = settledHeap(memory);
                int threadsWith = threads.getThreadCount();
                System.out.printf("RESULT server JVM with %d open streams: heap %+.1f MB after GC (%.1f KB per stream),"
                                + " threads %d -> %d (peak %d)%n", registry.size(), (heapWith - heapBefore) / 1e6,
                        (heapWith - heapBefore) / 1e3 / registry.size(), threadsBefore, threadsWith, threads.getPeakThreadCount());

                Instant go = Instant.now();
                // when this instance received each task-updates event (after LiveSync queued it on the streams)
                Map<Long, Long> handedOver = new java.util.concurrent.ConcurrentHashMap<>();
                AutoCloseable observing = server.getApplicationContext().getBean(EventDispatcher.class).observe("task-updates", e -> {
                    Instant now = Instant.now();
                    handedOver.put(Long.parseLong(String.valueOf(e.getExtension("sequence"))), now.getEpochSecond() * 1_000_000 + now.getNano() / 1000);
                });
                var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                long cpu0 = os.getProcessCpuTime();
                long wall0 = System.nanoTime();
                in.write("GO\n");
                in.flush();
                while ((line = out.readLine()) != null) {
                    print(line, results);
                }
                System.out.printf("RESULT server JVM CPU during the run: %.2f cores of %d (the embedded PostgreSQL and the client JVM"
                                + " use the rest)%n", (os.getProcessCpuTime() - cpu0) / (double) (System.nanoTime() - wall0),
                        Runtime.getRuntime().availableProcessors());
                observing.close();
                relayLag(server.getApplicationContext(), go);
                consumers(server.getApplicationContext());
                pushes(Path.of(users + ".arrivals"), handedOver);
            }
            assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(client.exitValue()).isZero();
            assertThat(results).anyMatch(l -> l.contains("(0 missing, 0 duplicates)"));
            await(Duration.ofSeconds(10), registry::size, n -> n == 0);
            System.out.println("RESULT all streams left the registry after the client closed them");
        }
    }

    /** How long the relay took from the row's time to marking it published: the part of the latency before LiveSync. */
    private static void relayLag(ApplicationContext ctx, Instant from) {
        RelayShare r = RelayShare.since(TestApp.dataSource(ctx), "task-updates", from);
        System.out.printf("RESULT relay: %d task-updates rows, row time -> marked published (after in-process delivery of its"
                + " batch): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", r.rows(), r.p50Millis(), r.p99Millis(), r.maxMillis());
    }

    /** The SSE part alone: from LiveSync having the event to the client having read the line. */
    private static void pushes(Path arrivals, Map<Long, Long> handedOver) throws Exception {
        List<Long> micros = new ArrayList<>();
        for (String line : Files.readAllLines(arrivals)) {
            String[] f = line.split(" ");
            Long at = handedOver.get(Long.parseLong(f[0]));
            if (at != null) {
                micros.add(Long.parseLong(f[1]) - at);
            }
        }
        java.util.Collections.sort(micros);
        System.out.printf("RESULT SSE push alone, event received by this instance -> line read by the client, %d pushes:"
                        + " p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", micros.size(), LiveBenchClient.pct(micros, 50) / 1000.0,
                LiveBenchClient.pct(micros, 99) / 1000.0, micros.isEmpty() ? 0 : micros.get(micros.size() - 1) / 1000.0);
    }

    /** Time the relay thread spent in each consumer (the dispatcher's timer): where delivery time goes. */
    private static void consumers(ApplicationContext ctx) {
        for (var timer : ctx.getBean(io.micrometer.core.instrument.MeterRegistry.class).find("todo.events.handled").timers()) {
            System.out.printf("RESULT consumer %s (%s): %d events, mean %.3f ms, max %.1f ms, total %.1f s%n", timer.getId().getTag("consumer"),
                    timer.getId().getTag("outcome"), timer.count(), timer.mean(TimeUnit.MILLISECONDS), timer.max(TimeUnit.MILLISECONDS),
                    timer.totalTime(TimeUnit.SECONDS));
        }
    }

    private static void print(String line, List<String> results) {
        System.out.println(line);
        if (line.startsWith("RESULT")) {
            results.add(line);
        }
    }

    private static long settledHeap(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
