package dev.todo.events;

import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * The embedded default: the relay hands each event to this process's consumers. Still fed by the
 * outbox, so an event is delivered only after its transaction committed and is delivered again
 * after a crash. Publishing returns once every consumer has handled the event (or dead-lettered
 * it); when the database is unavailable the event is refused and the relay retries it.
 */
@Singleton
@Requires(property = EventTransports.PROPERTY, value = EventTransports.IN_PROCESS, defaultValue = EventTransports.IN_PROCESS)
public class InProcessTransport implements EventTransport {

    private final BeanProvider<EventDispatcher> dispatcher;

    public InProcessTransport(BeanProvider<EventDispatcher> dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public int publish(List<Outgoing> batch) {
        int accepted = 0;
        for (Outgoing o : batch) {
            try {
                dispatcher.get().deliver(o.topic(), o.event(), EventDispatcher.Audience.ALL);
            } catch (EventDispatcher.RetryLaterException e) {
                return accepted;
            }
            accepted++;
        }
        return accepted;
    }
}
