package dev.todo.tasks;

import dev.todo.events.Outbox;
import dev.todo.web.ApiException;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A user's tags. Tags come into being when a task first uses them; renaming onto another tag's
 * name merges the two. Tasks whose tags change get a new version, so their ETags stay honest, and
 * a {@code task.updated} event with {@code changes.tags}, like any other change of their tags.
 */
@Singleton
public class TagService {

    private final JdbcOperations jdbc;
    private final TaskRepository tasks;
    private final Outbox outbox;

    public TagService(JdbcOperations jdbc, TaskRepository tasks, Outbox outbox) {
        this.jdbc = jdbc;
        this.tasks = tasks;
        this.outbox = outbox;
    }

    public record Tag(UUID id, String name, String color, long openTasks) {
        public Map<String, Object> view() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", name);
            out.put("color", color);
            out.put("openTasks", openTasks);
            return out;
        }
    }

    private static final String SELECT = "select g.id, g.name, g.color,"
            + " (select count(*) from task_tags tt join tasks t on t.id = tt.task_id where tt.tag_id = g.id and not t.completed) as open_tasks"
            + " from tags g where g.user_id = ?";

    @Transactional(readOnly = true)
    public List<Tag> list(UUID userId) {
        return select(SELECT + " order by lower(g.name)", List.of(userId));
    }

    /**
     * The user's tags without counting their tasks (openTasks is 0): what a page of tasks needs to
     * name and colour them, cheap however many tasks there are.
     */
    @Transactional(readOnly = true)
    public List<Tag> names(UUID userId) {
        return select("select g.id, g.name, g.color, 0 from tags g where g.user_id = ? order by lower(g.name)", List.of(userId));
    }

    /** The user's tag names (lower case) with their colours, for the tags that have one. */
    @Transactional(readOnly = true)
    public Map<String, String> colors(UUID userId) {
        Map<String, String> out = new HashMap<>();
        names(userId).stream().filter(t -> t.color() != null).forEach(t -> out.put(t.name().toLowerCase(java.util.Locale.ROOT), t.color()));
        return out;
    }

    private Optional<Tag> find(UUID userId, String name) {
        return select(SELECT + " and lower(g.name) = lower(?)", List.of(userId, name)).stream().findFirst();
    }

    /** Renames (merging into an existing tag of that name) and/or recolours; {@code clearColor} removes the colour. */
    @Transactional
    public Tag update(UUID userId, String name, String newName, String color, boolean clearColor) {
        Tag tag = find(userId, name).orElseThrow(() -> ApiException.notFound("The tag '" + name + "'"));
        UUID target = tag.id();
        if (newName != null && !newName.equals(tag.name())) {
            List<Task> before = tagged(userId, tag.id());
            Optional<Tag> other = find(userId, newName).filter(o -> !o.id().equals(tag.id()));
            if (other.isPresent()) {
                target = other.get().id();
                touchTasks(userId, tag.id(), "array(select distinct x from unnest(array_replace(tag_ids, ?, ?)) x order by x)",
                        List.of(tag.id(), target));
                tasks.update("insert into task_tags (task_id, tag_id) select task_id, ? from task_tags where tag_id = ?"
                        + " on conflict do nothing", List.of(target, tag.id()));
                tasks.update("delete from tags where id = ?", List.of(tag.id()));
            } else {
                touchTasks(userId, tag.id(), "tag_ids", List.of());
                tasks.update("update tags set name = ? where id = ?", List.of(newName, tag.id()));
            }
            announce(userId, before);
        }
        if (clearColor) {
            tasks.update("update tags set color = null where id = ?", List.of(target));
        } else if (color != null) {
            tasks.update("update tags set color = ? where id = ?", List.of(color, target));
        }
        UUID id = target;
        return select(SELECT + " and g.id = ?", List.of(userId, id)).get(0);
    }

    @Transactional
    public void delete(UUID userId, String name) {
        Tag tag = find(userId, name).orElseThrow(() -> ApiException.notFound("The tag '" + name + "'"));
        List<Task> before = tagged(userId, tag.id());
        touchTasks(userId, tag.id(), "array_remove(tag_ids, ?)", List.of(tag.id()));
        tasks.update("delete from tags where id = ?", List.of(tag.id()));
        announce(userId, before);
    }

    /** The tasks carrying the tag, locked, as they are before the change. */
    private List<Task> tagged(UUID userId, UUID tagId) {
        List<UUID> ids = new ArrayList<>();
        jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("select id from tasks where user_id = ? and tag_ids @> ? order by id for update")) {
                TaskRepository.bind(c, ps, List.of(userId, new TaskSql.SqlArray("uuid", new Object[]{tagId})));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getObject(1, UUID.class));
                    }
                }
                return null;
            }
        });
        return tasks.findAll(userId, ids);
    }

    /** One task.updated per task whose tags changed, in this transaction. */
    private void announce(UUID userId, List<Task> before) {
        Map<UUID, Task> after = new HashMap<>();
        tasks.findAll(userId, before.stream().map(Task::id).toList()).forEach(t -> after.put(t.id(), t));
        for (Task b : before) {
            Task a = after.get(b.id());
            if (a != null && !a.tags().equals(b.tags())) {
                outbox.task("task.updated", a.id(), userId, Map.of("task", a.view(),
                        "changes", Map.of("tags", Map.of("before", b.tags(), "after", a.tags()))));
            }
        }
    }

    /** New version for every task carrying the tag, with its tag-id copy rewritten by {@code tagIds}. */
    private void touchTasks(UUID userId, UUID tagId, String tagIds, List<?> tagIdsParams) {
        List<Object> params = new java.util.ArrayList<>(tagIdsParams);
        params.add(userId);
        params.add(new TaskSql.SqlArray("uuid", new Object[]{tagId}));
        tasks.update("update tasks set version = version + 1, updated_at = date_trunc('microseconds', now()), tag_ids = " + tagIds
                + " where user_id = ? and tag_ids @> ?", params);
    }

    private List<Tag> select(String sql, List<?> params) {
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                TaskRepository.bind(c, ps, params);
                List<Tag> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Tag(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getLong(4)));
                    }
                }
                return out;
            }
        });
    }
}
