package dev.todo.events;

import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

@Singleton
public class InProcessEvents implements DomainEvents {

    private static final Logger LOG = LoggerFactory.getLogger(InProcessEvents.class);
    private final List<Consumer<DomainEvent>> consumers = new CopyOnWriteArrayList<>();

    @Override
    public void publish(DomainEvent event) {
        LOG.debug("{} {} for {}", event.type(), event.id(), event.subject());
        for (Consumer<DomainEvent> c : consumers) {
            try {
                c.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("Consumer failed on {} {}", event.type(), event.id(), e);
            }
        }
    }

    @Override
    public AutoCloseable subscribe(Consumer<DomainEvent> consumer) {
        consumers.add(consumer);
        return () -> consumers.remove(consumer);
    }
}
