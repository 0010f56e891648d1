package dev.todo.bench;

import dev.todo.live.SseClient;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load side of {@link LiveBench}, in a JVM of its own so that the server's heap and threads are
 * measured without the clients': opens the streams, waits for "GO" on stdin, changes tasks at a
 * steady rate and reports when each change reached each stream.
 * <p>
 * Arguments: the users file (lines "base-uri", then "token task-id"), streams per user, changes per
 * second, warm-up seconds, measured seconds. Writes "seq epoch-micros" per push received after the
 * warm-up to the users file's name + ".arrivals".
 */
public final class LiveBenchClient {

    record Receipt(int change, long seq, long atMicros, long latencyMicros, long fromRequestMicros) {
    }

    public static void main(String[] args) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        URI base = URI.create(lines.get(0));
        List<String[]> users = lines.subList(1, lines.size()).stream().map(l -> l.split(" ")).toList();
        int perUser = Integer.parseInt(args[1]);
        int rate = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);

        ExecutorService io = Executors.newFixedThreadPool(4);
        HttpClient streamsClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(io)
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpClient changesClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(4)).build();

        // change number -> when its request was sent
        Map<Integer, Long> sentNanos = new ConcurrentHashMap<>();
        List<Receipt> receipts = Collections.synchronizedList(new ArrayList<>());
        AtomicLong duplicates = new AtomicLong();
        AtomicLong received = new AtomicLong();
        int streamCount = users.size() * perUser;
        CountDownLatch opened = new CountDownLatch(streamCount);
        List<SseClient> streams = new ArrayList<>();
        long t0 = System.nanoTime();
        for (String[] user : users) {
            for (int i = 0; i < perUser; i++) {
                Map<String, Boolean> seen = new ConcurrentHashMap<>();
                boolean[] first = {true};
                HttpRequest request = SseClient.request(base.resolve("/api/stream"), user[0]).build();
                streams.add(SseClient.start(streamsClient, request, f -> {
                    if (first[0]) {
                        first[0] = false;
                        opened.countDown();
                    }
                    if (!f.isEvent()) {
                        return;
                    }
                    Instant now = Instant.now();
                    long nanos = System.nanoTime();
                    if (seen.put(f.id(), Boolean.TRUE) != null) {
                        duplicates.incrementAndGet();
                        return;
                    }
                    received.incrementAndGet();
                    String data = f.data();
                    int ts = data.indexOf("\"time\":\"") + 8;
                    Instant time = Instant.parse(data.substring(ts, data.indexOf('"', ts)));
                    int tt = data.indexOf("\"title\":\"c") + 10;
                    int change = Integer.parseInt(data.substring(tt, data.indexOf('"', tt)));
                    Long sent = sentNanos.get(change);
                    receipts.add(new Receipt(change, Long.parseLong(f.id()), now.getEpochSecond() * 1_000_000 + now.getNano() / 1000,
                            Duration.between(time, now).toNanos() / 1000,
                            sent == null ? -1 : (nanos - sent) / 1000));
                }));
            }
        }
        if (!opened.await(60, TimeUnit.SECONDS)) {
            System.out.println("RESULT only " + (streamCount - opened.getCount()) + " of " + streamCount + " streams opened");
            System.exit(1);
        }
        System.out.printf("RESULT opened %d streams (%d users x %d) in %.1f s%n", streamCount, users.size(), perUser,
                (System.nanoTime() - t0) / 1e9);
        System.out.println("READY");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine(); // GO

        AtomicInteger next = new AtomicInteger();
        AtomicLong failedChanges = new AtomicLong();
        List<Long> responseMicros = Collections.synchronizedList(new ArrayList<>());
        int warmupChanges = rate * warmup;
        int total = rate * (warmup + seconds);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch responses = new CountDownLatch(total);
        long periodNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        ticker.scheduleAtFixedRate(() -> {
            int n = next.getAndIncrement();
            if (n >= total) {
                return;
            }
            String[] user = users.get(n % users.size());
            HttpRequest patch = HttpRequest.newBuilder(base.resolve("/api/tasks/" + user[1]))
                    .header("Authorization", "Bearer " + user[0]).header("Content-Type", "application/merge-patch+json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"title\":\"c" + n + "\"}")).build();
            long sent = System.nanoTime();
            sentNanos.put(n, sent);
            changesClient.sendAsync(patch, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                if (e != null || r.statusCode() != 200) {
                    failedChanges.incrementAndGet();
                } else if (n >= warmupChanges) {
                    responseMicros.add((System.nanoTime() - sent) / 1000);
                }
                responses.countDown();
            });
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
        responses.await(warmup + seconds + 60L, TimeUnit.SECONDS);
        long expected = (long) total * perUser;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (received.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        ticker.shutdownNow();

        List<Long> latency = new ArrayList<>();
        List<Long> fromRequest = new ArrayList<>();
        List<String> arrivals = new ArrayList<>();
        synchronized (receipts) {
            for (Receipt r : receipts) {
                if (r.change() >= warmupChanges) {
                    latency.add(r.latencyMicros());
                    fromRequest.add(r.fromRequestMicros());
                    arrivals.add(r.seq() + " " + r.atMicros());
                }
            }
        }
        // for the server side: when each push arrived, to set against when the server received the event
        Files.write(Path.of(args[0] + ".arrivals"), arrivals);
        Collections.sort(latency);
        Collections.sort(fromRequest);
        Collections.sort(responseMicros);
        long measuredPushes = latency.size();
        System.out.printf("RESULT changes: %d at %d/s (%d s warm-up + %d s measured), %d failed; PATCH response p50 %.1f ms, p99 %.1f ms%n",
                total, rate, warmup, seconds, failedChanges.get(), pct(responseMicros, 50) / 1000.0, pct(responseMicros, 99) / 1000.0);
        System.out.printf("RESULT pushes: %d of %d expected received (%d missing, %d duplicates); %.0f events/s over the run%n",
                received.get(), expected, expected - received.get(), duplicates.get(), received.get() / elapsed);
        System.out.printf("RESULT push latency, outbox row time (taken in the transaction, just before commit) -> line read by the client,"
                        + " %d pushes after warm-up: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", measuredPushes,
                pct(latency, 50) / 1000.0, pct(latency, 90) / 1000.0, pct(latency, 99) / 1000.0,
                latency.isEmpty() ? 0 : latency.get(latency.size() - 1) / 1000.0);
        System.out.printf("RESULT push latency from sending the PATCH request: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                pct(fromRequest, 50) / 1000.0, pct(fromRequest, 99) / 1000.0,
                fromRequest.isEmpty() ? 0 : fromRequest.get(fromRequest.size() - 1) / 1000.0);
        System.out.flush();
        streams.forEach(SseClient::close);
        System.exit(0);
    }

    static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)));
    }
}
