package dev.todo.events;

import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.support.TransactionSynchronization;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Wakes the {@link ListeningWorker}s waiting on a channel, in this process and in others, after a
 * commit that gave them work: the writer marks the channel, and one background thread sends a
 * NOTIFY for every marked channel in a transaction of its own.
 *
 * <p>Why not a NOTIFY in the writer's transaction (a trigger): PostgreSQL serialises the commits
 * of all transactions that notify, behind one lock held until the commit is on disk, so every
 * create waited for the previous one's WAL flush. Here the writers' commits stay independent,
 * a burst of commits shares one NOTIFY, and the NOTIFY's own transaction needs no flush (it
 * carries no data: a lost wake-up costs a worker's polling interval, never an event).
 *
 * <p>Order: a channel is marked after the writer's commit and unmarked before the NOTIFY is sent,
 * so a worker woken by it sees every row committed before the mark.
 */
@Singleton
public class Wakeups {

    private static final Logger LOG = LoggerFactory.getLogger(Wakeups.class);
    /**
     * Shortest gap between two NOTIFYs: under load, one wakes the workers for every commit in the
     * gap, so each relay round (and the consumers' transaction it drives) carries the gap's events.
     * The first commit after a quiet spell is announced at once; only a steady stream waits, by at
     * most the gap. At 2 ms a stream of 1,000 creates/s cost 0.63 background transactions per create
     * (NOTIFYs, relay rounds, consumer batches); at 20 ms 0.23 (docs/benchmarks.md).
     */
    static final Duration MIN_GAP = Duration.ofMillis(20);

    private final DataSource pool;
    private final TransactionOperations<Connection> transactions;
    private final Map<String, AtomicBoolean> marked = new ConcurrentHashMap<>();
    private final AtomicBoolean anyMarked = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean running = true;
    private Thread thread;

    public Wakeups(DataSource dataSource, DataSourceResolver resolver, TransactionOperations<Connection> transactions) {
        this.pool = resolver.resolve(dataSource);
        this.transactions = transactions;
    }

    /**
     * Wakes the channel's workers once the current transaction commits (nothing if it rolls back),
     * or now when there is no transaction (the write has committed).
     */
    public void afterCommit(String channel) {
        var status = transactions.findTransactionStatus();
        if (status.isEmpty()) {
            now(channel);
            return;
        }
        status.get().registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                now(channel);
            }
        });
    }

    /** Wakes the channel's workers: for a writer that has just committed on a connection of its own. */
    public void now(String channel) {
        AtomicBoolean flag = marked.computeIfAbsent(channel, k -> new AtomicBoolean());
        if (flag.compareAndSet(false, true) && anyMarked.compareAndSet(false, true)) {
            LockSupport.unpark(sender());
        }
    }

    /** NOTIFYs sent by this process (each may stand for many commits). */
    public long sentCount() {
        return sent.get();
    }

    private synchronized Thread sender() {
        if (thread == null) {
            thread = new Thread(this::run, "wakeups");
            thread.setDaemon(true);
            thread.start();
        }
        return thread;
    }

    private void run() {
        while (running) {
            if (!anyMarked.getAndSet(false)) {
                LockSupport.park(this);
                continue;
            }
            StringBuilder sql = new StringBuilder("set local synchronous_commit = off");
            marked.forEach((channel, flag) -> {
                if (flag.getAndSet(false)) {
                    sql.append("; notify ").append(channel);
                }
            });
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.execute(sql.toString());
                }
                c.commit();
                sent.incrementAndGet();
            } catch (SQLException | RuntimeException e) {
                // the workers poll as well: a missed wake-up delays them by their interval at most;
                // the thread carries on with the next
                LOG.debug("Could not wake workers ({}); they find the work on their next look", sql, e);
            }
            long until = System.nanoTime() + MIN_GAP.toNanos();
            for (long left = MIN_GAP.toNanos(); left > 0 && running; left = until - System.nanoTime()) {
                LockSupport.parkNanos(left);
            }
        }
    }

    @PreDestroy
    synchronized void close() {
        running = false;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }
}
