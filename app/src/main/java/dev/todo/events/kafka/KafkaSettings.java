package dev.todo.events.kafka;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * Kafka settings: {@code TODO_KAFKA_BOOTSTRAP_SERVERS}; {@code TODO_KAFKA_GROUP}, the worker's consumer
 * group (the operator sets {@code todo-<namespace>-<platform>}); {@code todo.kafka.consumer-threads},
 * how many partitions a worker handles at once; {@code todo.kafka.delivery-timeout}, how long a send
 * may wait for the broker before the relay gives up on it and tries again; {@code TODO_KAFKA_INSTANCE_ID},
 * the worker's static identity in the group (see {@link KafkaGroupMember}); {@code TODO_KAFKA_SESSION_TIMEOUT},
 * how long the group waits for a worker that stopped answering before its partitions go to the others.
 */
@Singleton
@Requires(property = dev.todo.events.EventTransports.PROPERTY, value = dev.todo.events.EventTransports.KAFKA)
public record KafkaSettings(@Value("${todo.kafka.bootstrap-servers:}") String bootstrapServers,
                            @Value("${todo.kafka.group:todo}") String group,
                            @Value("${todo.kafka.consumer-threads:4}") int consumerThreads,
                            @Value("${todo.kafka.delivery-timeout:30s}") Duration deliveryTimeout,
                            @Value("${todo.kafka.instance-id:}") String instanceId,
                            @Value("${todo.kafka.session-timeout:20s}") Duration sessionTimeout) {
}
