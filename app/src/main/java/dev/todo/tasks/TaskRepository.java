package dev.todo.tasks;

import dev.todo.db.QuotaLock;
import dev.todo.recurrence.Recurrence;
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
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** SQL for tasks and their tags. Callers hold the transaction. */
@Singleton
public class TaskRepository {

    private final JdbcOperations jdbc;

    public TaskRepository(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    public record Row(Task task, List<String> sortValues) {
    }

    public Optional<Task> find(UUID userId, UUID id, boolean forUpdate) {
        String sql = TaskSql.withTagsAndReminders("select " + TaskSql.COLUMNS + " from tasks t where t.id = ? and t.user_id = ?"
                + (forUpdate ? " for update" : ""), null);
        return query(sql, List.of(id, userId), 0).stream().map(Row::task).findFirst();
    }

    /** The user's tasks among {@code ids}, with tags and reminders, in no particular order. */
    public List<Task> findAll(UUID userId, List<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return query(TaskSql.withTagsAndReminders("select " + TaskSql.COLUMNS + " from tasks t where t.user_id = ? and t.id = any(?)", null),
                List.of(userId, new TaskSql.SqlArray("uuid", ids.toArray())), 0).stream().map(Row::task).toList();
    }

    /**
     * How many tasks the user has, counting no further than {@code limit}. Call it in the creating
     * transaction: it first takes the user's {@link QuotaLock#TASKS} until that transaction ends, so
     * creates that count at the same time together cannot pass the quota.
     */
    public long countUpTo(UUID userId, int limit) {
        return jdbc.execute(c -> {
            QuotaLock.TASKS.take(c, userId);
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

    /** True if the task exists, which it then keeps doing until the transaction ends (a key-share lock). */
    public boolean lockIfExists(UUID id) {
        return !names("select id::text from tasks where id = ? for key share", List.of(id)).isEmpty();
    }

    public List<Row> page(TaskSql.Statement statement, int sortKeys) {
        return query(statement.sql(), statement.params(), sortKeys);
    }

    private static final String INSERT_COLUMNS = "id, user_id, title, description, priority, due_at, time_zone, all_day, completed,"
            + " completed_at, created_at, updated_at, version, series_id, recurrence_rule, recurrence_from,"
            + " recurrence_exdates, series_start, series_index, previous_id, skipped";

    /** Inserts the task; false when it is the successor of an occurrence that already has one. */
    public boolean insert(Task t) {
        return update("insert into tasks (" + INSERT_COLUMNS + ")"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " on conflict (previous_id) do nothing", insertParams(t)) > 0;
    }

    private static List<Object> insertParams(Task t) {
        return concat(Arrays.asList(t.id(), t.userId(), t.title(), t.description(), t.priority().rank(), t.dueAt(), t.timeZone(),
                t.allDay(), t.completed(), t.completedAt(), t.createdAt(), t.updatedAt(), t.version()), seriesColumns(t));
    }

    /** The insert's values as a select list over the user's row {@code u}: a task without a zone takes the user's. */
    private static final String INSERT_VALUES = "cast(? as uuid), cast(? as uuid), cast(? as text), cast(? as text),"
            + " cast(? as smallint), cast(? as timestamptz), coalesce(cast(? as text), u.time_zone), cast(? as boolean),"
            + " cast(? as boolean), cast(? as timestamptz), cast(? as timestamptz), cast(? as timestamptz), cast(? as integer),"
            + " cast(? as uuid), cast(? as text), cast(? as text), cast(? as timestamptz[]), cast(? as timestamptz),"
            + " cast(? as integer), cast(? as uuid), cast(? as boolean)";

    /**
     * The tags named (matched on the lower-case names given), those of them the user does not have
     * yet, and ({@code within}) whether creating those keeps the user within the tag quota. The tag
     * count runs only when a tag is missing. Parameters: names, lower-case names, user, user, quota.
     */
    private static final String TAGS_MISSING = "input as (select * from unnest(cast(? as text[]), cast(? as text[])) as i(name, low)),"
            + " missing as (select i.name from input i where not exists"
            + " (select 1 from tags g where g.user_id = ? and lower(g.name) = i.low))";
    private static final String TAGS_WITHIN_QUOTA = "(not exists (select 1 from missing)"
            + " or (select count(*) from tags where user_id = ?) + (select count(*) from missing) <= ?)";
    /**
     * Creates the missing tags (if the gate allows) and lists all the tags named. The statement's
     * snapshot does not see the rows it inserts, so "created" and the existing ones are disjoint.
     * Parameters: user, user.
     */
    private static final String TAGS_WANTED = " created as (insert into tags (id, user_id, name)"
            + " select gen_random_uuid(), ?, m.name from missing m where (select ok from gate)"
            + " on conflict (user_id, lower(name)) do nothing returning id, name),"
            + " wanted as (select id, name from created union all"
            + " select g.id, g.name from tags g join input i on lower(g.name) = i.low where g.user_id = ?)";

    public enum Outcome { CREATED, NO_USER, TAG_QUOTA }

    /** What {@link #insertNew} did: the task's zone and its tags' stored names when it was created. */
    public record Created(Outcome outcome, String timeZone, List<String> tags) {
    }

    /**
     * Inserts a new task with its tags in one statement: creates the tags the user does not have
     * yet (unless that would take them past {@code maxTags}), inserts the task with its tag-id copy
     * already filled in, and links the tags; a task without a zone gets the user's. Returns the
     * tags' stored names (an existing tag keeps its spelling: "work" joins "Work").
     */
    public Created insertNew(Task t, List<String> names, int maxTags) {
        UUID userId = t.userId();
        List<Object> task = insertParams(t);
        if (names.isEmpty()) {
            List<Object> params = new ArrayList<>(task);
            params.add(userId);
            List<String> zone = names("insert into tasks (" + INSERT_COLUMNS + ") select " + INSERT_VALUES
                    + " from users u where u.id = ? returning time_zone", params);
            return zone.isEmpty() ? new Created(Outcome.NO_USER, null, List.of()) : new Created(Outcome.CREATED, zone.get(0), List.of());
        }
        String[] lower = lower(names);
        String sql = "with " + TAGS_MISSING + ","
                + " gate as (select u.time_zone, " + TAGS_WITHIN_QUOTA + " as ok from users u where u.id = ?),"
                + TAGS_WANTED + ","
                + " task as (insert into tasks (" + INSERT_COLUMNS + ", tag_ids) select " + INSERT_VALUES + ","
                + " array(select id from wanted order by id) from gate u where u.ok returning id, time_zone),"
                + " linked as (insert into task_tags (task_id, tag_id) select t.id, w.id from task t cross join wanted w)"
                + " select u.ok, t.time_zone, w.name, (select count(*) from created) from (values (1)) v left join gate u on true"
                + " left join task t on true left join wanted w on t.id is not null order by lower(w.name)";
        List<Object> params = new ArrayList<>(List.of(new TaskSql.SqlArray("text", names.toArray()), new TaskSql.SqlArray("text", lower),
                userId, userId, maxTags, userId, userId, userId));
        params.addAll(task);
        Created created = jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(c, ps, params);
                Boolean ok = null;
                String zone = null;
                long createdTags = 0;
                List<String> stored = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ok = rs.getObject(1, Boolean.class);
                        zone = rs.getString(2);
                        if (rs.getString(3) != null) {
                            stored.add(rs.getString(3));
                        }
                        createdTags = rs.getLong(4);
                    }
                }
                return ok == null ? new Created(Outcome.NO_USER, null, List.of())
                        : !ok || !withinTagQuota(c, userId, createdTags, maxTags) ? new Created(Outcome.TAG_QUOTA, null, List.of())
                        : new Created(Outcome.CREATED, zone, stored);
            }
        });
        if (created.outcome() != Outcome.CREATED || created.tags().size() == names.size()) {
            return created;
        }
        // A concurrent transaction created one of these tags after this statement's snapshot was
        // taken: the conflict skipped it and the snapshot cannot see it. Link it with a fresh
        // snapshot (and write the tag-id copy again: rare, unlike the first write).
        linkConcurrentlyCreated(userId, t.id(), lower);
        update("update tasks set tag_ids = array(select tag_id from task_tags where task_id = ? order by tag_id) where id = ?",
                List.of(t.id(), t.id()));
        return new Created(Outcome.CREATED, created.timeZone(), linkedTags(t.id()).names());
    }

    /** A task's tags: their ids in id order (the order of the tag-id copy) and stored names in name order. */
    public record TagSet(List<UUID> ids, List<String> names) {
        UUID[] sortedIds() {
            return ids.stream().sorted().toArray(UUID[]::new);
        }
    }

    /**
     * Makes an existing (locked) task carry exactly these tags, creating tags the user does not have
     * yet; empty when that would take the user past {@code maxTags}. Only links change: the caller
     * writes the tag-id copy with the task's own update ({@link #update(Task, TagSet)}).
     */
    public Optional<TagSet> setTags(UUID userId, UUID taskId, List<String> names, int maxTags) {
        String[] lower = lower(names);
        String sql = "with " + TAGS_MISSING + ", gate as (select " + TAGS_WITHIN_QUOTA + " as ok)," + TAGS_WANTED + ","
                + " unlinked as (delete from task_tags where task_id = ? and (select ok from gate)"
                + " and tag_id <> all (array(select id from wanted))),"
                + " linked as (insert into task_tags (task_id, tag_id) select ?, w.id from wanted w where (select ok from gate)"
                + " on conflict do nothing)"
                + " select u.ok, w.id, w.name, (select count(*) from created) from gate u left join wanted w on u.ok order by lower(w.name)";
        List<Object> params = List.of(new TaskSql.SqlArray("text", names.toArray()), new TaskSql.SqlArray("text", lower),
                userId, userId, maxTags, userId, userId, taskId, taskId);
        Optional<TagSet> set = jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(c, ps, params);
                boolean ok = false;
                long createdTags = 0;
                List<UUID> ids = new ArrayList<>();
                List<String> stored = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ok = rs.getBoolean(1);
                        if (rs.getObject(2) != null) {
                            ids.add(rs.getObject(2, UUID.class));
                            stored.add(rs.getString(3));
                        }
                        createdTags = rs.getLong(4);
                    }
                }
                return ok && withinTagQuota(c, userId, createdTags, maxTags) ? Optional.of(new TagSet(ids, stored)) : Optional.empty();
            }
        });
        if (set.isEmpty() || set.get().names().size() == names.size()) {
            return set;
        }
        linkConcurrentlyCreated(userId, taskId, lower);
        return Optional.of(linkedTags(taskId));
    }

    /**
     * After a statement that created tags: whether the user is still within the tag quota. The
     * statement's own check counted from a snapshot that cannot see tags other transactions were
     * creating at the same time, so racing writes could pass the quota together. Under the user's
     * {@link QuotaLock#TAGS} (held until the transaction ends) a fresh count sees every tag committed
     * by those before, and its own; past the quota the caller refuses and the transaction is undone.
     * A write that created no tag (nearly all) pays nothing.
     */
    private static boolean withinTagQuota(Connection c, UUID userId, long createdTags, int maxTags) throws SQLException {
        if (createdTags == 0) {
            return true;
        }
        QuotaLock.TAGS.take(c, userId);
        try (PreparedStatement count = c.prepareStatement("select count(*) <= ? from tags where user_id = ?")) {
            count.setInt(1, maxTags);
            count.setObject(2, userId);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * Links the named tags a concurrent transaction created after the linking statement's snapshot
     * was taken (its conflict skipped them and its snapshot could not see them), with a fresh snapshot.
     */
    private void linkConcurrentlyCreated(UUID userId, UUID taskId, String[] lower) {
        update("insert into task_tags (task_id, tag_id) select ?, g.id from tags g where g.user_id = ? and lower(g.name) = any(?)"
                + " on conflict do nothing", List.of(taskId, userId, new TaskSql.SqlArray("text", lower)));
    }

    private TagSet linkedTags(UUID taskId) {
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("select g.id, g.name from task_tags tt join tags g on g.id = tt.tag_id"
                    + " where tt.task_id = ? order by lower(g.name)")) {
                ps.setObject(1, taskId);
                List<UUID> ids = new ArrayList<>();
                List<String> stored = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getObject(1, UUID.class));
                        stored.add(rs.getString(2));
                    }
                }
                return new TagSet(ids, stored);
            }
        });
    }

    private static String[] lower(List<String> names) {
        return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toArray(String[]::new);
    }

    public void update(Task t) {
        update(t, null);
    }

    /** Writes the task; with {@code tags}, its tag-id copy too (their links are already in place). */
    public void update(Task t, TagSet tags) {
        List<Object> params = concat(Arrays.asList(t.title(), t.description(), t.priority().rank(), t.dueAt(), t.timeZone(),
                t.allDay(), t.completed(), t.completedAt(), t.updatedAt(), t.version()), seriesColumns(t));
        params.add(tags == null ? null : new TaskSql.SqlArray("uuid", tags.sortedIds()));
        params.add(t.id());
        params.add(t.userId());
        update("update tasks set title = ?, description = ?, priority = ?, due_at = ?, time_zone = ?, all_day = ?,"
                + " completed = ?, completed_at = ?, updated_at = ?, version = ?, series_id = ?, recurrence_rule = ?,"
                + " recurrence_from = ?, recurrence_exdates = ?, series_start = ?, series_index = ?, previous_id = ?, skipped = ?,"
                + " tag_ids = coalesce(cast(? as uuid[]), tag_ids)"
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
     * Tags a task inserted just before (in this transaction), creating tags the user does not have
     * yet. Returns the tags' stored names (an existing tag keeps its spelling: "work" joins "Work").
     */
    public List<String> tagInserted(UUID userId, UUID taskId, List<String> names) {
        String[] lower = lower(names);
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
        linkConcurrentlyCreated(userId, taskId, lower);
        update("update tasks set tag_ids = array(select tag_id from task_tags where task_id = ? order by tag_id) where id = ?",
                List.of(taskId, taskId));
        return linkedTags(taskId).names();
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
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(c, ps, params);
                List<Row> found = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        List<String> keys = new ArrayList<>(sortKeys + 1);
                        for (int i = 0; i < sortKeys; i++) {
                            keys.add(rs.getString("k" + i));
                        }
                        Task task = map(rs).withTags(List.of((String[]) rs.getArray("tag_names").getArray()))
                                .withReminders(ReminderRepository.fromJson(rs.getString("reminder_rows")));
                        keys.add(task.id().toString());
                        found.add(new Row(task, keys));
                    }
                }
                return found;
            }
        });
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
