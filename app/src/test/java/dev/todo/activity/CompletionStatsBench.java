package dev.todo.activity;

import dev.todo.support.TestApp;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Benchmark, run with {@code ./mvnw -pl app test -Pbench}: completion stats for a user with 50,000
 * completions spread over a year, daily and weekly buckets over the whole year, with the one
 * aggregation the API runs and with the former statement (a count per bucket), for comparison.
 * Both must give the same counts. Prints latency percentiles.
 */
class CompletionStatsBench {

    static final int COMPLETIONS = 50_000;
    static final int RUNS = 20;
    /** The former statement takes seconds a run: a few runs tell the story. */
    static final int RUNS_BEFORE = 3;

    /** The statement before: one scan of the range per bucket. */
    static final String PER_BUCKET_SQL = "with buckets as (select generate_series(date_trunc(?, cast(? as timestamptz) at time zone ?),"
            + " date_trunc(?, cast(? as timestamptz) at time zone ?), cast('1 ' || ? as interval)) as b)"
            + " select b::date::text, (select count(*) from activity a where a.user_id = ? and a.type = 'task.completed'"
            + " and a.time >= ? and a.time < ? and date_trunc(?, a.time at time zone ?) = b) from buckets order by b";

    @Test
    void fiftyThousandCompletionsOverAYear() throws Exception {
        try (ApplicationContext ctx = ApplicationContext.run(TestApp.properties("bench_stats"), "test")) {
            DataSource ds = TestApp.dataSource(ctx);
            UUID user = UUID.randomUUID();
            Instant from = Instant.parse("2025-01-01T00:00:00Z");
            Instant to = Instant.parse("2026-01-01T00:00:00Z");
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("insert into users (id, username, password_hash, time_zone) values ('" + user + "', 'bench-" + user
                        + "', 'x', 'Europe/Berlin')");
                s.execute("insert into activity (id, event_id, user_id, task_id, type, time, data) select gen_random_uuid(),"
                        + " gen_random_uuid(), '" + user + "', gen_random_uuid(), 'task.completed',"
                        + " timestamptz '2025-01-01 00:00:00Z' + (random() * interval '365 days'), '{}'::jsonb"
                        + " from generate_series(1, " + COMPLETIONS + ")");
                // other users' activity and other event types around it, as in a real table
                s.execute("insert into activity (id, event_id, user_id, task_id, type, time, data) select gen_random_uuid(),"
                        + " gen_random_uuid(), '" + user + "', gen_random_uuid(), 'task.updated',"
                        + " timestamptz '2025-01-01 00:00:00Z' + (random() * interval '365 days'), '{}'::jsonb"
                        + " from generate_series(1, " + COMPLETIONS + ")");
                s.execute("analyze activity");
            }
            for (String bucket : List.of("day", "week")) {
                List<Long> now = run(ds, ActivityService.COMPLETED_SQL, bucket, user, from, to, true, RUNS);
                List<Long> before = run(ds, PER_BUCKET_SQL, bucket, user, from, to, false, RUNS_BEFORE);
                System.out.printf("completion stats, %d completions over a year, bucket=%s: one aggregation p50 %.1f ms p95 %.1f ms max %.1f ms;"
                                + " count per bucket p50 %.1f ms max %.1f ms (%d and %d runs)%n",
                        COMPLETIONS, bucket, ms(now, 50), ms(now, 95), ms(now, 100), ms(before, 50), ms(before, 100), RUNS, RUNS_BEFORE);
            }
        }
    }

    private static List<Long> run(DataSource ds, String sql, String bucket, UUID user, Instant from, Instant to, boolean aggregated,
                                  int runs) throws Exception {
        List<Long> nanos = new ArrayList<>();
        long total = -1;
        for (int i = 0; i < runs; i++) {
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                OffsetDateTime f = from.atOffset(ZoneOffset.UTC);
                OffsetDateTime t = to.atOffset(ZoneOffset.UTC);
                OffsetDateTime last = to.minusNanos(1000).atOffset(ZoneOffset.UTC);
                Object[] args = aggregated
                        ? new Object[] {bucket, f, "Europe/Berlin", bucket, last, "Europe/Berlin", bucket, bucket, "Europe/Berlin", user, f, t}
                        : new Object[] {bucket, f, "Europe/Berlin", bucket, last, "Europe/Berlin", bucket, user, f, t, bucket, "Europe/Berlin"};
                for (int a = 0; a < args.length; a++) {
                    ps.setObject(a + 1, args[a]);
                }
                long start = System.nanoTime();
                long sum = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sum += rs.getLong(2);
                    }
                }
                nanos.add(System.nanoTime() - start);
                assertThat(total == -1 || total == sum).isTrue();
                total = sum;
            }
        }
        assertThat(total).as("every completion counted once").isEqualTo(COMPLETIONS);
        Collections.sort(nanos);
        return nanos;
    }

    private static double ms(List<Long> sorted, int percentile) {
        int i = Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1);
        return sorted.get(Math.max(0, i)) / 1e6;
    }
}
