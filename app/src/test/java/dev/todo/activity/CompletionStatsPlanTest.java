package dev.todo.activity;

import dev.todo.support.TestApp;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Completion stats read the range's completions once, whatever the number of buckets: the plan
 * has no subquery run per bucket (which made a year of daily buckets quadratic; see
 * {@code CompletionStatsBench} for the figures).
 */
class CompletionStatsPlanTest {

    @Test
    void theCompletionsAreScannedOnceNotOncePerBucket() throws Exception {
        var ctx = TestApp.server().getApplicationContext();
        DataSource ds = TestApp.dataSource(ctx);
        StringBuilder plan = new StringBuilder();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("explain " + ActivityService.COMPLETED_SQL)) {
            OffsetDateTime from = OffsetDateTime.parse("2025-01-01T00:00:00Z");
            OffsetDateTime to = OffsetDateTime.parse("2026-01-01T00:00:00Z");
            Object[] args = {"day", from, "UTC", "day", to.minusNanos(1000), "UTC", "day", "day", "UTC", UUID.randomUUID(), from, to};
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
        }
        assertThat(plan.toString()).doesNotContain("SubPlan");
        assertThat(plan.toString().split("on activity", -1)).as("one scan of activity in:%n%s", plan).hasSize(2);
    }
}
