package dev.todo.events;

import dev.todo.support.TestApp;
import io.micronaut.context.ApplicationContext;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Workers are woken by a NOTIFY sent after the writer's commit, never before it and never for a
 * rolled-back write, and a burst of commits shares NOTIFYs. Listens on a real PostgreSQL connection.
 */
class WakeupsTest {

    private static ApplicationContext ctx;
    private static Wakeups wakeups;
    private static TransactionOperations<Connection> tx;
    private static DataSource pool;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void start() {
        Map<String, Object> props = new java.util.HashMap<>(TestApp.properties("wakeups"));
        props.put("todo.events.relay.enabled", false); // the test's events stay in the outbox
        ctx = ApplicationContext.run(props, "test");
        wakeups = ctx.getBean(Wakeups.class);
        tx = ctx.getBean(TransactionOperations.class);
        pool = TestApp.dataSource(ctx);
    }

    @AfterAll
    static void stop() {
        ctx.close();
    }

    @Test
    void anEventWakesTheRelayOnlyOnceItsTransactionCommits() throws Exception {
        Outbox outbox = ctx.getBean(Outbox.class);
        try (Listener l = new Listener(Outbox.CHANNEL, "wakeups_probe")) {
            tx.executeWrite(status -> {
                outbox.task("task.created", UUID.randomUUID(), UUID.randomUUID(), Map.of("task", Map.of()));
                // a wake-up asked for after the write arrives while the transaction is open: the
                // relay's did not go out with it
                wakeups.now("wakeups_probe");
                assertThat(l.until("wakeups_probe")).doesNotContain(Outbox.CHANNEL);
                return null;
            });
            assertThat(l.until(Outbox.CHANNEL)).contains(Outbox.CHANNEL);
        }
    }

    @Test
    void aRolledBackWriteWakesNobody() throws Exception {
        try (Listener l = new Listener("wakeups_rolled_back", "wakeups_probe")) {
            tx.execute(io.micronaut.transaction.TransactionDefinition.DEFAULT, status -> {
                wakeups.afterCommit("wakeups_rolled_back");
                status.setRollbackOnly();
                return null;
            });
            // asked for after the rollback: an earlier wake-up would have arrived before it
            wakeups.now("wakeups_probe");
            assertThat(l.until("wakeups_probe")).doesNotContain("wakeups_rolled_back");
        }
    }

    @Test
    void aBurstOfCommitsSharesNotifies() throws Exception {
        try (Listener l = new Listener("wakeups_burst")) {
            long before = wakeups.sentCount();
            int commits = 200;
            for (int i = 0; i < commits; i++) {
                tx.executeWrite(status -> {
                    wakeups.afterCommit("wakeups_burst");
                    return null;
                });
            }
            assertThat(l.until("wakeups_burst")).contains("wakeups_burst");
            assertThat(wakeups.sentCount() - before).isBetween(1L, (long) commits / 4);
        }
    }

    @Test
    void aSteadyStreamOfCommitsGetsAtMostOneNotifyPerGap() throws Exception {
        try (Listener l = new Listener("wakeups_stream")) {
            long before = wakeups.sentCount();
            long started = System.nanoTime();
            int commits = 0;
            // commits one after another for ten gaps at least, and a hundred of them at least: a stream, not one burst
            while (commits < 100 || System.nanoTime() - started < Wakeups.MIN_GAP.toNanos() * 10) {
                tx.executeWrite(status -> {
                    wakeups.afterCommit("wakeups_stream");
                    return null;
                });
                commits++;
            }
            long elapsed = System.nanoTime() - started;
            assertThat(l.until("wakeups_stream")).contains("wakeups_stream");
            long sent = wakeups.sentCount() - before;
            // the first at once, then one per gap at most (and one more for the commits of the last gap)
            assertThat(sent).isBetween(1L, elapsed / Wakeups.MIN_GAP.toNanos() + 2);
            assertThat(sent).as("NOTIFYs for %d commits", commits).isLessThan(commits);
        }
    }

    /** A LISTEN connection of its own. */
    private static final class Listener implements AutoCloseable {
        private final Connection c;
        private final List<String> heard = new ArrayList<>();

        Listener(String... channels) throws SQLException {
            c = pool.getConnection();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                for (String ch : channels) {
                    s.execute("listen " + ch);
                }
            }
        }

        /** Every channel heard so far, once {@code channel} is among them (fails after 10 s). */
        List<String> until(String channel) throws SQLException {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            PGConnection pg = c.unwrap(PGConnection.class);
            while (!heard.contains(channel)) {
                long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
                assertThat(left).as("a NOTIFY on %s within 10 s; heard %s", channel, heard).isPositive();
                // a bounded wait, looked at again: the driver's timed wait may return only at its timeout
                PGNotification[] got = pg.getNotifications((int) Math.min(left, 100));
                if (got != null) {
                    for (PGNotification n : got) {
                        heard.add(n.getName());
                    }
                }
            }
            return List.copyOf(heard);
        }

        @Override
        public void close() throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute("unlisten *");
            }
            c.close();
        }
    }
}
