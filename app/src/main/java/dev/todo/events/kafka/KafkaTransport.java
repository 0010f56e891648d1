package dev.todo.events.kafka;

import dev.todo.events.EventDispatcher;
import dev.todo.events.EventDispatcher.Audience;
import dev.todo.events.EventTransport;
import dev.todo.events.EventTransports;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonFormat;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Events through Kafka, for clusters without Dapr. Messages are CloudEvents in structured JSON mode
 * (header {@code content-type: application/cloudevents+json}) keyed by the task id, so each task's
 * events stay in one partition, in order. The producer is idempotent with {@code acks=all}.
 * <p>
 * Consumers: the worker's consumers share one consumer group ({@code TODO_KAFKA_GROUP}, the group the
 * operator's autoscaler watches) and commit only what they handled; live sync reads every partition from
 * the end in each API instance, without a group.
 */
@Singleton
@Requires(property = EventTransports.PROPERTY, value = EventTransports.KAFKA)
public class KafkaTransport implements EventTransport {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTransport.class);
    static final EventFormat FORMAT = new JsonFormat();
    static final String CONTENT_TYPE = "content-type";
    public static final String DLQ_SUFFIX = "-dlq";

    private final KafkaSettings settings;
    private final KafkaGroupMember member;
    private final Map<String, Object> security;
    private final BeanProvider<EventDispatcher> dispatcher;
    private final MeterRegistry meters;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaClientMetrics producerMetrics;
    private final List<KafkaConsumerLoop> loops = new ArrayList<>();

    private final dev.todo.events.WorkerHealth health;

    public KafkaTransport(KafkaSettings settings, KafkaGroupMember member, KafkaClientSecurity security,
                          BeanProvider<EventDispatcher> dispatcher, MeterRegistry meters, dev.todo.events.WorkerHealth health) {
        this.health = health;
        if (settings.bootstrapServers().isBlank()) {
            throw new ConfigurationException("TODO_KAFKA_BOOTSTRAP_SERVERS (todo.kafka.bootstrap-servers) is required"
                    + " when TODO_EVENTS_TRANSPORT is kafka");
        }
        this.settings = settings;
        this.member = member;
        this.security = security.properties();
        this.dispatcher = dispatcher;
        this.meters = meters;
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.putAll(this.security);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, settings.group() + "-producer");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        // a broker outage fails the relay's batch within this, and the relay tries again later
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) settings.deliveryTimeout().toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(settings.deliveryTimeout().toMillis() / 2, 10_000));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.deliveryTimeout().toMillis());
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        this.producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(meters);
    }

    /** The worker's static identity in its consumer group, if it has one. */
    java.util.Optional<String> instanceId() {
        return member.instanceId();
    }

    /** TLS and SASL settings the consumers use too. */
    Map<String, Object> security() {
        return security;
    }

    @Override
    public int publish(List<Outgoing> batch) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(batch.size());
        try {
            for (Outgoing o : batch) {
                sent.add(producer.send(record(o.topic(), o.event(), Map.of())));
            }
            producer.flush();
        } catch (KafkaException e) {
            LOG.warn("Kafka refused an event after {} of {}", sent.size(), batch.size(), e);
        }
        int accepted = 0;
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get(settings.deliveryTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("Kafka did not take event {} of a batch of {}; the relay will send it again", accepted + 1, batch.size(),
                        e instanceof ExecutionException ? e.getCause() : e);
                return accepted;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return accepted;
            }
            accepted++;
        }
        return accepted;
    }

    @Override
    public void publishDeadLetter(String topic, CloudEvent event, String consumer, String error) {
        Map<String, String> headers = Map.of("todo-consumer", consumer, "todo-error", error);
        try {
            producer.send(record(topic + DLQ_SUFFIX, event, headers)).get(settings.deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("dead-letter topic " + topic + DLQ_SUFFIX + " did not take the event", e);
        }
    }

    /** For messages that are not CloudEvents at all: they go to the dead-letter topic as they came. */
    void publishUnreadable(String topic, byte[] key, byte[] value, String error) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic + DLQ_SUFFIX, key, value);
        r.headers().add(new RecordHeader("todo-error", error.getBytes(StandardCharsets.UTF_8)));
        try {
            producer.send(r).get(settings.deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.error("An unreadable message from {} could not be copied to {}{}; it is skipped", topic, topic, DLQ_SUFFIX, e);
        }
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, CloudEvent event, Map<String, String> headers) {
        byte[] key = event.getSubject() == null ? null : event.getSubject().getBytes(StandardCharsets.UTF_8);
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, key, FORMAT.serialize(event));
        r.headers().add(new RecordHeader(CONTENT_TYPE, JsonFormat.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8)));
        headers.forEach((k, v) -> r.headers().add(new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8))));
        return r;
    }

    @EventListener
    public void onStartup(StartupEvent event) {
        start();
    }

    @EventListener
    public void onShutdown(ShutdownEvent event) {
        stop();
    }

    synchronized void start() {
        if (!loops.isEmpty()) {
            return;
        }
        EventDispatcher d = dispatcher.get();
        if (!d.topics(Audience.GROUP).isEmpty()) {
            loops.add(KafkaConsumerLoop.group(settings, d, this, meters, health));
        }
        if (!d.topics(Audience.BROADCAST).isEmpty()) {
            loops.add(KafkaConsumerLoop.broadcast(settings, d, this, meters, health));
        }
        loops.forEach(KafkaConsumerLoop::start);
        for (KafkaConsumerLoop loop : loops) {
            try {
                if (!loop.awaitPositioned(java.time.Duration.ofSeconds(10))) {
                    LOG.warn("Live sync has not reached Kafka within 10 s; it starts reading when it does");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops the consumers (committing what they handled); the producer closes with the context. */
    public synchronized void stop() {
        loops.forEach(KafkaConsumerLoop::stop);
        loops.clear();
    }

    @PreDestroy
    void close() {
        stop();
        producerMetrics.close();
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
