package dev.todo.tasks;

import dev.todo.support.Api;
import dev.todo.support.TestApp;
import io.micronaut.jdbc.DataSourceResolver;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page filtered to one priority reads its own rows and no more, however many tasks share its first
 * due date: PostgreSQL's plan for the statement the API runs, on real data with statistics (the rows
 * the scan of tasks returned, from {@code explain analyze}). Many tasks on one date are common (a
 * week of all-day tasks, an import); with the rank written as {@code = any('{3}')} the scan read
 * every task of the first date and sorted them (see {@code docs/benchmarks.md} for the figures).
 */
class TaskPagePlanTest {

    @Test
    void aPageOfOnePriorityReadsOnlyItsRowsWhenManyTasksShareADueDate() throws Exception {
        Api api = TestApp.api().newUser();
        UUID user = UUID.fromString(api.get("/api/me").json().get("id").asText());
        var ctx = TestApp.server().getApplicationContext();
        DataSource ds = ctx.getBean(DataSourceResolver.class).resolve(ctx.getBean(DataSource.class));
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("insert into tasks (id, user_id, title, priority, due_at, time_zone, all_day,"
                    + " completed, created_at, updated_at, version, recurrence_exdates, skipped, tag_ids)"
                    + " select gen_random_uuid(), ?, 'Task ' || g, (g % 5)::smallint, '2027-01-04T09:00:00Z'::timestamptz + (g % 3) * interval '1 day',"
                    + " 'UTC', false, false, now(), now(), 1, '{}', false, '{}' from generate_series(1, 3000) g")) {
                ps.setObject(1, user);
                ps.executeUpdate();
            }
            try (Statement s = c.createStatement()) {
                s.execute("analyze tasks");
            }
            TaskSql.Statement page = TaskSql.page(user, TaskQuery.parse(Map.of("priority", List.of("high"),
                    "sort", List.of("dueAt,-priority"), "limit", List.of("50"))), null);
            List<String> plan = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("explain (analyze, costs off, timing off, summary off) " + page.sql())) {
                ps.setObject(1, page.params().get(0));
                assertThat(page.params()).hasSize(1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        plan.add(rs.getString(1));
                    }
                }
            }
            // the one scan of tasks (of the 200 high-priority tasks due on the first date) returns 51 rows
            Pattern scan = Pattern.compile("Scan .*on tasks t.*actual rows=(\\d+)");
            List<Integer> rows = plan.stream().map(scan::matcher).filter(Matcher::find).map(m -> Integer.valueOf(m.group(1))).toList();
            assertThat(rows).as("scans of tasks in:%n%s", String.join("\n", plan)).containsExactly(51);
        }
    }
}
