package dev.todo.events;

import io.cloudevents.CloudEvent;

import java.util.List;

/**
 * A consumer with a cheaper path for several events at once (one transaction for the lot). The
 * dispatcher hands it the events of one topic that arrived together, in order. When it throws, the
 * dispatcher goes over them again one at a time through {@link #handle}, so retries and dead letters
 * stay per event, and idempotency makes the repeat harmless. Annotate it {@code @Transactional}.
 */
public interface BatchEventConsumer extends EventConsumer {

    void handleAll(List<CloudEvent> events) throws Exception;
}
