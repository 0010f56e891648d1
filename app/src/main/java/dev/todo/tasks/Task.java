package dev.todo.tasks;

import dev.todo.recurrence.Recurrence;
import dev.todo.reminders.Reminder;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

public record Task(UUID id, UUID userId, String title, String description, Priority priority, Instant dueAt,
                   String timeZone, boolean allDay, boolean completed, Instant completedAt, Instant createdAt,
                   Instant updatedAt, int version, List<String> tags, Series series, boolean skipped,
                   List<Reminder> reminders) {

    /**
     * Membership of a recurring series: the rule, the series' first due date (its DTSTART), this
     * task's position in the series, and the occurrence it follows.
     */
    public record Series(UUID id, Recurrence recurrence, Instant start, int index, UUID previousId) {
    }

    public Task withTags(List<String> names) {
        return new Task(id, userId, title, description, priority, dueAt, timeZone, allDay, completed, completedAt,
                createdAt, updatedAt, version, List.copyOf(names), series, skipped, reminders);
    }

    public Task withReminders(List<Reminder> list) {
        return new Task(id, userId, title, description, priority, dueAt, timeZone, allDay, completed, completedAt,
                createdAt, updatedAt, version, tags, series, skipped, List.copyOf(list));
    }

    public String etag() {
        return "\"" + version + "\"";
    }

    /** The JSON shape clients see; {@code dueAt} carries the offset of the task's own zone. */
    public record View(UUID id, String title, String description, String priority, List<String> tags, String dueAt,
                       String timeZone, boolean allDay, boolean completed, Instant completedAt, Instant createdAt,
                       Instant updatedAt, int version, RecurrenceView recurrence, UUID seriesId, boolean skipped,
                       List<Reminder.View> reminders) {
    }

    public record RecurrenceView(String rule, String from, List<String> exdates) {
    }

    public View view() {
        String due = dueAt == null ? null : inZone(dueAt);
        RecurrenceView recurrence = series == null || series.recurrence() == null ? null
                : new RecurrenceView(series.recurrence().rule(), series.recurrence().from().json(),
                series.recurrence().exdates().stream().map(this::inZone).toList());
        return new View(id, title, description, priority.json(), tags, due, timeZone, allDay, completed, completedAt,
                createdAt, updatedAt, version, recurrence, series == null ? null : series.id(), skipped,
                reminders.stream().map(Reminder::view).toList());
    }

    /** An instant as ISO-8601 with the offset of the task's zone. */
    public String inZone(Instant instant) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atZone(ZoneId.of(timeZone)).toOffsetDateTime());
    }
}
