package dev.todo.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.todo.auth.UserRepository;
import dev.todo.events.Outbox;
import dev.todo.recurrence.OccurrencePlanner;
import dev.todo.recurrence.Recurrence;
import dev.todo.reminders.ReminderRepository;
import dev.todo.web.ApiException;
import dev.todo.web.Cursor;
import io.micronaut.context.annotation.Value;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

@Singleton
public class TaskService {

    private static final Logger LOG = LoggerFactory.getLogger(TaskService.class);

    private final TaskRepository tasks;
    private final TaskQuota quota;
    private final ReminderRepository reminders;
    private final Outbox outbox;
    private final ObjectMapper mapper;
    private final UserRepository users;
    private final Cursor cursors;
    private final int maxTags;

    public TaskService(TaskRepository tasks, TaskQuota quota, ReminderRepository reminders, Outbox outbox, UserRepository users,
                       ObjectMapper mapper, @Value("${todo.auth.jwt-secret}") String secret,
                       @Value("${todo.quotas.tags:500}") int maxTags) {
        this.maxTags = maxTags;
        this.tasks = tasks;
        this.quota = quota;
        this.reminders = reminders;
        this.outbox = outbox;
        this.mapper = mapper;
        this.users = users;
        this.cursors = new Cursor(Cursor.key(secret, "cursor"), mapper);
    }

    public record Page(List<Task> items, String nextCursor) {
    }

    static Instant now() {
        // PostgreSQL keeps microseconds: truncate so the value returned equals the value stored
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    @Transactional
    public Task create(UUID userId, TaskChanges c) {
        quota.admit(userId);
        boolean allDay = Boolean.TRUE.equals(c.allDay());
        if (allDay && c.dueAt() == null) {
            throw ApiException.invalid("allDay", "an all-day task needs a dueAt (its date)");
        }
        if (c.recurrence() != null && c.dueAt() == null) {
            throw ApiException.invalid("dueAt", "a recurring task needs a dueAt (its first occurrence)");
        }
        // an all-day due date is cut at midnight in the task's zone, so that needs the zone now;
        // otherwise a task without one gets the user's zone in the insert itself
        String zone = c.timeZone() != null || !allDay ? c.timeZone()
                : users.findTimeZone(userId).orElseThrow(TaskService::noAccount);
        Instant now = now();
        UUID id = UUID.randomUUID();
        Instant due = TaskChanges.normalizeDue(c.dueAt(), zone, allDay);
        Task.Series series = c.recurrence() == null ? null : new Task.Series(id, c.recurrence(), due, 1, null);
        Task task = new Task(id, userId, c.title(), c.description(), c.priority() == null ? Priority.NONE : c.priority(),
                due, zone, allDay, false, null, now, now, 1, List.of(), series, false, List.of());
        TaskRepository.Created created = tasks.insertNew(task, c.tags() == null ? List.of() : c.tags(), maxTags);
        switch (created.outcome()) {
            case NO_USER -> throw noAccount();
            case TAG_QUOTA -> throw tagQuotaExceeded();
            case CREATED -> { }
        }
        task = new Task(id, userId, task.title(), task.description(), task.priority(), due, created.timeZone(), allDay, false, null,
                now, now, 1, created.tags(), series, false, List.of());
        if (c.reminders() != null) {
            task = task.withReminders(reminders.replace(userId, id, c.reminders(), due));
        }
        outbox.task("task.created", task.id(), userId, Map.of("task", task.view()));
        LOG.debug("Created task {} for user {}", task.id(), userId);
        return Boolean.TRUE.equals(c.completed()) ? close(task, false, now) : task;
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
        due = TaskChanges.normalizeDue(due, zone, allDay);
        Task.Series series = t.series();
        if (c.clearRecurrence()) {
            series = null;
        } else if (c.recurrence() != null) {
            series = series == null ? new Task.Series(t.id(), c.recurrence(), due, 1, null)
                    : new Task.Series(series.id(), c.recurrence(), due, series.index(), series.previousId());
        }
        if (series != null && series.recurrence() != null && due == null) {
            throw ApiException.invalid("dueAt", "a recurring task needs a dueAt; remove the recurrence first");
        }
        if (series != null && series.recurrence() != null && !due.equals(series.start())
                && (c.dueAt() != null || c.timeZone() != null || c.allDay() != null || c.recurrence() != null)) {
            // moving a recurring task re-anchors its series on the new due date
            series = new Task.Series(series.id(), series.recurrence(), due, series.index(), series.previousId());
        }
        Instant now = now();
        // links change here; the task's copy of its tag ids is written with the task below, if at all
        TaskRepository.TagSet tagSet = c.tags() == null ? null
                : tasks.setTags(userId, id, c.tags(), maxTags).orElseThrow(this::tagQuotaExceeded);
        List<String> tags = tagSet != null ? tagSet.names() : t.tags();
        Task updated = new Task(t.id(), userId, c.title() != null ? c.title() : t.title(),
                c.clearDescription() ? null : c.description() != null ? c.description() : t.description(),
                c.priority() != null ? c.priority() : t.priority(), due, zone, allDay,
                t.completed(), t.completedAt(), t.createdAt(), now, t.version() + 1, tags, series, t.skipped(), t.reminders());
        boolean changed = !sameContent(t, updated) || c.reminders() != null;
        if (changed) {
            tasks.update(updated, tagSet);
            if (c.reminders() != null) {
                reminders.replace(userId, id, c.reminders(), due);
            } else if (!java.util.Objects.equals(due, t.dueAt())) {
                reminders.moveRelative(id, due);
            }
            updated = withCurrentReminders(updated);
            outbox.task("task.updated", id, userId, Map.of("task", updated.view(), "changes", changes(t, updated)));
            LOG.debug("Updated task {} to version {}", id, updated.version());
        }
        Task current = changed ? updated : t;
        if (c.completed() != null && c.completed() != current.completed()) {
            return c.completed() ? close(current, false, now) : reopen(current, now);
        }
        return current;
    }

    @Transactional
    public Task setCompleted(UUID userId, UUID id, boolean completed, Integer expectedVersion) {
        Task t = locked(userId, id, expectedVersion);
        if (t.completed() == completed) {
            return t; // completing a completed task changes nothing: retries are safe
        }
        return completed ? close(t, false, now()) : reopen(t, now());
    }

    /** Closes this occurrence of a recurring task without doing it; the next one follows from the event. */
    @Transactional
    public Task skip(UUID userId, UUID id, Integer expectedVersion) {
        Task t = locked(userId, id, expectedVersion);
        if (t.series() == null || t.series().recurrence() == null) {
            throw new ApiException(io.micronaut.http.HttpStatus.CONFLICT, "not-recurring", "Not a recurring task",
                    "Only an occurrence of a recurring task can be skipped; complete or delete this task instead.", List.of());
        }
        if (t.completed()) {
            return t;
        }
        return close(t, true, now());
    }

    /** Tags are created by using them: a body that would take the user past the tag quota is refused. */
    private ApiException tagQuotaExceeded() {
        return ApiException.quotaExceeded("tags", "tags", maxTags);
    }

    private static ApiException noAccount() {
        return ApiException.unauthorized("The account no longer exists.");
    }

    /** What the next occurrence of a series copies from the occurrence that was closed. */
    public record Successor(UUID previousId, UUID userId, String title, String description, Priority priority, Instant dueAt,
                            String timeZone, boolean allDay, List<String> tags, List<java.time.Duration> relativeReminders,
                            UUID seriesId, Recurrence recurrence, Instant seriesStart, int index) {
    }

    /**
     * Creates the next occurrence of a series, at most once per closed occurrence ever
     * ({@code occurrence_successors}); empty when it already has one. The link to the previous
     * occurrence is kept only while that one exists (locked, so it cannot vanish meanwhile).
     */
    @Transactional
    public Optional<Task> createNextOccurrence(Successor s) {
        UUID id = UUID.randomUUID();
        if (!tasks.recordSuccessor(s.previousId(), id)) {
            LOG.debug("Task {} already has its next occurrence", s.previousId());
            return Optional.empty();
        }
        UUID previous = tasks.lockIfExists(s.previousId()) ? s.previousId() : null;
        Instant now = now();
        Task successor = new Task(id, s.userId(), s.title(), s.description(), s.priority(), s.dueAt(), s.timeZone(), s.allDay(),
                false, null, now, now, 1, List.of(),
                new Task.Series(s.seriesId(), s.recurrence(), s.seriesStart(), s.index(), previous), false, List.of());
        if (!tasks.insert(successor)) {
            // made before the ledger existed, by the completing transaction itself: keep the ledger true
            tasks.linkSuccessorMadeEarlier(s.previousId());
            return Optional.empty();
        }
        quota.created(s.userId());
        List<String> tags = s.tags().isEmpty() ? List.of() : tasks.tagInserted(s.userId(), id, s.tags());
        List<dev.todo.reminders.Reminder> copied = s.relativeReminders().isEmpty() ? List.of()
                : reminders.replace(s.userId(), id, s.relativeReminders().stream()
                .map(b -> new dev.todo.reminders.Reminder.Spec(b, null)).toList(), successor.dueAt());
        Task created = successor.withTags(tags).withReminders(copied);
        outbox.task("task.occurrence.generated", id, s.userId(), Map.of("task", created.view(), "previousTaskId", s.previousId()));
        LOG.debug("Task {} follows {} in series {}", id, s.previousId(), s.seriesId());
        return Optional.of(created);
    }

    /**
     * A series never ends silently: the reason goes into an event on the task that ended it, and so
     * into the user's activity log.
     */
    @Transactional
    public void endSeries(UUID lastTaskId, UUID userId, UUID seriesId, String reason) {
        outbox.task("task.series.ended", lastTaskId, userId, Map.of("seriesId", seriesId, "taskId", lastTaskId, "reason", reason));
    }

    /** The next {@code count} due instants of a recurring task's series after this task's due date. */
    @Transactional(readOnly = true)
    public OccurrencePlanner.Plan occurrences(UUID userId, UUID id, int count) {
        Task t = get(userId, id);
        if (t.series() == null || t.series().recurrence() == null) {
            throw new ApiException(io.micronaut.http.HttpStatus.CONFLICT, "not-recurring", "Not a recurring task",
                    "The task has no recurrence, so it has no upcoming occurrences.", List.of());
        }
        Recurrence r = t.series().recurrence();
        return OccurrencePlanner.plan(Recurrence.parseUnbounded(r.rule(), "recurrence.rule"), r.exdates(),
                t.series().start().atZone(ZoneId.of(t.timeZone())), t.dueAt(), count);
    }

    /**
     * Completes (or skips) the task. For a recurring one the event also carries the series' start
     * and this occurrence's position: the recurrence consumer creates the next occurrence from it.
     */
    private Task close(Task t, boolean skipped, Instant now) {
        Task closed = new Task(t.id(), t.userId(), t.title(), t.description(), t.priority(), t.dueAt(), t.timeZone(),
                t.allDay(), true, now, t.createdAt(), now, t.version() + 1, t.tags(), t.series(), skipped, t.reminders());
        tasks.update(closed);
        reminders.cancelPending(t.id());
        closed = withCurrentReminders(closed);
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("task", closed.view());
        if (t.series() != null && t.series().recurrence() != null) {
            data.put("series", Map.of("start", t.series().start(), "index", t.series().index()));
        }
        outbox.task(skipped ? "task.skipped" : "task.completed", t.id(), t.userId(), data);
        return closed;
    }

    private Task reopen(Task t, Instant now) {
        Task reopened = new Task(t.id(), t.userId(), t.title(), t.description(), t.priority(), t.dueAt(), t.timeZone(),
                t.allDay(), false, null, t.createdAt(), now, t.version() + 1, t.tags(), t.series(), false, t.reminders());
        tasks.update(reopened);
        reminders.restore(t.id());
        reopened = withCurrentReminders(reopened);
        outbox.task("task.reopened", t.id(), t.userId(), Map.of("task", reopened.view()));
        return reopened;
    }

    @Transactional
    public void delete(UUID userId, UUID id, Integer expectedVersion) {
        Task t = locked(userId, id, expectedVersion);
        outbox.task("task.deleted", id, userId, Map.of("task", t.view()));
        tasks.delete(userId, id);
        LOG.debug("Deleted task {}", id);
    }

    /** One statement (the rows bring their tags and reminders), so no transaction around it. */
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

    /** The fields a patch changed, each with its value before and after. */
    private Map<String, Object> changes(Task before, Task after) {
        com.fasterxml.jackson.databind.JsonNode a = mapper.valueToTree(before.view());
        com.fasterxml.jackson.databind.JsonNode b = mapper.valueToTree(after.view());
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        b.fieldNames().forEachRemaining(f -> {
            if (!f.equals("version") && !f.equals("updatedAt") && !a.path(f).equals(b.path(f))) {
                out.put(f, Map.of("before", a.path(f), "after", b.path(f)));
            }
        });
        return out;
    }

    private Task withCurrentReminders(Task t) {
        return t.withReminders(reminders.forTask(t.id()));
    }

    private static boolean sameContent(Task a, Task b) {
        return a.title().equals(b.title()) && java.util.Objects.equals(a.description(), b.description())
                && a.priority() == b.priority() && java.util.Objects.equals(a.dueAt(), b.dueAt())
                && a.timeZone().equals(b.timeZone()) && a.allDay() == b.allDay() && a.completed() == b.completed()
                && a.tags().equals(b.tags()) && java.util.Objects.equals(a.series(), b.series());
    }

}
