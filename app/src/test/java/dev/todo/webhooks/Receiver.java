package dev.todo.webhooks;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A webhook receiver on 127.0.0.1: records every request and answers each path with the next
 * status of its script (the last one repeats; 204 when none was set).
 */
final class Receiver implements AutoCloseable {

    record Request(String path, Map<String, List<String>> headers, byte[] body, Instant received) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0))
                    .findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Integer>> scripts = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();
    private final Map<String, Long> delays = new ConcurrentHashMap<>();

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "receiver");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(path, Map.copyOf(exchange.getRequestHeaders()), body, Instant.now()));
            CountDownLatch hold = holds.get(path);
            try {
                if (hold != null) {
                    hold.await(10, TimeUnit.SECONDS);
                }
                Thread.sleep(delays.getOrDefault(path, 0L)); // a receiver that takes its time to answer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Deque<Integer> script = scripts.get(path);
            int status = 204;
            if (script != null) {
                synchronized (script) {
                    status = script.size() > 1 ? script.removeFirst() : script.isEmpty() ? 204 : script.peekFirst();
                }
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    /** The URL of a path on this receiver. */
    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Answers the path with these statuses in turn, then the last one forever. */
    void answer(String path, Integer... statuses) {
        scripts.put(path, new ConcurrentLinkedDeque<>(List.of(statuses)));
    }

    /** Requests to the path wait for an answer until the returned latch is counted down. */
    CountDownLatch hold(String path) {
        CountDownLatch latch = new CountDownLatch(1);
        holds.put(path, latch);
        return latch;
    }

    /** Requests to the path are answered after this long (simulated processing time). */
    void delay(String path, long millis) {
        delays.put(path, millis);
    }

    List<Request> at(String path) {
        List<Request> out = new ArrayList<>();
        for (Request r : requests) {
            if (r.path().equals(path)) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
