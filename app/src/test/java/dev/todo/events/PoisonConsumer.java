package dev.todo.events;

import io.cloudevents.CloudEvent;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A consumer for tests only (present when {@code test.poison-consumer=true}): it fails on every event
 * about a task whose title contains "poison" while {@link #failing} is set, and counts what it handled.
 */
@Singleton
@Requires(property = "test.poison-consumer", value = "true")
public class PoisonConsumer implements EventConsumer {

    public static final AtomicBoolean failing = new AtomicBoolean(true);
    public static final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
    public static final AtomicInteger attempts = new AtomicInteger();

    @Override
    public String name() {
        return "poison-test";
    }

    @Override
    public Set<String> topics() {
        return Set.of("task-events");
    }

    @Override
    public void handle(CloudEvent event) {
        String data = new String(event.getData().toBytes(), StandardCharsets.UTF_8);
        if (data.contains("poison")) {
            attempts.incrementAndGet();
            if (failing.get()) {
                throw new IllegalStateException("cannot digest " + event.getId());
            }
        }
        handled.computeIfAbsent(event.getId(), k -> new AtomicInteger()).incrementAndGet();
    }
}
