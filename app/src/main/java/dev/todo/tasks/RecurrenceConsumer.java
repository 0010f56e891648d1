package dev.todo.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.todo.events.BatchEventConsumer;
import dev.todo.events.Outbox;
import dev.todo.events.ProcessedEvents;
import dev.todo.events.Roles;
import dev.todo.recurrence.OccurrencePlanner;
import dev.todo.recurrence.Recurrence;
import dev.todo.events.Events;
import io.cloudevents.CloudEvent;
import io.micronaut.context.annotation.Requires;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
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
 * Plans the next occurrence of a recurring task when an occurrence is completed or skipped, and has
 * {@link TaskService#createNextOccurrence} write it (or {@link TaskService#endSeries} say why there is none).
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

    private final ProcessedEvents processed;
    private final TaskService service;
    private final ObjectMapper mapper;
    private final Set<String> topics;

    public RecurrenceConsumer(ProcessedEvents processed, TaskService service, ObjectMapper mapper, Outbox.Topics topics) {
        this.processed = processed;
        this.service = service;
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
            String why = plan.ended() == null ? "the rule has no further occurrences" : plan.ended();
            LOG.info("Series {} ended with task {}: {}", done.seriesId(), done.taskId(), why);
            service.endSeries(done.taskId(), done.userId(), done.seriesId(), why);
            return;
        }
        service.createNextOccurrence(new TaskService.Successor(done.taskId(), done.userId(), done.title(), done.description(),
                done.priority(), next.get().toInstant(), done.timeZone(), done.allDay(), done.tags(), done.relativeReminders(),
                done.seriesId(), r, done.seriesStart(), done.seriesIndex() + 1));
    }
}
