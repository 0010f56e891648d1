package dev.todo.events;

import io.cloudevents.CloudEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Value;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Hands an event that arrived on a topic to the consumers of that topic, whatever the transport.
 * <ul>
 * <li>A consumer that throws is retried with exponential backoff, up to {@code todo.events.max-attempts}
 * attempts in all; then the event is dead-lettered for that consumer (recorded for inspection and replay)
 * and the others go on.</li>
 * <li>A failure of the database (connection refused, lost, pool exhausted) is not the event's fault:
 * {@link RetryLaterException} tells the transport to redeliver it later (Kafka: not committed; Dapr:
 * RETRY; in process: the relay retries). Consumers that already handled it skip it then.</li>
 * </ul>
 */
@Singleton
public class EventDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

    /** Which consumers an arriving event is for. */
    public enum Audience {
        /** the consumer group: each event goes to one instance of the app */
        GROUP,
        /** every instance: live sync */
        BROADCAST,
        /** both, when one delivery reaches the only instance (in process) */
        ALL
    }

    /** The event could not be handled now for reasons outside it; deliver it again later. */
    public static class RetryLaterException extends RuntimeException {
        RetryLaterException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final List<EventConsumer> consumers;
    private final DeadLetters deadLetters;
    private final int maxAttempts;
    private final Duration firstBackoff;
    private final Map<String, List<Consumer<CloudEvent>>> observers = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final TransactionOperations<Connection> transactions;

    public EventDispatcher(List<EventConsumer> consumers, DeadLetters deadLetters, MeterRegistry meters,
                           TransactionOperations<Connection> transactions,
                           @Value("${todo.events.max-attempts:5}") int maxAttempts,
                           @Value("${todo.events.first-backoff:100ms}") Duration firstBackoff) {
        this.consumers = List.copyOf(consumers);
        this.transactions = transactions;
        this.deadLetters = deadLetters;
        this.meters = meters;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.firstBackoff = firstBackoff;
    }

    public List<EventConsumer> consumers() {
        return consumers;
    }

    /** The topics a transport must receive for this audience, sorted. */
    public Set<String> topics(Audience audience) {
        Set<String> topics = new TreeSet<>();
        consumers.stream().filter(c -> matches(c, audience)).forEach(c -> topics.addAll(c.topics()));
        return topics;
    }

    private static boolean matches(EventConsumer c, Audience audience) {
        return audience == Audience.ALL || c.broadcast() == (audience == Audience.BROADCAST);
    }

    /**
     * Delivers one event to every consumer of the topic in the audience. Returns when each has
     * handled it or dead-lettered it; throws {@link RetryLaterException} when it must come again.
     */
    public void deliver(String topic, CloudEvent event, Audience audience) {
        deliverAll(topic, List.of(event), audience);
    }

    /**
     * Delivers events that arrived together on one topic, in order. The {@link BatchEventConsumer}s
     * first get them all at once, together in one transaction (one commit for the lot rather than one
     * each); when one of them fails, that transaction is undone and each goes again in its own, then,
     * if its batch fails, one event at a time (with retries and dead letters per event). The other
     * consumers get them afterwards, one at a time. Throws {@link RetryLaterException} when they must come again
     * (all of them: consumers skip what they did).
     */
    public void deliverAll(String topic, List<CloudEvent> events, Audience audience) {
        List<BatchEventConsumer> batchConsumers = new ArrayList<>();
        List<EventConsumer> others = new ArrayList<>();
        for (EventConsumer c : consumers) {
            if (matches(c, audience) && c.topics().contains(topic)) {
                if (c instanceof BatchEventConsumer batch) {
                    batchConsumers.add(batch);
                } else {
                    others.add(c);
                }
            }
        }
        if (!batchConsumers.isEmpty() && !(batchConsumers.size() > 1 && together(batchConsumers, events))) {
            for (BatchEventConsumer c : batchConsumers) {
                if (events.size() == 1) {
                    deliver(c, topic, events.get(0));
                } else {
                    deliverBatch(c, topic, events);
                }
            }
        }
        for (EventConsumer c : others) {
            for (CloudEvent event : events) {
                deliver(c, topic, event);
            }
        }
        if (audience != Audience.BROADCAST) {
            for (Consumer<CloudEvent> o : observers.getOrDefault(topic, List.of())) {
                events.forEach(o);
            }
        }
    }

    /** All the batch consumers in one transaction; false when one failed and it was undone. */
    private boolean together(List<BatchEventConsumer> batchConsumers, List<CloudEvent> events) {
        long start = System.nanoTime();
        try {
            transactions.executeWrite(status -> {
                for (BatchEventConsumer c : batchConsumers) {
                    c.handleAll(events);
                }
                return null;
            });
        } catch (Exception | Error e) {
            if (isUnavailable(e)) {
                throw new RetryLaterException("database unavailable while the consumers handled a batch", e);
            }
            meters.counter("todo.events.batches", "consumer", "all", "outcome", "each-alone").increment();
            LOG.info("A batch of {} failed in the consumers' shared transaction; each consumer takes it alone", events.size(), e);
            return false;
        }
        long each = (System.nanoTime() - start) / batchConsumers.size();
        for (BatchEventConsumer c : batchConsumers) {
            handled(c, events.size(), each);
        }
        return true;
    }

    /** One consumer's batch in its own transaction, or one event at a time when that fails. */
    private void deliverBatch(BatchEventConsumer c, String topic, List<CloudEvent> events) {
        long start = System.nanoTime();
        try {
            c.handleAll(events);
            handled(c, events.size(), System.nanoTime() - start);
            return;
        } catch (Exception | Error e) {
            // an Error too (out of memory on one event): the events are tried one by one, the poison one dead-lettered
            if (isUnavailable(e)) {
                throw new RetryLaterException("database unavailable while " + c.name() + " handled a batch", e);
            }
            meters.counter("todo.events.batches", "consumer", c.name(), "outcome", "one-by-one").increment();
            LOG.info("{} failed on a batch of {}; handling them one by one", c.name(), events.size(), e);
        }
        for (CloudEvent event : events) {
            deliver(c, topic, event);
        }
    }

    /** Counts a batch a consumer handled, and each of its events as handled in its share of the time. */
    private void handled(EventConsumer c, int events, long nanos) {
        meters.counter("todo.events.batches", "consumer", c.name(), "outcome", "success").increment();
        Timer timer = meters.timer("todo.events.handled", "consumer", c.name(), "outcome", "success");
        for (int i = 0; i < events; i++) {
            timer.record(nanos / events, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** Runs one consumer on one event with retries; dead-letters it after the last attempt. */
    void deliver(EventConsumer consumer, String topic, CloudEvent event) {
        Timer.Sample sample = Timer.start(meters);
        Throwable last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            try {
                consumer.handle(event);
                sample.stop(meters.timer("todo.events.handled", "consumer", consumer.name(), "outcome", "success"));
                return;
            } catch (Exception | Error e) {
                // an Error (out of memory, stack overflow on one event) is the event's fault as much as an
                // exception: retried, then dead-lettered, so it cannot stay first in line and stop the loop
                if (isUnavailable(e)) {
                    sample.stop(meters.timer("todo.events.handled", "consumer", consumer.name(), "outcome", "retry-later"));
                    throw new RetryLaterException("database unavailable while " + consumer.name() + " handled " + event.getId(), e);
                }
                last = e;
                LOG.warn("{} failed on {} {} (attempt {} of {})", consumer.name(), event.getType(), event.getId(), attempt, maxAttempts, e);
                if (attempt < maxAttempts) {
                    pause(Backoff.delay(firstBackoff, firstBackoff.multipliedBy(1024), attempt));
                }
            }
        }
        sample.stop(meters.timer("todo.events.handled", "consumer", consumer.name(), "outcome", "dead-lettered"));
        Counter.builder("todo.events.dead.lettered").tag("consumer", consumer.name()).register(meters).increment();
        try {
            deadLetters.record(consumer.name(), topic, event, describe(last), maxAttempts);
        } catch (RuntimeException e) {
            throw new RetryLaterException("could not record the dead letter of " + event.getId(), e);
        }
    }

    /** Runs the named consumer once on a replayed event; the exception is the reason it failed again. */
    public void replay(String consumerName, CloudEvent event) throws Exception {
        EventConsumer consumer = consumers.stream().filter(c -> c.name().equals(consumerName)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no consumer named " + consumerName + " runs here"));
        consumer.handle(event);
    }

    /**
     * Calls {@code observer} with each event of the topic this instance receives for its consumer
     * group, after the consumers; for diagnostics and tests. The handle removes it.
     */
    public AutoCloseable observe(String topic, Consumer<CloudEvent> observer) {
        observers.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(observer);
        return () -> observers.get(topic).remove(observer);
    }

    static String describe(Throwable e) {
        if (e == null) {
            return "unknown";
        }
        StringBuilder s = new StringBuilder();
        for (Throwable t = e; t != null && s.length() < 2000; t = t.getCause() == t ? null : t.getCause()) {
            if (!s.isEmpty()) {
                s.append(" / caused by ");
            }
            s.append(t.getClass().getName()).append(": ").append(t.getMessage());
        }
        return s.length() > 2000 ? s.substring(0, 2000) : s.toString();
    }

    static boolean isUnavailable(Throwable e) {
        return dev.todo.db.DatabaseUnavailable.causes(e);
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryLaterException("interrupted while backing off", e);
        }
    }
}
