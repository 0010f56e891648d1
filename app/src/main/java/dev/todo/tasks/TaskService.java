package dev.todo.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.todo.auth.UserRepository;
import dev.todo.web.ApiException;
import io.micronaut.context.annotation.Value;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

@Singleton
public class TaskService {

    private static final Logger LOG = LoggerFactory.getLogger(TaskService.class);

    private final TaskRepository tasks;
    private final UserRepository users;
    private final Cursor cursors;

    public TaskService(TaskRepository tasks, UserRepository users, ObjectMapper mapper,
                       @Value("${todo.auth.jwt-secret}") String secret) {
        this.tasks = tasks;
        this.users = users;
        this.cursors = new Cursor(derive(secret, "cursor"), mapper);
    }

    public record Page(List<Task> items, String nextCursor) {
    }

    static Instant now() {
        // PostgreSQL keeps microseconds: truncate so the value returned equals the value stored
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    @Transactional
    public Task create(UUID userId, TaskChanges c) {
        String zone = c.timeZone() != null ? c.timeZone()
                : users.findTimeZone(userId).orElseThrow(() -> ApiException.unauthorized("The account no longer exists."));
        boolean allDay = Boolean.TRUE.equals(c.allDay());
        if (allDay && c.dueAt() == null) {
            throw ApiException.invalid("allDay", "an all-day task needs a dueAt (its date)");
        }
        Instant now = now();
        boolean completed = Boolean.TRUE.equals(c.completed());
        Task task = new Task(UUID.randomUUID(), userId, c.title(), c.description(),
                c.priority() == null ? Priority.NONE : c.priority(), TaskChanges.normalizeDue(c.dueAt(), zone, allDay),
                zone, allDay, completed, completed ? now : null, now, now, 1, List.of());
        tasks.insert(task);
        List<String> tags = c.tags() == null ? List.of() : tasks.replaceTags(userId, task.id(), c.tags(), true);
        LOG.debug("Created task {} for user {}", task.id(), userId);
        return task.withTags(tags);
    }

    @Transactional(readOnly = true)
    public Task get(UUID userId, UUID id) {
        return tasks.find(userId, id, false).orElseThrow(() -> ApiException.notFound("The task"));
    }

    /** Applies a merge patch; {@code expectedVersion} (from If-Match) guards against lost updates. */
    @Transactional
    public Task patch(UUID userId, UUID id, TaskChanges c, Integer expectedVersion) {
        Task t = locked(userId, id, expectedVersion);
        String zone = c.timeZone() != null ? c.timeZone() : t.timeZone();
        boolean allDay = c.allDay() != null ? c.allDay() : t.allDay();
        Instant due = c.clearDue() ? null : c.dueAt() != null ? c.dueAt() : t.dueAt();
        if (allDay && due == null) {
            throw ApiException.invalid(c.clearDue() ? "dueAt" : "allDay", "an all-day task needs a dueAt (its date)");
        }
        Instant now = now();
        boolean completed = c.completed() != null ? c.completed() : t.completed();
        Instant completedAt = completed == t.completed() ? t.completedAt() : completed ? now : null;
        List<String> tags = c.tags() != null ? tasks.replaceTags(userId, id, c.tags(), false) : t.tags();
        Task updated = new Task(t.id(), userId, c.title() != null ? c.title() : t.title(),
                c.clearDescription() ? null : c.description() != null ? c.description() : t.description(),
                c.priority() != null ? c.priority() : t.priority(), TaskChanges.normalizeDue(due, zone, allDay), zone, allDay,
                completed, completedAt, t.createdAt(), now, t.version() + 1, tags);
        if (sameContent(t, updated)) {
            return t;
        }
        tasks.update(updated);
        LOG.debug("Updated task {} to version {}", id, updated.version());
        return updated;
    }

    @Transactional
    public Task setCompleted(UUID userId, UUID id, boolean completed, Integer expectedVersion) {
        Task t = locked(userId, id, expectedVersion);
        if (t.completed() == completed) {
            return t; // completing a completed task changes nothing: retries are safe
        }
        Instant now = now();
        Task updated = new Task(t.id(), userId, t.title(), t.description(), t.priority(), t.dueAt(), t.timeZone(),
                t.allDay(), completed, completed ? now : null, t.createdAt(), now, t.version() + 1, t.tags());
        tasks.update(updated);
        return updated;
    }

    @Transactional
    public void delete(UUID userId, UUID id, Integer expectedVersion) {
        locked(userId, id, expectedVersion);
        tasks.delete(userId, id);
        LOG.debug("Deleted task {}", id);
    }

    @Transactional(readOnly = true)
    public Page list(UUID userId, TaskQuery q) {
        String binding = userId + "|" + q.fingerprint();
        List<String> after = q.cursor() == null ? null : cursors.decode(q.cursor(), binding, q.sort().size() + 1);
        List<TaskRepository.Row> rows = tasks.page(TaskSql.page(userId, q, after), q.sort().size());
        String next = null;
        if (rows.size() > q.limit()) {
            rows = rows.subList(0, q.limit());
            next = cursors.encode(rows.get(rows.size() - 1).sortValues(), binding);
        }
        return new Page(rows.stream().map(TaskRepository.Row::task).toList(), next);
    }

    private Task locked(UUID userId, UUID id, Integer expectedVersion) {
        Task t = tasks.find(userId, id, true).orElseThrow(() -> ApiException.notFound("The task"));
        if (expectedVersion != null && expectedVersion != t.version()) {
            throw ApiException.preconditionFailed("The task has changed: it is at version " + t.version()
                    + ", the request expected version " + expectedVersion + ". Fetch it again and reapply the change.");
        }
        return t;
    }

    private static boolean sameContent(Task a, Task b) {
        return a.title().equals(b.title()) && java.util.Objects.equals(a.description(), b.description())
                && a.priority() == b.priority() && java.util.Objects.equals(a.dueAt(), b.dueAt())
                && a.timeZone().equals(b.timeZone()) && a.allDay() == b.allDay() && a.completed() == b.completed()
                && a.tags().equals(b.tags());
    }

    static byte[] derive(String secret, String purpose) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(purpose.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            return md.digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
