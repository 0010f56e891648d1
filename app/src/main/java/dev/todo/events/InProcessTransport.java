package dev.todo.events;

import io.cloudevents.CloudEvent;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Delivers to the consumers in this process, synchronously: publishing succeeds once every consumer
 * has handled the event, so a failing consumer makes the relay retry it (consumers are idempotent).
 */
@Singleton
public class InProcessTransport implements EventTransport {

    private final Map<String, List<Consumer<CloudEvent>>> consumers = new ConcurrentHashMap<>();

    @Override
    public void publish(String topic, CloudEvent event) {
        for (Consumer<CloudEvent> c : consumers.getOrDefault(topic, List.of())) {
            c.accept(event);
        }
    }

    @Override
    public AutoCloseable subscribe(String topic, Consumer<CloudEvent> consumer) {
        consumers.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(consumer);
        return () -> consumers.get(topic).remove(consumer);
    }
}
