package dev.todo.tasks;

import dev.todo.support.Api;
import dev.todo.support.TestApp;
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
 * A page reads its own rows and no more: filtered to one priority, however many tasks share its
 * first due date; of all statuses, however many tasks the user has. Checked on PostgreSQL's plan
 * for the statement the API runs, on real data with statistics (the rows each scan of tasks
 * returned, from {@code explain analyze}). Before, the one-priority page read every task of the
 * first date and sorted them (many tasks on one date are common: a week of all-day tasks, an
 * import), and the all-statuses page read and sorted every task of the user; the figures are in
 * {@code docs/benchmarks.md}.
 */
class TaskPagePlanTest {

    @Test
    void aPageOfOnePriorityReadsOnlyItsRowsWhenManyTasksShareADueDate() throws Exception {
        // (of the 200 high-priority tasks due on the first date) the one scan of tasks returns 51 rows
        assertThat(scannedRows(Map.of("priority", List.of("high"), "sort", List.of("dueAt,-priority"), "limit", List.of("50"))))
                .containsExactly(51);
    }

    @Test
    void aPageOfAllStatusesMergesTheOpenAndTheCompletedTasksInsteadOfSortingThemAll() throws Exception {
        // the open and the completed tasks each scanned in order, up to the page's 51 rows
        assertThat(scannedRows(Map.of("status", List.of("all"), "limit", List.of("50")))).hasSize(2).allMatch(n -> n <= 51);
    }

    /**
     * The rows each scan of tasks returned (from {@code explain analyze}) for the page the API reads
     * with these query parameters, for a user with 3,000 tasks on three due dates, a third of them
     * completed, on a table with statistics.
     */
    private static List<Integer> scannedRows(Map<String, List<String>> query) throws Exception {
        Api api = TestApp.api().newUser();
        UUID user = UUID.fromString(api.get("/api/me").json().get("id").asText());
        var ctx = TestApp.server().getApplicationContext();
        DataSource ds = TestApp.dataSource(ctx);
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("insert into tasks (id, user_id, title, priority, due_at, time_zone, all_day,"
                    + " completed, completed_at, created_at, updated_at, version, recurrence_exdates, skipped, tag_ids)"
                    + " select gen_random_uuid(), ?, 'Task ' || g, (g % 5)::smallint, '2027-01-04T09:00:00Z'::timestamptz + (g % 3) * interval '1 day',"
                    + " 'UTC', false, g % 3 = 0, case when g % 3 = 0 then now() end, now(), now(), 1, '{}', false, '{}'"
                    + " from generate_series(1, 3000) g")) {
                ps.setObject(1, user);
                ps.executeUpdate();
            }
            try (Statement s = c.createStatement()) {
                s.execute("analyze tasks");
            }
            TaskSql.Statement page = TaskSql.page(user, TaskQuery.parse(query), null);
            assertThat(page.params()).containsOnly(user);
            List<String> plan = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("explain (analyze, costs off, timing off, summary off) " + page.sql())) {
                for (int i = 0; i < page.params().size(); i++) {
                    ps.setObject(i + 1, page.params().get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        plan.add(rs.getString(1));
                    }
                }
            }
            Pattern scan = Pattern.compile("Scan .*on tasks t.*actual rows=(\\d+)");
            List<Integer> rows = plan.stream().map(scan::matcher).filter(Matcher::find).map(m -> Integer.valueOf(m.group(1))).toList();
            assertThat(rows).as("scans of tasks in:%n%s", String.join("\n", plan)).isNotEmpty();
            return rows;
        }
    }
}
