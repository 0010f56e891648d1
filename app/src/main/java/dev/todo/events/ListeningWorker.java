package dev.todo.events;

import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A background loop that works in rounds and waits between them on a PostgreSQL channel: a
 * NOTIFY on the channel can end the wait early; the round decides the longest wait. It holds one
 * connection for LISTEN and reconnects after losing it.
 *
 * <p>The loop never dies silently: an unexpected failure in a round (a RuntimeException, or an
 * Error such as OutOfMemoryError) is logged, counted in {@code todo.workers.restarts} and followed
 * by a backoff and the next round; each turn is reported to {@link WorkerHealth}, which turns
 * {@code /health/liveness} DOWN when the loop stops turning.
 */
public abstract class ListeningWorker {

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final DataSource dataSource;
    private final String channel;
    private final String threadName;
    private volatile boolean running;
    private Thread thread;
    private WorkerHealth health;
    private final Backoff recovery = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30));

    protected ListeningWorker(DataSource dataSource, String channel, String threadName) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.threadName = threadName;
    }

    /** One round of work; returns how many milliseconds to wait before the next (0: at once). */
    protected abstract long round(Connection listener) throws SQLException;

    @Inject
    void setWorkerHealth(WorkerHealth health) {
        this.health = health;
    }

    protected WorkerHealth workerHealth() {
        return health;
    }

    protected DataSource dataSource() {
        return dataSource;
    }

    @EventListener
    public void onStartup(StartupEvent event) {
        start();
    }

    /** Stops before the connection pool closes, so a normal shutdown logs no lost connection. */
    @EventListener
    public void onShutdown(ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    public synchronized void stop() {
        running = false;
        if (health != null) {
            health.stopped(threadName);
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        turned();
        while (running) {
            try (Connection listener = dataSource.getConnection()) {
                try (Statement s = listener.createStatement()) {
                    s.execute("listen " + channel);
                }
                PGConnection pg = listener.unwrap(PGConnection.class);
                while (running) {
                    long wait = round(listener);
                    recovery.succeeded();
                    turned();
                    if (wait > 0) {
                        pg.getNotifications((int) wait);
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    log.warn("{} lost its database connection; retrying in 1 s", threadName, e);
                    turned(); // alive, waiting for the database: not a stall
                    if (!pause(Duration.ofSeconds(1))) {
                        return;
                    }
                }
            } catch (RuntimeException | Error e) {
                if (!running) {
                    return;
                }
                Duration wait = recovery.failed();
                if (health != null) {
                    health.recovered(threadName, e);
                } else {
                    log.error("{} failed unexpectedly; next round in {} ms", threadName, wait.toMillis(), e);
                }
                if (!pause(wait)) {
                    return;
                }
            }
        }
    }

    private void turned() {
        if (health != null && running) {
            health.turned(threadName);
        }
    }

    private static boolean pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
