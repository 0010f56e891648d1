package dev.todo.webhooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.todo.support.Api;
import dev.todo.support.TestApp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.todo.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Benchmark, run with {@code ./mvnw -pl app test -Pbench -Dtest=WebhookBench}: how fast one sender
 * (8 threads) drains a backlog to a receiver on 127.0.0.1 answering at once and after 50 ms, and
 * how long a task completion takes to reach the receiver end to end (outbox, relay, consumer, sender).
 */
class WebhookBench {

    static final int BACKLOG = 2_000;
    static final int SLOW_BACKLOG = 400;
    static final int END_TO_END = 200;

    @Test
    void drainAndEndToEnd() throws Exception {
        Map<String, Object> props = new HashMap<>(TestApp.properties("bench_webhooks"));
        props.put("todo.webhooks.allow-private", true);
        props.put("todo.webhooks.sender.enabled", false);
        try (Receiver receiver = new Receiver();
             EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props, "test")) {
            ApplicationContext ctx = server.getApplicationContext();
            DataSource ds = TestApp.dataSource(ctx);
            Api user = new Api(server.getURI()).newUser();
            UUID userId = UUID.fromString(user.get("/api/me").json().get("id").asText());
            WebhookSender sender = new WebhookSender(ctx.getBean(DataSource.class), ctx.getBean(DataSourceResolver.class),
                    ctx.getBean(WebhookSettings.class), ctx.getBean(DestinationGuard.class), ctx.getBean(ObjectMapper.class),
                    new SimpleMeterRegistry(), ctx.getBean(dev.todo.events.Wakeups.class));

            drain(ds, sender, receiver, userId, "/fast", BACKLOG, 0);
            drain(ds, sender, receiver, userId, "/slow", SLOW_BACKLOG, 50);

            String hook = user.post("/api/webhooks", "{\"url\":\"" + receiver.url("/e2e") + "\",\"events\":[\"task.created\"]}")
                    .json().get("id").asText();
            sender.start();
            try {
                for (int i = 0; i < END_TO_END; i++) {
                    user.createTask("{\"title\":\"e2e " + i + "\"}");
                    int n = i + 1;
                    await(Duration.ofSeconds(30), () -> receiver.at("/e2e").size(), size -> size >= n);
                }
            } finally {
                sender.stop();
            }
            List<Long> ms = new ArrayList<>();
            for (Receiver.Request r : receiver.at("/e2e")) {
                Instant written = Instant.parse(Api.JSON.readTree(r.body()).get("time").asText());
                ms.add(Duration.between(written, r.received()).toMillis());
            }
            Collections.sort(ms);
            System.out.printf("RESULT webhooks end to end (commit of task.created to receipt, one at a time, %d tasks):"
                    + " p50 %d ms, p99 %d ms, max %d ms%n", ms.size(), pct(ms, 50), pct(ms, 99), ms.get(ms.size() - 1));
            assertThat(ms).hasSize(END_TO_END);
            assertThat(user.get("/api/webhooks/" + hook + "/deliveries?limit=1").json().at("/items/0/status").asText())
                    .isEqualTo("delivered");
        }
    }

    /** Inserts {@code count} due deliveries for a new webhook, starts the sender and times the drain. */
    private static void drain(DataSource ds, WebhookSender sender, Receiver receiver, UUID user, String path, int count,
                              long answerMillis) throws Exception {
        receiver.delay(path, answerMillis);
        UUID hook = UUID.randomUUID();
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("insert into webhooks (id, user_id, url, events, secret, created_at)"
                    + " values (?, ?, ?, array['*'], 'bench-secret-0123456789', now())")) {
                ps.setObject(1, hook);
                ps.setObject(2, user);
                ps.setString(3, receiver.url(path));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("insert into webhook_deliveries (id, webhook_id, event_id, event_type,"
                    + " payload, next_attempt_at, created_at) select gen_random_uuid(), ?, gen_random_uuid(), 'task.created',"
                    + " '{\"specversion\":\"1.0\",\"id\":\"' || g || '\",\"source\":\"/todo/app\",\"type\":\"dev.todo.task.created\","
                    + "\"data\":{\"task\":{\"title\":\"' || repeat('x', 200) || '\"}}}', now(), now() from generate_series(1, ?) g")) {
                ps.setObject(1, hook);
                ps.setInt(2, count);
                ps.executeUpdate();
            }
        }
        long t0 = System.nanoTime();
        sender.start();
        try {
            await(Duration.ofSeconds(120), () -> delivered(ds, hook), n -> n == count);
        } finally {
            sender.stop();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("RESULT webhooks drain %d deliveries, receiver answering after %d ms: %.1f s, %.0f deliveries/s"
                + " (8 sender threads); requests received %d%n", count, answerMillis, secs, count / secs, receiver.at(path).size());
        assertThat(receiver.at(path)).hasSize(count);
    }

    private static long delivered(DataSource ds, UUID hook) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from webhook_deliveries where status = 'delivered' and webhook_id = '"
                     + hook + "'")) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
