package dev.todo.tasks;

import dev.todo.recurrence.Recurrence;
import dev.todo.reminders.Reminder;
import dev.todo.reminders.ReminderRepository;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** SQL for tasks and their tags. Callers hold the transaction. */
@Singleton
public class TaskRepository {

    private final JdbcOperations jdbc;
    private final ReminderRepository reminders;

    public TaskRepository(JdbcOperations jdbc, ReminderRepository reminders) {
        this.jdbc = jdbc;
        this.reminders = reminders;
    }

    public record Row(Task task, List<String> sortValues) {
    }

    public Optional<Task> find(UUID userId, UUID id, boolean forUpdate) {
        String sql = "select " + TaskSql.COLUMNS + " from tasks t where t.id = ? and t.user_id = ?" + (forUpdate ? " for update" : "");
        return query(sql, List.of(id, userId), 0).stream().map(Row::task).findFirst();
    }

    /** The user's tasks among {@code ids}, with tags and reminders, in no particular order. */
    public List<Task> findAll(UUID userId, List<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return query("select " + TaskSql.COLUMNS + " from tasks t where t.user_id = ? and t.id = any(?)",
                List.of(userId, new TaskSql.SqlArray("uuid", ids.toArray())), 0).stream().map(Row::task).toList();
    }

    /** True if the task exists, which it then keeps doing until the transaction ends (a key-share lock). */
    /** How many tags the user would have after {@code names} were used (existing ones count once). */
    public long tagsAfter(UUID userId, List<String> names) {
        String[] lower = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).distinct().toArray(String[]::new);
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("select (select count(*) from tags where user_id = ?)"
                    + " + (select count(*) from unnest(?::text[]) n where not exists"
                    + " (select 1 from tags g where g.user_id = ? and lower(g.name) = n))")) {
                ps.setObject(1, userId);
                ps.setArray(2, c.createArrayOf("text", lower));
                ps.setObject(3, userId);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** How many tasks the user has, counting no further than {@code limit}. */
    public long countUpTo(UUID userId, int limit) {
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("select count(*) from (select 1 from tasks where user_id = ? limit ?) x")) {
                ps.setObject(1, userId);
                ps.setInt(2, limit);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Records that {@code previous} gets {@code successor}; false when it already has one. */
    public boolean recordSuccessor(UUID previous, UUID successor) {
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into occurrence_successors (previous_id, successor_id)"
                    + " values (?, ?) on conflict do nothing")) {
                ps.setObject(1, previous);
                ps.setObject(2, successor);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Points the ledger at the successor an older version created in the completing transaction. */
    public void linkSuccessorMadeEarlier(UUID previous) {
        jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("update occurrence_successors set successor_id ="
                    + " (select id from tasks where previous_id = ?) where previous_id = ?")) {
                ps.setObject(1, previous);
                ps.setObject(2, previous);
                return ps.executeUpdate();
            }
        });
    }

    public boolean lockIfExists(UUID id) {
        return !names("select id::text from tasks where id = ? for key share", List.of(id)).isEmpty();
    }

    public List<Row> page(TaskSql.Statement statement, int sortKeys) {
        return query(statement.sql(), statement.params(), sortKeys);
    }

    /** The tags of many tasks in one query (cheaper than a subquery per row). */
    private Map<UUID, List<String>> tagsOf(List<UUID> taskIds) {
        Map<UUID, List<String>> out = new HashMap<>();
        if (taskIds.isEmpty()) {
            return out;
        }
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("select tt.task_id, g.name from task_tags tt join tags g on g.id = tt.tag_id"
                    + " where tt.task_id = any(?) order by lower(g.name)")) {
                bind(c, ps, List.of(new TaskSql.SqlArray("uuid", taskIds.toArray())));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>()).add(rs.getString(2));
                    }
                }
                return out;
            }
        });
    }

    /** Inserts the task; false when it is the successor of an occurrence that already has one. */
    public boolean insert(Task t) {
        return update("insert into tasks (id, user_id, title, description, priority, due_at, time_zone, all_day, completed,"
                        + " completed_at, created_at, updated_at, version, series_id, recurrence_rule, recurrence_from,"
                        + " recurrence_exdates, series_start, series_index, previous_id, skipped)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " on conflict (previous_id) do nothing",
                concat(Arrays.asList(t.id(), t.userId(), t.title(), t.description(), t.priority().rank(), t.dueAt(), t.timeZone(),
                        t.allDay(), t.completed(), t.completedAt(), t.createdAt(), t.updatedAt(), t.version()), seriesColumns(t))) > 0;
    }

    public void update(Task t) {
        List<Object> params = concat(Arrays.asList(t.title(), t.description(), t.priority().rank(), t.dueAt(), t.timeZone(),
                t.allDay(), t.completed(), t.completedAt(), t.updatedAt(), t.version()), seriesColumns(t));
        params.add(t.id());
        params.add(t.userId());
        update("update tasks set title = ?, description = ?, priority = ?, due_at = ?, time_zone = ?, all_day = ?,"
                + " completed = ?, completed_at = ?, updated_at = ?, version = ?, series_id = ?, recurrence_rule = ?,"
                + " recurrence_from = ?, recurrence_exdates = ?, series_start = ?, series_index = ?, previous_id = ?, skipped = ?"
                + " where id = ? and user_id = ?", params);
    }

    private static List<Object> seriesColumns(Task t) {
        Task.Series s = t.series();
        Recurrence r = s == null ? null : s.recurrence();
        return Arrays.asList(s == null ? null : s.id(), r == null ? null : r.rule(), r == null ? null : r.from().json(),
                new TaskSql.SqlArray("timestamptz", r == null ? new Object[0]
                        : r.exdates().stream().map(i -> i.atOffset(ZoneOffset.UTC)).toArray()),
                s == null ? null : s.start(), s == null ? null : s.index(), s == null ? null : s.previousId(), t.skipped());
    }

    private static List<Object> concat(List<Object> a, List<Object> b) {
        List<Object> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    public boolean delete(UUID userId, UUID id) {
        return update("delete from tasks where id = ? and user_id = ?", List.of(id, userId)) > 0;
    }

    /**
     * Makes the task carry exactly these tags, creating tags the user does not have yet. Returns
     * the tags' stored names (an existing tag keeps its spelling: "work" joins "Work").
     */
    public List<String> replaceTags(UUID userId, UUID taskId, List<String> names, boolean taskIsNew) {
        if (!taskIsNew) {
            update("delete from task_tags where task_id = ?", List.of(taskId));
        }
        if (names.isEmpty()) {
            if (!taskIsNew) {
                update("update tasks set tag_ids = '{}' where id = ?", List.of(taskId));
            }
            return List.of();
        }
        String[] lower = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toArray(String[]::new);
        // one round trip: create the missing tags, link all of them, return their stored names.
        // The statement's snapshot does not see the rows it inserts, so "created" and "existing" are disjoint.
        String sql = "with created as (insert into tags (id, user_id, name) select gen_random_uuid(), ?, n from unnest(?) n"
                + " on conflict (user_id, lower(name)) do nothing returning id, name),"
                + " wanted as (select id, name from created union all"
                + " select g.id, g.name from tags g where g.user_id = ? and lower(g.name) = any(?)),"
                + " linked as (insert into task_tags (task_id, tag_id) select ?, id from wanted),"
                + " mirrored as (update tasks set tag_ids = array(select id from wanted order by id) where id = ?)"
                + " select name from wanted order by lower(name)";
        List<Object> params = List.of(userId, new TaskSql.SqlArray("text", names.toArray()), userId,
                new TaskSql.SqlArray("text", lower), taskId, taskId);
        List<String> stored = names(sql, params);
        if (stored.size() == names.size()) {
            return stored;
        }
        // A concurrent transaction created one of these tags after this statement's snapshot was
        // taken: the conflict skipped it and the snapshot cannot see it. Link it with a fresh snapshot.
        update("insert into task_tags (task_id, tag_id) select ?, g.id from tags g where g.user_id = ? and lower(g.name) = any(?)"
                + " on conflict do nothing", List.of(taskId, userId, new TaskSql.SqlArray("text", lower)));
        update("update tasks set tag_ids = array(select tag_id from task_tags where task_id = ? order by tag_id) where id = ?",
                List.of(taskId, taskId));
        return names("select g.name from task_tags tt join tags g on g.id = tt.tag_id where tt.task_id = ? order by lower(g.name)",
                List.of(taskId));
    }

    private List<String> names(String sql, List<?> params) {
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(c, ps, params);
                List<String> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            }
        });
    }

    int update(String sql, List<?> params) {
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(c, ps, params);
                return ps.executeUpdate();
            }
        });
    }

    private List<Row> query(String sql, List<?> params, int sortKeys) {
        List<Row> untagged = jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(c, ps, params);
                List<Row> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        List<String> keys = new ArrayList<>(sortKeys + 1);
                        for (int i = 0; i < sortKeys; i++) {
                            keys.add(rs.getString("k" + i));
                        }
                        Task task = map(rs);
                        keys.add(task.id().toString());
                        rows.add(new Row(task, keys));
                    }
                }
                return rows;
            }
        });
        List<UUID> ids = untagged.stream().map(r -> r.task().id()).toList();
        Map<UUID, List<String>> tags = tagsOf(ids);
        Map<UUID, List<Reminder>> reminderLists = reminders.forTasks(ids);
        return untagged.stream().map(r -> new Row(r.task().withTags(tags.getOrDefault(r.task().id(), List.of()))
                .withReminders(reminderLists.getOrDefault(r.task().id(), List.of())), r.sortValues())).toList();
    }

    static void bind(Connection c, PreparedStatement ps, List<?> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof Instant instant) {
                ps.setObject(i + 1, instant.atOffset(ZoneOffset.UTC));
            } else if (p instanceof TaskSql.SqlArray array) {
                Array a = c.createArrayOf(array.elementType(), array.values());
                ps.setArray(i + 1, a);
            } else {
                ps.setObject(i + 1, p);
            }
        }
    }

    static Task map(ResultSet rs) throws SQLException {
        UUID seriesId = rs.getObject("series_id", UUID.class);
        Task.Series series = null;
        if (seriesId != null) {
            String rule = rs.getString("recurrence_rule");
            Recurrence recurrence = rule == null ? null : new Recurrence(rule, instants(rs.getArray("recurrence_exdates")),
                    Recurrence.From.parse(rs.getString("recurrence_from")).orElse(Recurrence.From.DUE));
            series = new Task.Series(seriesId, recurrence, instant(rs, "series_start"), rs.getInt("series_index"),
                    rs.getObject("previous_id", UUID.class));
        }
        return new Task(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class), rs.getString("title"),
                rs.getString("description"), Priority.ofRank(rs.getShort("priority")), instant(rs, "due_at"),
                rs.getString("time_zone"), rs.getBoolean("all_day"), rs.getBoolean("completed"),
                instant(rs, "completed_at"), instant(rs, "created_at"), instant(rs, "updated_at"), rs.getInt("version"), List.of(),
                series, rs.getBoolean("skipped"), List.of());
    }

    private static List<Instant> instants(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        List<Instant> out = new ArrayList<>();
        for (Object o : (Object[]) array.getArray()) {
            out.add(o instanceof java.sql.Timestamp ts ? ts.toInstant() : ((OffsetDateTime) o).toInstant());
        }
        return out;
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime v = rs.getObject(column, OffsetDateTime.class);
        return v == null ? null : v.toInstant();
    }
}
