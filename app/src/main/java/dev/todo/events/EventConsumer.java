package dev.todo.events;

import io.cloudevents.CloudEvent;

import java.util.Set;

/**
 * Something that acts on events. Every bean of this type is wired to the configured transport by
 * the {@link EventDispatcher}.
 * <p>
 * A consumer must be idempotent: the same event may arrive again after a crash or a retry. A
 * consumer with a side effect in the database records the event with
 * {@link ProcessedEvents#claim(String, CloudEvent)} in the same transaction (and does nothing when
 * the claim fails). Throwing from {@link #handle} means "this event failed": the dispatcher retries
 * it with backoff and, after the last attempt, dead-letters it. An unavailable database is not the
 * event's fault: it is never dead-lettered, the transport redelivers it later.
 */
public interface EventConsumer {

    /** A stable name: the key of its processed events and of its dead letters. */
    String name();

    /** The topic names it reads (as configured in {@link Outbox.Topics}). */
    Set<String> topics();

    /**
     * Whether every instance of the app receives every event (live sync to the browsers connected
     * to this instance) rather than one instance of the consumer group.
     */
    default boolean broadcast() {
        return false;
    }

    void handle(CloudEvent event) throws Exception;
}
