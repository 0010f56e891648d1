package dev.todo.recurrence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.todo.events.BatchEventConsumer;
import dev.todo.events.Outbox;
import dev.todo.events.ProcessedEvents;
import dev.todo.events.Roles;
import dev.todo.reminders.Reminder;
import dev.todo.reminders.ReminderRepository;
import dev.todo.tasks.Priority;
import dev.todo.tasks.Task;
import dev.todo.tasks.TaskRepository;
import dev.todo.events.Events;
import io.cloudevents.CloudEvent;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Creates the next occurrence of a recurring task when an occurrence is completed or skipped.
 * <p>
 * Works from the event alone (the task as it was closed, the series' start and position, the
 * completion time), so the successor is the same however late the consumer runs and whatever
 * happened to the task since. Exactly one successor per occurrence, ever: the event is claimed in
 * processed_events (a redelivery does nothing), {@code occurrence_successors} records the occurrence
 * that got its successor (a second completion after a reopen does nothing, even once the occurrence
 * was deleted), and {@code tasks.previous_id} stays unique.
 * <p>
 * A completed occurrence deleted before this consumer ran still gets its successor (without a
 * {@code previous_id}, as after any deletion): deleting a done task is tidying up, not ending the
 * series, and the outcome must not depend on how fast the worker was. To end a series, remove its
 * recurrence or delete its open occurrence.
 */
@Singleton
@Requires(property = "todo.roles", pattern = Roles.WORKER)
public class RecurrenceConsumer implements BatchEventConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(RecurrenceConsumer.class);
    static final String NAME = "recurrence";
    static final Set<String> TYPES = Set.of("dev.todo.task.completed", "dev.todo.task.skipped");

    private final JdbcOperations jdbc;
    private final ProcessedEvents processed;
    private final TaskRepository tasks;
    private final ReminderRepository reminders;
    private final Outbox outbox;
    private final ObjectMapper mapper;
    private final Set<String> topics;

    public RecurrenceConsumer(JdbcOperations jdbc, ProcessedEvents processed, TaskRepository tasks, ReminderRepository reminders,
                              Outbox outbox, ObjectMapper mapper, Outbox.Topics topics) {
        this.jdbc = jdbc;
        this.processed = processed;
        this.tasks = tasks;
        this.reminders = reminders;
        this.outbox = outbox;
        this.mapper = mapper;
        this.topics = Set.of(topics.taskEvents());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> topics() {
        return topics;
    }

    /**
     * A closed occurrence as its event tells it: the task's content, its relative reminders, its
     * series and when it was closed.
     */
    record Closed(UUID taskId, UUID userId, String title, String description, Priority priority, Instant dueAt,
                  String timeZone, boolean allDay, List<String> tags, List<Duration> relativeReminders,
                  UUID seriesId, Recurrence recurrence, Instant seriesStart, int seriesIndex, Instant closedAt) {

        /** Empty for a task without recurrence, and for events that do not describe the series. */
        static Optional<Closed> of(CloudEvent event, ObjectMapper mapper) throws IOException {
            JsonNode data = mapper.readTree(event.getData().toBytes());
            JsonNode t = data.path("task");
            JsonNode r = t.path("recurrence");
            JsonNode series = data.path("series");
            if (!r.isObject() || !series.isObject()) {
                // no recurrence; or written when the completing transaction still made the successor itself
                return Optional.empty();
            }
            List<Instant> exdates = new ArrayList<>();
            r.path("exdates").forEach(x -> exdates.add(instant(x)));
            Recurrence recurrence = new Recurrence(text(r, "rule"), exdates,
                    Recurrence.From.parse(text(r, "from")).orElseThrow(() -> new IllegalArgumentException("unknown recurrence.from")));
            List<String> tags = new ArrayList<>();
            t.path("tags").forEach(x -> tags.add(x.asText()));
            List<Duration> before = new ArrayList<>();
            t.path("reminders").forEach(x -> {
                if (x.hasNonNull("before")) {
                    before.add(Duration.parse(x.get("before").asText()));
                }
            });
            Instant closedAt = t.hasNonNull("completedAt") ? instant(t.get("completedAt")) : event.getTime().toInstant();
            return Optional.of(new Closed(UUID.fromString(text(t, "id")), Events.userId(event),
                    text(t, "title"), t.hasNonNull("description") ? t.get("description").asText() : null,
                    Priority.parse(text(t, "priority")).orElseThrow(() -> new IllegalArgumentException("unknown priority")),
                    instant(t.get("dueAt")), text(t, "timeZone"), t.path("allDay").asBoolean(), tags, before,
                    UUID.fromString(text(t, "seriesId")), recurrence, instant(series.get("start")), series.path("index").asInt(1),
                    closedAt));
        }

        private static String text(JsonNode n, String field) {
            JsonNode v = n.get(field);
            if (v == null || v.isNull()) {
                throw new IllegalArgumentException("the event's task has no " + field);
            }
            return v.asText();
        }

        private static Instant instant(JsonNode n) {
            if (n == null || n.isNull()) {
                throw new IllegalArgumentException("missing date-time in the event");
            }
            return OffsetDateTime.parse(n.asText()).toInstant();
        }
    }

    @Override
    @Transactional
    public void handle(CloudEvent event) throws IOException {
        plan(event);
    }

    /**
     * Events that arrived together, in one transaction: most are not completions at all, and a
     * transaction per event only to ignore it costs the pipeline more than the rest of its work.
     */
    @Override
    @Transactional
    public void handleAll(List<CloudEvent> events) throws IOException {
        for (CloudEvent e : events) {
            plan(e);
        }
    }

    private void plan(CloudEvent event) throws IOException {
        if (!TYPES.contains(event.getType())) {
            return;
        }
        Optional<Closed> closed = Closed.of(event, mapper);
        if (closed.isEmpty() || !processed.claim(NAME, event)) {
            return;
        }
        createNextOccurrence(closed.get());
    }

    private void createNextOccurrence(Closed done) {
        Recurrence r = done.recurrence();
        ZoneId zone = ZoneId.of(done.timeZone());
        OccurrencePlanner.Plan plan;
        try {
            // unbounded parse: a rule stored before the bounds existed ends its series with the reason, below
            var rule = Recurrence.parseUnbounded(r.rule(), "recurrence.rule");
            ZonedDateTime start = done.seriesStart().atZone(zone);
            // the completion time from the event, not this consumer's clock: a late consumer plans the same day
            plan = r.from() == Recurrence.From.DUE
                    ? OccurrencePlanner.nextAfterDue(rule, r.exdates(), start, done.dueAt(), done.closedAt())
                    : OccurrencePlanner.nextAfterCompletion(rule, r.exdates(), start, done.closedAt(), done.seriesIndex());
        } catch (dev.todo.web.ApiException e) {
            plan = new OccurrencePlanner.Plan(List.of(), "the rule is not valid any more: " + e.getMessage());
        }
        Optional<ZonedDateTime> next = plan.first();
        if (next.isEmpty()) {
            ended(done, plan.ended());
            return;
        }
        UUID id = UUID.randomUUID();
        if (!recordSuccessor(done.taskId(), id)) {
            LOG.debug("Task {} already has its next occurrence", done.taskId());
            return;
        }
        // the link to the previous occurrence only while it exists; locked so it cannot vanish meanwhile
        UUID previous = tasks.lockIfExists(done.taskId()) ? done.taskId() : null;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Task successor = new Task(id, done.userId(), done.title(), done.description(), done.priority(), next.get().toInstant(),
                done.timeZone(), done.allDay(), false, null, now, now, 1, List.of(),
                new Task.Series(done.seriesId(), r, done.seriesStart(), done.seriesIndex() + 1, previous), false, List.of());
        if (!tasks.insert(successor)) {
            // made before the ledger existed, by the completing transaction itself: keep the ledger true
            jdbc.execute(c -> {
                try (PreparedStatement ps = c.prepareStatement("update occurrence_successors set successor_id ="
                        + " (select id from tasks where previous_id = ?) where previous_id = ?")) {
                    ps.setObject(1, done.taskId());
                    ps.setObject(2, done.taskId());
                    return ps.executeUpdate();
                }
            });
            return;
        }
        List<String> tags = done.tags().isEmpty() ? List.of() : tasks.replaceTags(done.userId(), id, done.tags(), true);
        List<Reminder> copied = done.relativeReminders().isEmpty() ? List.of()
                : reminders.replace(done.userId(), id, done.relativeReminders().stream().map(b -> new Reminder.Spec(b, null)).toList(),
                successor.dueAt());
        Task created = successor.withTags(tags).withReminders(copied);
        outbox.task("task.occurrence.generated", id, done.userId(), Map.of("task", created.view(), "previousTaskId", done.taskId()));
        LOG.debug("Task {} follows {} in series {}", id, done.taskId(), done.seriesId());
    }

    /**
     * A series never ends silently: the reason goes into an event on the task that ended it, and so
     * into the user's activity log.
     */
    private void ended(Closed done, String reason) {
        String why = reason == null ? "the rule has no further occurrences" : reason;
        LOG.info("Series {} ended with task {}: {}", done.seriesId(), done.taskId(), why);
        outbox.task("task.series.ended", done.taskId(), done.userId(),
                Map.of("seriesId", done.seriesId(), "taskId", done.taskId(), "reason", why));
    }

    /** Records that {@code previous} gets {@code successor}; false when it already has one. */
    private boolean recordSuccessor(UUID previous, UUID successor) {
        return jdbc.execute(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into occurrence_successors (previous_id, successor_id)"
                    + " values (?, ?) on conflict do nothing")) {
                ps.setObject(1, previous);
                ps.setObject(2, successor);
                return ps.executeUpdate() == 1;
            }
        });
    }
}
