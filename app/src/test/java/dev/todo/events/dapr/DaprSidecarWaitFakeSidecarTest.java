package dev.todo.events.dapr;

import dev.todo.events.EventTransport.Outgoing;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.todo.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The wait for the sidecar at start, against a stand-in sidecar ({@link FakeDaprSidecar}) that starts slowly. */
class DaprSidecarWaitFakeSidecarTest {

    private static List<Outgoing> one() {
        CloudEvent e = CloudEventBuilder.v1().withId(UUID.randomUUID().toString()).withSource(URI.create("/todo/app"))
                .withType("dev.todo.task.created").withSubject(UUID.randomUUID().toString()).build();
        return List.of(new Outgoing("task-events", e));
    }

    private static Map<String, String> settings(FakeDaprSidecar sidecar) {
        Map<String, String> s = new HashMap<>();
        sidecar.properties().forEach((k, v) -> s.put(k, String.valueOf(v)));
        return s;
    }

    @Test
    void nothingIsPublishedBeforeTheSidecarIsReady() throws Exception {
        try (FakeDaprSidecar sidecar = new FakeDaprSidecar()) {
            sidecar.healthy(false);
            DaprTransport transport = new DaprTransport(settings(sidecar), "p", Duration.ofSeconds(30), Duration.ofSeconds(10));
            try {
                assertThat(transport.publish(one())).isZero();
                assertThat(transport.sidecarReady()).isFalse();
                assertThat(sidecar.published()).isEmpty();
                assertThat(sidecar.healthChecks()).isPositive();

                sidecar.healthy(true);
                await(Duration.ofSeconds(5), transport::sidecarReady, ready -> ready);
                assertThat(transport.publish(one())).isEqualTo(1);
                assertThat(sidecar.published()).hasSize(1);
            } finally {
                transport.close();
            }
        }
    }

    @Test
    void afterTheWaitRunsOutPublishingGoesAheadAnyway() throws Exception {
        try (FakeDaprSidecar sidecar = new FakeDaprSidecar()) {
            sidecar.healthy(false);
            DaprTransport transport = new DaprTransport(settings(sidecar), "p", Duration.ofMillis(300), Duration.ofSeconds(5));
            try {
                List<Outgoing> batch = List.of(one().get(0), one().get(0), one().get(0));
                assertThat(transport.publish(batch)).isEqualTo(3);
                assertThat(transport.sidecarReady()).isFalse();
                assertThat(sidecar.published()).extracting(p -> p.event().getId())
                        .containsExactlyElementsOf(batch.stream().map(o -> o.event().getId()).toList());
                // a refusal in the middle of a batch stops it there: what came before counts, nothing after is sent
                sidecar.refuseAfter(1);
                List<Outgoing> next = List.of(one().get(0), one().get(0), one().get(0));
                assertThat(transport.publish(next)).isEqualTo(1);
                assertThat(sidecar.published()).hasSize(4).last().extracting(p -> p.event().getId()).isEqualTo(next.get(0).event().getId());
                assertThat(sidecar.refused()).isEqualTo(1);
            } finally {
                transport.close();
            }
        }
    }
}
