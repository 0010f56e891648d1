package dev.todo.events.dapr;

import dev.todo.events.EventTransport.Outgoing;
import dev.todo.support.Await;
import dev.todo.support.TestApp;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Benchmark, run with {@code ./mvnw -pl app test -Pbench -Dtest=DaprPublishBench}: how fast events leave
 * through the Dapr transport, against the stand-in sidecar on loopback (so it measures the app's side:
 * serialisation, the gRPC call, the relay's bookkeeping; a real sidecar adds its broker's latency).
 */
class DaprPublishBench {

    static final int EVENTS = 5_000;
    static final int BATCH = 200;
    static final String DATA = "{\"task\":{\"id\":\"%s\",\"title\":\"Write the quarterly report\",\"description\":null,"
            + "\"priority\":\"high\",\"tags\":[\"work\",\"finance\"],\"dueAt\":\"2026-12-01T09:00:00Z\",\"completed\":false,"
            + "\"version\":3},\"changes\":{\"priority\":{\"before\":\"low\",\"after\":\"high\"}}}";

    private static CloudEvent event(long seq) {
        String subject = UUID.randomUUID().toString();
        return CloudEventBuilder.v1().withId(UUID.randomUUID().toString()).withSource(URI.create("/todo/app"))
                .withType("dev.todo.task.updated").withSubject(subject).withTime(OffsetDateTime.now())
                .withDataContentType("application/json").withExtension("userid", UUID.randomUUID().toString())
                .withExtension("sequence", String.valueOf(seq))
                .withData(String.format(DATA, subject).getBytes(StandardCharsets.UTF_8)).build();
    }

    @Test
    void transportAlone() throws Exception {
        try (FakeDaprSidecar sidecar = new FakeDaprSidecar()) {
            Map<String, String> settings = new HashMap<>();
            sidecar.properties().forEach((k, v) -> settings.put(k, String.valueOf(v)));
            DaprTransport transport = new DaprTransport(settings, "bench", Duration.ofSeconds(10), Duration.ofSeconds(10));
            try {
                List<Outgoing> warm = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    warm.add(new Outgoing("task-events", event(i)));
                }
                assertThat(transport.publish(warm)).isEqualTo(warm.size());
                long[] perBatch = new long[EVENTS / BATCH];
                long start = System.nanoTime();
                for (int b = 0; b < perBatch.length; b++) {
                    List<Outgoing> batch = new ArrayList<>();
                    for (int i = 0; i < BATCH; i++) {
                        batch.add(new Outgoing("task-events", event(b * BATCH + i)));
                    }
                    long t = System.nanoTime();
                    assertThat(transport.publish(batch)).isEqualTo(BATCH);
                    perBatch[b] = System.nanoTime() - t;
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                Arrays.sort(perBatch);
                System.out.printf("DAPR transport alone: %d events in %.2f s = %.0f events/s; per event p50 %.2f ms, worst batch %.2f ms/event%n",
                        EVENTS, seconds, EVENTS / seconds, perBatch[perBatch.length / 2] / 1e6 / BATCH,
                        perBatch[perBatch.length - 1] / 1e6 / BATCH);
                assertThat(sidecar.published()).hasSize(1000 + EVENTS);
            } finally {
                transport.close();
            }
        }
    }

    @Test
    void relayThroughTheTransport() throws Exception {
        try (FakeDaprSidecar sidecar = new FakeDaprSidecar()) {
            Map<String, Object> props = new HashMap<>(TestApp.properties("bench_dapr"));
            props.putAll(sidecar.properties());
            props.put("todo.events.transport", "dapr");
            props.put("todo.roles", "worker");
            try (ApplicationContext ctx = ApplicationContext.run(props, "test")) {
                DataSource ds = TestApp.dataSource(ctx);
                Await.await(Duration.ofSeconds(30), () -> ctx.getBean(DaprTransport.class).sidecarReady(), r -> r);
                long start;
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    start = System.nanoTime();
                    s.execute("insert into outbox (id, type, topics, subject, user_id, time, data) select gen_random_uuid(),"
                            + " 'task.updated', '{task-events}', gen_random_uuid(), gen_random_uuid(), now(), cast('"
                            + String.format(DATA, UUID.randomUUID()) + "' as jsonb) from generate_series(1, " + EVENTS + ")");
                }
                Await.await(Duration.ofMinutes(2), () -> sidecar.published().size(), n -> n >= EVENTS);
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("DAPR outbox relay -> transport -> sidecar: %d events in %.2f s = %.0f events/s%n",
                        EVENTS, seconds, EVENTS / seconds);
                assertThat(sidecar.published()).hasSize(EVENTS);
            }
        }
    }
}
