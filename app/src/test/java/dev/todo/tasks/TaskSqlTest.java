package dev.todo.tasks;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class TaskSqlTest {

    private static final UUID USER = UUID.fromString("00000000-0000-0000-0000-000000000001");

    @Test
    void missingDueDatesSortLastInBothDirections() {
        assertThat(TaskSql.page(USER, TaskQuery.parse(Map.of("sort", List.of("dueAt"))), null).sql())
                .contains("order by coalesce(t.due_at, 'infinity'::timestamptz), t.id");
        assertThat(TaskSql.page(USER, TaskQuery.parse(Map.of("sort", List.of("-dueAt"))), null).sql())
                .contains("order by coalesce(t.due_at, '-infinity'::timestamptz) desc, t.id");
    }

    @Test
    void cursorBecomesAKeysetConditionHonouringEachDirection() {
        TaskQuery q = TaskQuery.parse(Map.of("sort", List.of("-priority,title"), "limit", List.of("10")));
        TaskSql.Statement s = TaskSql.page(USER, q, List.of("3", "report", "00000000-0000-0000-0000-0000000000aa"));
        assertThat(s.sql()).contains("t.priority <= cast(? as smallint)")
                .contains("(t.priority < cast(? as smallint))")
                .contains("(t.priority = cast(? as smallint) and lower(t.title) > cast(? as text))")
                .contains("(t.priority = cast(? as smallint) and lower(t.title) = cast(? as text) and t.id > cast(? as uuid))")
                .contains("t.id limit 11)")
                // the rows found keep their order when their tags and reminders join them
                .endsWith("order by t.s0 desc, t.s1, t.id");
        assertThat(s.params()).first().isEqualTo(USER);
        assertThat(s.params()).last().isEqualTo("00000000-0000-0000-0000-0000000000aa");
        assertThat(s.params()).containsSequence("3", "3", "3", "report", "3", "report", "00000000-0000-0000-0000-0000000000aa");
    }

    @Test
    void userIsAlwaysTheFirstCondition() {
        TaskSql.Statement s = TaskSql.page(USER, TaskQuery.parse(Map.of("q", List.of("x"), "tag", List.of("a"))), null);
        assertThat(s.sql()).contains("where t.user_id = ?");
        assertThat(s.params().subList(0, 2)).containsExactly("x", USER);
    }

    @Test
    void prioritiesAndLimitAreWrittenInTheStatementSoItsPlanCanBeKept() {
        TaskSql.Statement s = TaskSql.page(USER, TaskQuery.parse(Map.of("priority", List.of("high,urgent"), "limit", List.of("20"))), null);
        assertThat(s.sql()).contains("t.priority = any('{3,4}'::int2[])").contains("t.id limit 21)");
        assertThat(s.params()).containsExactly(USER);
        // one priority is an equality, so its index returns the page in order (TaskPagePlanTest)
        TaskSql.Statement one = TaskSql.page(USER, TaskQuery.parse(Map.of("priority", List.of("high"))), null);
        assertThat(one.sql()).contains("t.priority = 3 ").doesNotContain("any(");
        assertThat(one.params()).containsExactly(USER);
    }
}
