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

    /**
     * A task's columns, with its tags' names from the row's copy of their ids and its reminders: they
     * come in the page's own statement (after its sort and limit, PostgreSQL evaluates the subquery for the rows
     * returned only), not in a second round trip.
     */
    static final String COLUMNS = "t.id, t.user_id, t.title, t.description, t.priority, t.due_at, t.time_zone, t.all_day, "
            + "t.completed, t.completed_at, t.created_at, t.updated_at, t.version, t.series_id, t.recurrence_rule, "
            + "t.recurrence_from, t.recurrence_exdates, t.series_start, t.series_index, t.previous_id, t.skipped, "
            + "array(select g.name from tags g where g.id = any(t.tag_ids) order by lower(g.name)) as tag_names, "
            + dev.todo.reminders.ReminderRepository.OF_TASK + " as reminder_rows";

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
        StringBuilder sql = new StringBuilder("select ").append(COLUMNS);
        List<SortKey> keys = q.sort();
        for (int i = 0; i < keys.size(); i++) {
            sql.append(", (").append(expression(keys.get(i))).append(")::text as k").append(i);
        }
        sql.append(" from tasks t");
        if (q.text() != null) {
            sql.append(", websearch_to_tsquery('english', ?) query");
            params.add(q.text());
        }
        sql.append(" where t.user_id = ?");
        params.add(userId);
        switch (q.status()) {
            case OPEN -> sql.append(" and t.completed = false");
            case COMPLETED -> sql.append(" and t.completed = true");
            case ALL -> { }
        }
        if (q.text() != null) {
            sql.append(" and t.search @@ query");
        }
        if (!q.priorities().isEmpty()) {
            sql.append(" and t.priority = any(?)");
            params.add(new SqlArray("int2", q.priorities().stream().map(Priority::rank).toArray()));
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
        for (SortKey k : keys) {
            sql.append(expression(k)).append(k.descending() ? " desc, " : ", ");
        }
        sql.append("t.id limit ?");
        params.add(q.limit() + 1);
        return new Statement(sql.toString(), params);
    }
}
