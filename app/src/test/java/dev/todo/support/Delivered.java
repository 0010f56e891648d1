package dev.todo.support;

import dev.todo.events.EventDispatcher;
import io.cloudevents.CloudEvent;
import io.micronaut.context.ApplicationContext;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The events of one topic this process has delivered, each seen after every consumer handled it:
 * once an event shows here, its side effects are committed (or it was dead-lettered).
 */
public final class Delivered implements AutoCloseable {

    private final List<CloudEvent> events = new CopyOnWriteArrayList<>();
    private final EventDispatcher dispatcher;
    private final AutoCloseable subscription;

    private Delivered(ApplicationContext ctx, String topic) {
        this.dispatcher = ctx.getBean(EventDispatcher.class);
        this.subscription = dispatcher.observe(topic, events::add);
    }

    /** Watches a topic of the shared test server. */
    public static Delivered on(String topic) {
        return on(TestApp.server().getApplicationContext(), topic);
    }

    public static Delivered on(ApplicationContext ctx, String topic) {
        return new Delivered(ctx, topic);
    }

    public EventDispatcher dispatcher() {
        return dispatcher;
    }

    /** Delivered events of the type ({@code task.completed}) about the subject, in delivery order. */
    public List<CloudEvent> of(String type, String subject) {
        return events.stream().filter(e -> e.getType().equals("dev.todo." + type) && subject.equals(e.getSubject())).toList();
    }

    /** Waits until {@code count} such events have been handled; returns them. */
    public List<CloudEvent> await(String type, String subject, int count) {
        return Await.await(Duration.ofSeconds(10), () -> of(type, subject), l -> l.size() >= count);
    }

    /** Waits for the first such event and returns it. */
    public CloudEvent await(String type, String subject) {
        return await(type, subject, 1).get(0);
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
