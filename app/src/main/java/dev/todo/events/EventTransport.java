package dev.todo.events;

import io.cloudevents.CloudEvent;

import java.util.function.Consumer;

/**
 * Where the relay sends events: in process by default; Dapr pub/sub or Kafka in a cluster.
 * {@link #publish} returns normally only when the event is accepted; an exception means "retry later".
 */
public interface EventTransport {

    void publish(String topic, CloudEvent event);

    /** Registers a consumer of a topic; the handle unregisters it. */
    AutoCloseable subscribe(String topic, Consumer<CloudEvent> consumer);
}
