package dev.todo.bench;

import dev.todo.events.Outbox;
import dev.todo.recurrence.OccurrencePlanner;
import dev.todo.recurrence.Recurrence;
import dev.todo.reminders.ReminderScheduler;
import dev.todo.support.TestApp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.jdbc.DataSourceResolver;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Benchmark, run with {@code ./mvnw -pl app test -Pbench}: 100,000 pending reminders of which 1,000
 * come due within the same second. The whole path runs: the scheduler fires them (writing
 * reminder.due to the outbox), the relay publishes, the notifier consumer creates the notifications
 * (the activity consumer logs the events alongside). Prints the lateness of the notifications
 * (created − fireAt, what a user sees) and of the firing (firedAt − fireAt), checks none was lost
 * or doubled, measures the idle scheduler's database load, then the lateness of reminders coming due
 * one at a time, and times rule expansion.
 */
class ReminderBench {

    static final int PENDING = 100_000;
    static final int DUE_TOGETHER = 1_000;
    static final int LONE = 20;

    @Test
    void remindersDueInTheSameSecond() throws Exception {
        Map<String, Object> props = new HashMap<>(TestApp.properties("bench_reminders"));
        // the bench starts its own scheduler; the relay and the consumers run as in production
        props.put("todo.reminders.scheduler.enabled", false);
        try (ApplicationContext ctx = ApplicationContext.run(props, "test")) {
            DataSource ds = TestApp.dataSource(ctx);
            UUID user = UUID.randomUUID();
            UUID task = UUID.randomUUID();
            Instant second;
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("truncate notifications, reminders");
                s.execute("insert into users (id, username, password_hash) values ('" + user + "', 'bench-" + user + "', 'x')");
                s.execute("insert into tasks (id, user_id, title, time_zone, created_at, updated_at) values ('" + task + "', '"
                        + user + "', 'bench', 'UTC', now(), now())");
                s.execute("insert into reminders (id, task_id, user_id, position, at, fire_at) select gen_random_uuid(), '" + task
                        + "', '" + user + "', 0, t, t from (select now() + interval '1 day' + (g * interval '1 second') t"
                        + " from generate_series(1, " + (PENDING - DUE_TOGETHER) + ") g) x");
                s.execute("analyze reminders");
                second = Instant.now().plusSeconds(4).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
                s.execute("insert into reminders (id, task_id, user_id, position, at, fire_at) select gen_random_uuid(), '" + task
                        + "', '" + user + "', 0, t, t from (select timestamptz '" + second + "' + (random() * interval '999 milliseconds') t"
                        + " from generate_series(1, " + DUE_TOGETHER + ")) x");
            }
            ReminderScheduler scheduler = new ReminderScheduler(ctx.getBean(DataSource.class), ctx.getBean(DataSourceResolver.class), ctx.getBean(Outbox.class),
                    ctx.getBean(Outbox.Topics.class), new SimpleMeterRegistry(), 2);
            scheduler.start();
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (notifications(ds) < DUE_TOGETHER && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                List<Long> lateMs = new ArrayList<>();
                List<Long> firingMs = new ArrayList<>();
                int distinct;
                try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("select extract(epoch from (created_at - fire_at)) * 1000,"
                             + " extract(epoch from (fired_at - fire_at)) * 1000 from notifications")) {
                    while (rs.next()) {
                        lateMs.add(Math.round(rs.getDouble(1)));
                        firingMs.add(Math.round(rs.getDouble(2)));
                    }
                }
                try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("select count(distinct reminder_id) from notifications")) {
                    rs.next();
                    distinct = rs.getInt(1);
                }
                Collections.sort(lateMs);
                Collections.sort(firingMs);
                System.out.printf("RESULT reminders: %d pending, %d due within %s..+1s: fired %d, notified %d (distinct %d)%n", PENDING,
                        DUE_TOGETHER, second, scheduler.firedCount(), lateMs.size(), distinct);
                System.out.printf("RESULT notification lateness (created - fireAt) p50 %d ms, p99 %d ms, max %d ms%n", pct(lateMs, 50),
                        pct(lateMs, 99), lateMs.get(lateMs.size() - 1));
                System.out.printf("RESULT firing lateness (firedAt - fireAt) p50 %d ms, p99 %d ms, max %d ms%n", pct(firingMs, 50),
                        pct(firingMs, 99), firingMs.get(firingMs.size() - 1));
                assertThat(lateMs).as("none lost, none doubled").hasSize(DUE_TOGETHER);
                assertThat(distinct).isEqualTo(DUE_TOGETHER);

                long before = transactions(ds);
                long statementsBefore = scheduler.statementCount();
                Instant idleFrom = Instant.now();
                Thread.sleep(20_000);
                long after = transactions(ds);
                double secs = Duration.between(idleFrom, Instant.now()).toMillis() / 1000.0;
                System.out.printf("RESULT idle scheduler: %.2f statements/s from the scheduler over %.0f s with %d pending;"
                                + " %.2f transactions/s in the database from all sources (incl. the idle relay, autovacuum after the burst)%n",
                        (scheduler.statementCount() - statementsBefore) / secs, secs, PENDING - DUE_TOGETHER,
                        (after - before - 1) / secs);

                // the everyday case: reminders that come due one at a time
                Instant loneFrom = Instant.now().plusSeconds(1);
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.execute("insert into reminders (id, task_id, user_id, position, at, fire_at) select gen_random_uuid(), '" + task
                            + "', '" + user + "', 0, t, t from (select timestamptz '" + loneFrom + "' + (g * interval '300 milliseconds') t"
                            + " from generate_series(0, " + (LONE - 1) + ") g) x");
                }
                deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (notifications(ds) < DUE_TOGETHER + LONE && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                List<Long> loneMs = new ArrayList<>();
                try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("select extract(epoch from (created_at - fire_at)) * 1000 from notifications"
                             + " where fire_at >= timestamptz '" + loneFrom + "'")) {
                    while (rs.next()) {
                        loneMs.add(Math.round(rs.getDouble(1)));
                    }
                }
                Collections.sort(loneMs);
                assertThat(loneMs).hasSize(LONE);
                System.out.printf("RESULT %d lone reminders 300 ms apart: notification lateness p50 %d ms, max %d ms%n", LONE,
                        pct(loneMs, 50), loneMs.get(loneMs.size() - 1));
            } finally {
                scheduler.stop();
            }
        }
    }

    @Test
    void expandingAThousandOccurrences() {
        ZonedDateTime start = ZonedDateTime.of(2026, 1, 1, 9, 0, 0, 0, ZoneId.of("Europe/Berlin"));
        for (String rule : List.of("FREQ=DAILY", "FREQ=WEEKLY;BYDAY=MO,WE,FR", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
                "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29")) {
            var parsed = Recurrence.parseRule(rule, "rule");
            for (int i = 0; i < 200; i++) {
                OccurrencePlanner.after(parsed, List.of(), start, start.toInstant().minusSeconds(1), 1000);
            }
            List<Long> micros = new ArrayList<>();
            int produced = 0;
            for (int i = 0; i < 200; i++) {
                long t0 = System.nanoTime();
                produced = OccurrencePlanner.after(parsed, List.of(), start, start.toInstant().minusSeconds(1), 1000).size();
                micros.add((System.nanoTime() - t0) / 1000);
            }
            Collections.sort(micros);
            System.out.printf("RESULT expand %-48s %4d occurrences: median %.2f ms, p99 %.2f ms%n", rule, produced,
                    pct(micros, 50) / 1000.0, pct(micros, 99) / 1000.0);
            assertThat(produced).isPositive();
        }
    }

    private static int notifications(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from notifications")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static long transactions(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select xact_commit + xact_rollback from pg_stat_database where datname = current_database()")) {
            try (Statement s = c.createStatement()) {
                s.execute("select pg_stat_clear_snapshot()");
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
