package dev.todo.events;

import java.util.function.Consumer;

/**
 * The app's event interface. This implementation delivers in process after the change has
 * committed; the transactional outbox and the Dapr/Kafka transports replace it behind this interface.
 */
public interface DomainEvents {

    void publish(DomainEvent event);

    /** Registers a consumer; returns a handle that unregisters it. */
    AutoCloseable subscribe(Consumer<DomainEvent> consumer);
}
