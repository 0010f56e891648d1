package dev.todo.events.dapr;

import dev.todo.events.EventTransport;
import dev.todo.events.EventTransports;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonFormat;
import io.dapr.client.DaprClient;
import io.dapr.client.DaprClientBuilder;
import io.dapr.client.domain.PublishEventRequest;
import io.dapr.client.resiliency.ResiliencyOptions;
import io.dapr.config.Properties;
import io.dapr.config.Property;
import io.dapr.exceptions.DaprException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes through the Dapr sidecar's pub/sub API. Each event goes as a structured CloudEvent
 * ({@code application/cloudevents+json}), which Dapr passes on as it is instead of wrapping it in an
 * envelope of its own, so consumers see the id, type, subject, time and extensions the outbox
 * produced. The subject (the task id) is the partition key: per-task order survives a Kafka-backed
 * component. Events are sent one after the other and the batch stops at the first refusal.
 * <p>
 * The sidecar's address comes from the usual Dapr environment (DAPR_GRPC_PORT, DAPR_HTTP_PORT,
 * DAPR_SIDECAR_IP, DAPR_GRPC_ENDPOINT, DAPR_API_TOKEN), or from the same names as configuration
 * properties ({@code dapr.grpc.port}, ...). Nothing is published before the sidecar reported ready
 * or the wait for it ran out; the application starts meanwhile.
 */
@Singleton
@Requires(property = EventTransports.PROPERTY, value = EventTransports.DAPR)
public class DaprTransport implements EventTransport {

    private static final Logger LOG = LoggerFactory.getLogger(DaprTransport.class);
    static final String CLOUDEVENTS_JSON = "application/cloudevents+json";
    static final EventFormat FORMAT = new JsonFormat();
    static final int MAX_ERROR_METADATA = 1000;
    static final Duration SIDECAR_HOLD = Duration.ofSeconds(1);
    private static final List<Property<?>> SIDECAR_PROPERTIES = List.of(Properties.SIDECAR_IP, Properties.GRPC_PORT,
            Properties.HTTP_PORT, Properties.GRPC_ENDPOINT, Properties.HTTP_ENDPOINT, Properties.API_TOKEN);

    private final DaprClient client;
    private final String pubsub;
    private final Duration publishTimeout;
    private final CompletableFuture<Boolean> sidecar = new CompletableFuture<>();
    private final Disposable healthProbe;

    @Inject
    public DaprTransport(Environment environment,
                         @Value("${todo.dapr.pubsub:todo-pubsub}") String pubsub,
                         @Value("${todo.dapr.sidecar-wait:60s}") Duration sidecarWait,
                         @Value("${todo.dapr.publish-timeout:10s}") Duration publishTimeout) {
        this(sidecarSettings(environment), pubsub, sidecarWait, publishTimeout);
    }

    /** {@code settings}: Dapr SDK property names ({@code dapr.grpc.port}, ...) over the environment's DAPR_* values. */
    DaprTransport(Map<String, String> settings, String pubsub, Duration sidecarWait, Duration publishTimeout) {
        this.pubsub = pubsub;
        this.publishTimeout = publishTimeout;
        Map<Property<?>, String> overrides = new HashMap<>();
        for (Property<?> p : SIDECAR_PROPERTIES) {
            if (settings.containsKey(p.getName())) {
                overrides.put(p, settings.get(p.getName()));
            }
        }
        this.client = new DaprClientBuilder()
                .withPropertyOverrides(overrides)
                // the relay retries with its own backoff; a publish that hangs must not hold the batch
                .withResiliencyOptions(new ResiliencyOptions().setTimeout(publishTimeout).setMaxRetries(0))
                .build();
        this.healthProbe = waitForSidecar(sidecarWait);
    }

    private static Map<String, String> sidecarSettings(Environment environment) {
        Map<String, String> settings = new HashMap<>();
        for (Property<?> p : SIDECAR_PROPERTIES) {
            environment.getProperty(p.getName(), String.class).filter(v -> !v.isBlank()).ifPresent(v -> settings.put(p.getName(), v));
        }
        return settings;
    }

    /** Waits in the background: the start of the application does not depend on the sidecar. */
    private Disposable waitForSidecar(Duration wait) {
        long started = System.nanoTime();
        return client.waitForSidecar((int) Math.min(Integer.MAX_VALUE, wait.toMillis())).subscribe(
                ignored -> { },
                e -> {
                    LOG.warn("The Dapr sidecar was not ready within {}; publishing anyway and retrying what it refuses", wait);
                    sidecar.complete(false);
                },
                () -> {
                    LOG.info("Dapr sidecar ready after {} ms; publishing to pub/sub component {}",
                            (System.nanoTime() - started) / 1_000_000, pubsub);
                    sidecar.complete(true);
                });
    }

    /** Whether the sidecar answered its health check (false while waiting or after giving up). */
    public boolean sidecarReady() {
        return sidecar.getNow(false);
    }

    /** Holds the relay (not the application) a moment while the sidecar starts; it comes back after its backoff. */
    private boolean awaitSidecar() {
        try {
            sidecar.get(SIDECAR_HOLD.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            LOG.info("Still waiting for the Dapr sidecar before publishing");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    @Override
    public int publish(List<Outgoing> batch) {
        if (!awaitSidecar()) {
            return 0;
        }
        int accepted = 0;
        for (Outgoing o : batch) {
            try {
                send(o.topic(), o.event(), Map.of());
            } catch (RuntimeException e) {
                LOG.warn("Dapr refused {} {} for topic {} of {}: {}", o.event().getType(), o.event().getId(), o.topic(),
                        pubsub, reason(e));
                return accepted;
            }
            accepted++;
        }
        return accepted;
    }

    @Override
    public void publishDeadLetter(String topic, CloudEvent event, String consumer, String error) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("consumer", consumer);
        metadata.put("error", error == null ? "" : error.length() > MAX_ERROR_METADATA ? error.substring(0, MAX_ERROR_METADATA) : error);
        send(deadLetterTopic(topic), event, metadata);
    }

    static String deadLetterTopic(String topic) {
        return topic + "-dlq";
    }

    private void send(String topic, CloudEvent event, Map<String, String> extra) {
        Map<String, String> metadata = new LinkedHashMap<>(extra);
        if (event.getSubject() != null) {
            metadata.put("partitionKey", event.getSubject());
        }
        PublishEventRequest request = new PublishEventRequest(pubsub, topic, FORMAT.serialize(event))
                .setContentType(CLOUDEVENTS_JSON)
                .setMetadata(metadata);
        // the gRPC deadline (publishTimeout) ends the call; the block timeout is a backstop
        client.publishEvent(request).block(publishTimeout.plusSeconds(5));
    }

    private static String reason(RuntimeException e) {
        if (e instanceof DaprException d) {
            return d.getErrorCode() + " " + d.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    @PreDestroy
    void close() throws Exception {
        healthProbe.dispose();
        client.close();
    }
}
