package dev.todo.events;

import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A background loop that works in rounds and waits between them on a PostgreSQL channel: a
 * NOTIFY on the channel can end the wait early; the round decides the longest wait. It holds one
 * connection for LISTEN and reconnects after losing it.
 */
public abstract class ListeningWorker {

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final DataSource dataSource;
    private final String channel;
    private final String threadName;
    private volatile boolean running;
    private Thread thread;

    protected ListeningWorker(DataSource dataSource, String channel, String threadName) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.threadName = threadName;
    }

    /** One round of work; returns how many milliseconds to wait before the next (0: at once). */
    protected abstract long round(Connection listener) throws SQLException;

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
        while (running) {
            try (Connection listener = dataSource.getConnection()) {
                try (Statement s = listener.createStatement()) {
                    s.execute("listen " + channel);
                }
                PGConnection pg = listener.unwrap(PGConnection.class);
                while (running) {
                    long wait = round(listener);
                    if (wait > 0) {
                        pg.getNotifications((int) wait);
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    log.warn("{} lost its database connection; retrying in 1 s", threadName, e);
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }
}
