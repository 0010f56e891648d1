package dev.todo.events.kafka;

import dev.todo.events.Backoff;
import dev.todo.events.WorkerHealth;

import dev.todo.events.EventDispatcher;
import dev.todo.events.EventDispatcher.Audience;
import io.cloudevents.CloudEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One consumer thread. In a group it polls, hands each partition's records to a small pool (in order
 * within the partition, partitions side by side), and commits the offsets of what was handled. A
 * record that must come again (the database is down) is sought back to, with backoff; nothing after
 * it in its partition is committed. Broadcast reads every partition from the end and commits nothing.
 */
final class KafkaConsumerLoop {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaConsumerLoop.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final KafkaSettings settings;
    private final EventDispatcher dispatcher;
    private final KafkaTransport transport;
    private final MeterRegistry meters;
    private final Audience audience;
    private final Set<String> topics;
    private final ExecutorService pool;
    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;
    private final Backoff backoff = new Backoff(Duration.ofMillis(200), MAX_BACKOFF);
    private final Backoff recovery = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
    private final WorkerHealth health;
    private final String name;
    private final java.util.concurrent.CountDownLatch positioned = new java.util.concurrent.CountDownLatch(1);

    private KafkaConsumerLoop(KafkaSettings settings, EventDispatcher dispatcher, KafkaTransport transport, MeterRegistry meters,
                              Audience audience, WorkerHealth health) {
        this.health = health;
        this.name = "kafka-" + audience.name().toLowerCase(java.util.Locale.ROOT) + "-consumer";
        this.settings = settings;
        this.dispatcher = dispatcher;
        this.transport = transport;
        this.meters = meters;
        this.audience = audience;
        this.topics = dispatcher.topics(audience);
        int threads = audience == Audience.GROUP ? Math.max(1, settings.consumerThreads()) : 1;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "kafka-" + audience.name().toLowerCase(java.util.Locale.ROOT) + "-handler");
            t.setDaemon(true);
            return t;
        });
    }

    static KafkaConsumerLoop group(KafkaSettings s, EventDispatcher d, KafkaTransport t, MeterRegistry m, WorkerHealth h) {
        return new KafkaConsumerLoop(s, d, t, m, Audience.GROUP, h);
    }

    static KafkaConsumerLoop broadcast(KafkaSettings s, EventDispatcher d, KafkaTransport t, MeterRegistry m, WorkerHealth h) {
        return new KafkaConsumerLoop(s, d, t, m, Audience.BROADCAST, h);
    }

    synchronized void start() {
        running = true;
        thread = new Thread(this::run, name);
        health.turned(name);
        thread.setDaemon(true);
        thread.start();
    }

    /** For broadcast: waits until the loop knows where the partitions end; false when it did not in time. */
    boolean awaitPositioned(Duration timeout) throws InterruptedException {
        return audience != Audience.BROADCAST || positioned.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
        running = false;
        health.stopped(name);
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pool.shutdownNow();
    }

    private Map<String, Object> config() {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        c.putAll(transport.security());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        if (audience == Audience.GROUP) {
            c.put(ConsumerConfig.GROUP_ID_CONFIG, settings.group());
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.group() + "-worker");
            // static membership: a worker restarted under its identity gets its partitions back at once
            // instead of after the killed one's session timed out (KafkaGroupMember says where it comes from)
            transport.instanceId().ifPresent(id -> c.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
            c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) settings.sessionTimeout().toMillis());
        } else {
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
            c.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.group() + "-live");
        }
        return c;
    }

    private void run() {
        while (running) {
            KafkaConsumer<byte[], byte[]> c = null;
            KafkaClientMetrics metrics = null;
            try {
                c = new KafkaConsumer<>(config(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
                metrics = new KafkaClientMetrics(c);
                metrics.bindTo(meters);
                consumer = c;
                if (audience == Audience.GROUP) {
                    runGroup(c);
                } else {
                    runBroadcast(c);
                }
            } catch (WakeupException e) {
                // stopping
            } catch (FencedInstanceIdException e) {
                LOG.error("Another running worker uses this one's identity {} in consumer group {}: give each its own"
                        + " TODO_KAFKA_INSTANCE_ID (or none); starting the consumer again", transport.instanceId().orElse(""),
                        settings.group());
                pause(Duration.ofSeconds(5));
            } catch (RuntimeException | Error e) {
                // an Error too: the loop must not end while the instance looks healthy
                if (running) {
                    health.recovered(name, e);
                    pause(recovery.failed());
                }
            } finally {
                consumer = null;
                if (metrics != null) {
                    metrics.close();
                }
                close(c);
            }
        }
    }

    /**
     * A static member does not leave its group on a plain close (a dynamic one does): that is what lets
     * a restart under the same identity take its partitions straight back, and it is kept when the
     * consumer is only being started again. When the worker stops, it leaves, so that a replacement
     * under another identity (a new pod) or the remaining workers get its partitions now rather than
     * after the session timeout.
     */
    private void close(KafkaConsumer<byte[], byte[]> c) {
        if (c == null) {
            return;
        }
        try {
            c.close(CloseOptions.groupMembershipOperation(running ? GroupMembershipOperation.DEFAULT : GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(10)));
        } catch (RuntimeException e) {
            LOG.warn("Closing the Kafka {} consumer failed", audience, e);
        }
    }

    private void runGroup(KafkaConsumer<byte[], byte[]> c) {
        Map<TopicPartition, OffsetAndMetadata> handled = new ConcurrentHashMap<>();
        c.subscribe(topics, new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                commit(c, handled); // hand over what was done, so the next owner does not repeat it
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                LOG.info("Consumer group {} assigned {}", settings.group(), partitions);
            }
        });
        while (running) {
            ConsumerRecords<byte[], byte[]> records = c.poll(POLL);
            health.turned(name);
            recovery.succeeded();
            if (records.isEmpty()) {
                continue;
            }
            List<Future<Long>> results = new ArrayList<>();
            List<TopicPartition> partitions = new ArrayList<>(records.partitions());
            for (TopicPartition tp : partitions) {
                List<ConsumerRecord<byte[], byte[]>> list = records.records(tp);
                results.add(pool.submit(() -> handlePartition(list, handled)));
            }
            boolean retry = false;
            for (int i = 0; i < partitions.size(); i++) {
                long retryAt = await(results.get(i));
                if (retryAt >= 0) {
                    c.seek(partitions.get(i), retryAt); // comes again with the next poll
                    retry = true;
                }
            }
            commit(c, handled);
            if (retry) {
                pause(backoff.failed());
            } else {
                backoff.succeeded();
            }
        }
        commit(c, handled);
    }

    /** Handles records of one partition in order; returns the offset to redeliver from, or -1 when all were handled. */
    private long handlePartition(List<ConsumerRecord<byte[], byte[]>> records, Map<TopicPartition, OffsetAndMetadata> handled) {
        List<CloudEvent> events = new ArrayList<>(records.size());
        for (ConsumerRecord<byte[], byte[]> r : records) {
            CloudEvent e = decode(r);
            if (e != null) {
                events.add(e);
            }
        }
        ConsumerRecord<byte[], byte[]> first = records.get(0);
        ConsumerRecord<byte[], byte[]> last = records.get(records.size() - 1);
        try {
            if (!events.isEmpty()) {
                dispatcher.deliverAll(first.topic(), events, audience);
            }
        } catch (EventDispatcher.RetryLaterException e) {
            LOG.warn("Events from {}-{}@{} will be delivered again: {}", first.topic(), first.partition(), first.offset(), e.getMessage());
            return first.offset();
        }
        handled.put(new TopicPartition(last.topic(), last.partition()), new OffsetAndMetadata(last.offset() + 1));
        return -1;
    }

    /** The record's CloudEvent, or null for a message that is none (copied to the dead-letter topic). */
    private CloudEvent decode(ConsumerRecord<byte[], byte[]> r) {
        try {
            return KafkaTransport.FORMAT.deserialize(r.value());
        } catch (RuntimeException e) {
            LOG.error("Message {}-{}@{} is not a CloudEvent; copying it to the dead-letter topic", r.topic(), r.partition(), r.offset(), e);
            transport.publishUnreadable(r.topic(), r.key(), r.value() == null ? new byte[0] : r.value(), String.valueOf(e.getMessage()));
            return null;
        }
    }

    private void commit(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, OffsetAndMetadata> handled) {
        if (handled.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(handled);
        try {
            c.commitSync(offsets);
            offsets.forEach(handled::remove);
        } catch (WakeupException e) {
            c.commitSync(offsets);
            offsets.forEach(handled::remove);
            throw e;
        } catch (RuntimeException e) {
            // not committed: these events come again and the consumers skip them as processed
            LOG.warn("Committing offsets {} failed", offsets, e);
            handled.clear();
        }
    }

    private void runBroadcast(KafkaConsumer<byte[], byte[]> c) {
        List<TopicPartition> all = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = c.partitionsFor(topic);
            if (infos != null) {
                infos.forEach(p -> all.add(new TopicPartition(p.topic(), p.partition())));
            }
        }
        c.assign(all);
        c.seekToEnd(all);
        all.forEach(c::position); // resolve "the end" now, not at the first poll: what comes after start is seen
        positioned.countDown();
        LOG.info("Live sync reads {}", all);
        while (running) {
            ConsumerRecords<byte[], byte[]> polled = c.poll(POLL);
            health.turned(name);
            recovery.succeeded();
            for (ConsumerRecord<byte[], byte[]> r : polled) {
                try {
                    CloudEvent e0 = decode(r);
                    if (e0 != null) {
                        dispatcher.deliver(r.topic(), e0, audience);
                    }
                } catch (RuntimeException | Error e) {
                    LOG.warn("Live sync could not pass on {}-{}@{}", r.topic(), r.partition(), r.offset(), e);
                }
            }
        }
    }

    private static long await(Future<Long> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        } catch (ExecutionException e) {
            throw new IllegalStateException("handling a partition failed", e.getCause());
        }
    }

    private void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
