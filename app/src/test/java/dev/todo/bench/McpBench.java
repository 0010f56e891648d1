package dev.todo.bench;

import dev.todo.support.Api;
import dev.todo.support.TestApp;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Benchmark, run with {@code ./mvnw -pl app test -Pbench -Dtest=McpBench}: the latency of MCP tool
 * calls as a client sees them (the MCP SDK's Streamable HTTP client, JSON-RPC over the real HTTP
 * stack, personal-token authentication, the tool, PostgreSQL). {@code add_task} creates a task;
 * {@code list_tasks} reads the first page (50) of a user with 4,300 open tasks. One client calling
 * in a loop, then four clients at once; then the same two operations through the REST API.
 */
class McpBench {

    static final int WARMUP = 300;
    static final int CALLS = 2_000;

    @Test
    void toolCallLatency() throws Exception {
        Api user = TestApp.api().newUser();
        String token = user.post("/api/tokens", "{\"name\":\"bench\"}").json().get("token").asText();
        List<McpSyncClient> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            McpSyncClient c = McpClient.sync(HttpClientStreamableHttpTransport.builder(user.base().toString()).endpoint("/mcp")
                    .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token)).build())
                    .clientInfo(new McpSchema.Implementation("bench", "1")).requestTimeout(Duration.ofSeconds(30)).build();
            c.initialize();
            clients.add(c);
        }
        McpSyncClient one = clients.get(0);
        IntFunction<McpSchema.CallToolRequest> add = i -> new McpSchema.CallToolRequest("add_task",
                Map.of("title", "Bench task " + i, "priority", "medium", "tags", List.of("bench")));
        McpSchema.CallToolRequest list = new McpSchema.CallToolRequest("list_tasks", Map.of("limit", 50));

        for (int i = 0; i < WARMUP; i++) {
            call(one, add.apply(i));
            call(one, list);
        }
        report("add_task, 1 client", measure(List.of(one), add, CALLS));
        report("add_task, 4 clients", measure(clients, add, CALLS));
        // the user now has 4,300 open tasks
        report("list_tasks (first 50), 1 client", measure(List.of(one), i -> list, CALLS));
        report("list_tasks (first 50), 4 clients", measure(clients, i -> list, CALLS));
        clients.forEach(McpSyncClient::closeGracefully);

        // the same operations through the REST API, for the cost of MCP's JSON-RPC layer
        Api rest = user.as(token);
        report("REST POST /api/tasks, 1 client", measureRest(() -> assertThat(rest.post("/api/tasks",
                "{\"title\":\"Bench task\",\"priority\":\"medium\",\"tags\":[\"bench\"]}").status()).isEqualTo(201)));
        report("REST GET /api/tasks?limit=50, 1 client", measureRest(() -> assertThat(rest.get("/api/tasks?limit=50").status())
                .isEqualTo(200)));
    }

    private static Run measureRest(Runnable call) {
        List<Long> all = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < CALLS; i++) {
            long t0 = System.nanoTime();
            call.run();
            all.add(System.nanoTime() - t0);
        }
        return new Run(all, System.nanoTime() - start);
    }

    private static void call(McpSyncClient c, McpSchema.CallToolRequest r) {
        McpSchema.CallToolResult result = c.callTool(r);
        assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
    }

    record Run(List<Long> nanos, long wallNanos) {
    }

    private static Run measure(List<McpSyncClient> clients, IntFunction<McpSchema.CallToolRequest> request, int calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients.size());
        List<Long> all = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        int each = calls / clients.size();
        for (int c = 0; c < clients.size(); c++) {
            McpSyncClient client = clients.get(c);
            int offset = c * each;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    McpSchema.CallToolRequest r = request.apply(offset + i);
                    long t0 = System.nanoTime();
                    call(client, r);
                    all.add(System.nanoTime() - t0);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        long wall = System.nanoTime() - start;
        pool.shutdown();
        return new Run(new ArrayList<>(all), wall);
    }

    private static void report(String name, Run run) {
        List<Long> sorted = new ArrayList<>(run.nanos());
        Collections.sort(sorted);
        System.out.printf("MCP %-42s calls=%d  %.0f calls/s  p50=%.2f ms  p90=%.2f ms  p99=%.2f ms  max=%.2f ms%n", name,
                sorted.size(), sorted.size() / (run.wallNanos() / 1e9), pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99),
                sorted.get(sorted.size() - 1) / 1e6);
    }

    private static double pct(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
    }
}
