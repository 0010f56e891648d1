package dev.todo.events;

import io.cloudevents.CloudEvent;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /**
     * Hands each topic's events to its consumers as one batch (order within a topic is kept; topics are
     * independent). Returns the position of the first event of a topic that must come again, or all.
     */
    @Override
    public int publish(List<Outgoing> batch) {
        Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            byTopic.computeIfAbsent(batch.get(i).topic(), t -> new ArrayList<>()).add(i);
        }
        int accepted = batch.size();
        for (Map.Entry<String, List<Integer>> e : byTopic.entrySet()) {
            List<CloudEvent> events = e.getValue().stream().map(i -> batch.get(i).event()).toList();
            try {
                dispatcher.get().deliverAll(e.getKey(), events, EventDispatcher.Audience.ALL);
            } catch (EventDispatcher.RetryLaterException ex) {
                accepted = Math.min(accepted, e.getValue().get(0));
            }
        }
        return accepted;
    }
}
