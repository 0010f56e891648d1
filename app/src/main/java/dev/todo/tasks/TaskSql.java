package dev.todo.tasks;

import dev.todo.tasks.TaskQuery.SortKey;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Builds the SQL for a filtered, sorted page of tasks. Pure: it returns text and parameters.
 *
 * <p>Paging is keyset based: each sort key is an expression that never yields NULL (a missing due
 * date becomes +/-infinity, so such tasks sort last in either direction) and the id breaks ties,
 * so "rows after the cursor" is exact however many rows are inserted meanwhile.
 */
public final class TaskSql {

    /** A parameter that is an SQL array of the given element type. */
    public record SqlArray(String elementType, Object[] values) {
    }

    public record Statement(String sql, List<Object> params) {
    }

    /** A task's own columns, over tasks aliased {@code t}; {@link #withTagsAndReminders} adds the rest. */
    static final String COLUMNS = "t.id, t.user_id, t.title, t.description, t.priority, t.due_at, t.time_zone, t.all_day, "
            + "t.completed, t.completed_at, t.created_at, t.updated_at, t.version, t.series_id, t.recurrence_rule, "
            + "t.recurrence_from, t.recurrence_exdates, t.series_start, t.series_index, t.previous_id, t.skipped, t.tag_ids";

    /**
     * The statement that reads tasks: the rows {@code select} finds (it selects {@link #COLUMNS} first)
     * with their tags' names ({@code tag_names}, from the rows' copy of the tags' ids) and their
     * reminders ({@code reminder_rows}), in one statement, not in further round trips. Each of the two is
     * read once for all the rows found, after their sort and limit (a subquery per row cost PostgreSQL
     * twice the time of the page itself). {@code orderBy}, over the found rows' columns, keeps their order.
     */
    static String withTagsAndReminders(String select, String orderBy) {
        return "with t as (" + select + ") select t.*, coalesce(names.of_task, '{}') as tag_names, rem.reminder_rows from t"
                + " left join (select p.id, array_agg(g.name order by lower(g.name)) as of_task from t p"
                + " cross join unnest(p.tag_ids) u(id) join tags g on g.id = u.id group by p.id) names on names.id = t.id"
                + " left join (" + dev.todo.reminders.ReminderRepository.ofTasks("select id from t") + ") rem"
                + " on rem.task_id = t.id" + (orderBy == null ? "" : " order by " + orderBy);
    }

    private static final String OVERDUE = "(t.completed = false and t.due_at is not null and "
            + "(case when t.all_day then t.due_at + interval '1 day' else t.due_at end) < now())";

    private TaskSql() {
    }

    static String expression(SortKey key) {
        return switch (key.field()) {
            case DUE_AT -> key.descending() ? "coalesce(t.due_at, '-infinity'::timestamptz)" : "coalesce(t.due_at, 'infinity'::timestamptz)";
            case PRIORITY -> "t.priority";
            case CREATED_AT -> "t.created_at";
            case UPDATED_AT -> "t.updated_at";
            case TITLE -> "lower(t.title)";
            case RELEVANCE -> "ts_rank_cd(t.search, query)";
        };
    }

    static String type(SortKey key) {
        return switch (key.field()) {
            case DUE_AT, CREATED_AT, UPDATED_AT -> "timestamptz";
            case PRIORITY -> "smallint";
            case TITLE -> "text";
            case RELEVANCE -> "real";
        };
    }

    /**
     * @param after the previous page's last sort-key values (as text) followed by its id, or null
     */
    public static Statement page(UUID userId, TaskQuery q, List<String> after) {
        List<Object> params = new ArrayList<>();
        List<SortKey> keys = q.sort();
        // the order over the found rows' own columns: to merge the open and the completed ones, and
        // to keep it when their tags and reminders join them
        StringBuilder merged = new StringBuilder();
        StringBuilder again = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) {
            String direction = keys.get(i).descending() ? " desc, " : ", ";
            merged.append("s").append(i).append(direction);
            again.append("t.s").append(i).append(direction);
        }
        merged.append("id");
        again.append("t.id");
        String select = switch (q.status()) {
            case OPEN -> rows(userId, q, after, " and t.completed = false", params);
            case COMPLETED -> rows(userId, q, after, " and t.completed = true", params);
            // the open and the completed tasks each in their indexes' order, merged: the sort indexes
            // begin with (user, completed), so one scan over both would read and sort every task of the
            // user (27 ms a page at 45,000 tasks against 1 ms; docs/benchmarks.md)
            case ALL -> "(" + rows(userId, q, after, " and t.completed = false", params) + ") union all ("
                    + rows(userId, q, after, " and t.completed = true", params) + ") order by "
                    + merged + " limit " + (q.limit() + 1);
        };
        return new Statement(withTagsAndReminders(select, again.toString()), params);
    }

    /** The page's rows of tasks in one state ({@code status}, a condition), sorted and limited. */
    private static String rows(UUID userId, TaskQuery q, List<String> after, String status, List<Object> params) {
        StringBuilder sql = new StringBuilder("select ").append(COLUMNS);
        List<SortKey> keys = q.sort();
        for (int i = 0; i < keys.size(); i++) {
            sql.append(", (").append(expression(keys.get(i))).append(")::text as k").append(i)
                    .append(", ").append(expression(keys.get(i))).append(" as s").append(i);
        }
        sql.append(" from tasks t");
        if (q.text() != null) {
            sql.append(", websearch_to_tsquery('english', ?) query");
            params.add(q.text());
        }
        sql.append(" where t.user_id = ?");
        params.add(userId);
        sql.append(status);
        if (q.text() != null) {
            sql.append(" and t.search @@ query");
        }
        if (q.priorities().size() == 1) {
            // one rank, written as a number (a parameter would leave PostgreSQL planning a page as if it
            // might be large, and so planning it again on every execution): the equality makes the rank
            // a constant of the page, so the index on (user, completed, priority, due date, id) returns
            // its rows already in order and the scan stops at the page's end. As "= any('{3}')" the
            // rank is not known to be constant: PostgreSQL read every task of the first due date (or
            // every such task) and sorted them, 20 ms a page for a user with 45,000 tasks on 28 dates
            // against under 1 ms (docs/benchmarks.md).
            sql.append(" and t.priority = ").append(q.priorities().iterator().next().rank());
        } else if (!q.priorities().isEmpty()) {
            sql.append(" and t.priority = any('{").append(q.priorities().stream().map(p -> String.valueOf(p.rank()))
                    .collect(java.util.stream.Collectors.joining(","))).append("}'::int2[])");
        }
        if (!q.tags().isEmpty()) {
            // both subqueries are uncorrelated, so they run once; each row then pays one array test.
            // Every named tag must exist, or nothing can carry all of them.
            sql.append(" and t.tag_ids @> array(select g.id from tags g where g.user_id = ? and lower(g.name) = any(?))"
                    + " and (select count(*) from tags g where g.user_id = ? and lower(g.name) = any(?)) = ?");
            SqlArray names = new SqlArray("text", q.tags().toArray());
            params.add(userId);
            params.add(names);
            params.add(userId);
            params.add(names);
            params.add(q.tags().size());
        }
        if (q.noTags()) {
            sql.append(" and t.tag_ids = '{}'");
        }
        if (q.dueBefore() != null) {
            sql.append(" and t.due_at < ?");
            params.add(q.dueBefore());
        }
        if (q.dueAfter() != null) {
            sql.append(" and t.due_at >= ?");
            params.add(q.dueAfter());
        }
        if (q.overdue() != null) {
            sql.append(q.overdue() ? " and " : " and not ").append(OVERDUE);
        }
        if (q.seriesId() != null) {
            sql.append(" and t.series_id = ?");
            params.add(q.seriesId());
        }
        if (q.hasDue() != null) {
            sql.append(q.hasDue() ? " and t.due_at is not null" : " and t.due_at is null");
        }
        if (after != null) {
            // implied by the disjunction below, but lets an index on the first key start at the cursor
            SortKey first = keys.get(0);
            sql.append(" and ").append(expression(first)).append(first.descending() ? " <= " : " >= ")
                    .append("cast(? as ").append(type(first)).append(")");
            params.add(after.get(0));
            sql.append(" and (");
            for (int i = 0; i <= keys.size(); i++) {
                if (i > 0) {
                    sql.append(" or ");
                }
                sql.append("(");
                for (int j = 0; j < i; j++) {
                    sql.append(expression(keys.get(j))).append(" = cast(? as ").append(type(keys.get(j))).append(") and ");
                    params.add(after.get(j));
                }
                if (i < keys.size()) {
                    SortKey k = keys.get(i);
                    sql.append(expression(k)).append(k.descending() ? " < " : " > ")
                            .append("cast(? as ").append(type(k)).append(")");
                    params.add(after.get(i));
                } else {
                    sql.append("t.id > cast(? as uuid)");
                    params.add(after.get(keys.size()));
                }
                sql.append(")");
            }
            sql.append(")");
        }
        sql.append(" order by ");
        for (SortKey key : keys) {
            sql.append(expression(key)).append(key.descending() ? " desc, " : ", ");
        }
        return sql.append("t.id limit ").append(q.limit() + 1).toString();
    }
}
