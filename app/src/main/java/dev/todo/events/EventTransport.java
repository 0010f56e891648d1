package dev.todo.events;

import io.cloudevents.CloudEvent;

import java.util.List;

/**
 * Where events travel: in process by default, Dapr pub/sub or Kafka in a cluster
 * ({@code todo.events.transport}). The relay publishes through it; the transport delivers what it
 * receives to the {@link EventDispatcher} (consumer groups and broadcast consumers alike).
 */
public interface EventTransport {

    /** One event bound for a topic; the key of a message is the event's subject (the task id). */
    record Outgoing(String topic, CloudEvent event) {
    }

    /**
     * Publishes the events in order and returns how many of them, from the start, were accepted for
     * good. Anything after the first refusal is left for the relay to retry, so order is kept.
     */
    int publish(List<Outgoing> batch);

    /**
     * Sends a copy of a dead-lettered event to the topic's dead-letter topic ({@code <topic>-dlq}) where
     * the platform has one, for the cluster's own tooling. The database record is what replay uses.
     */
    default void publishDeadLetter(String topic, CloudEvent event, String consumer, String error) {
    }
}
