package dev.todo.tasks;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

public record Task(UUID id, UUID userId, String title, String description, Priority priority, Instant dueAt,
                   String timeZone, boolean allDay, boolean completed, Instant completedAt, Instant createdAt,
                   Instant updatedAt, int version, List<String> tags) {

    public Task withTags(List<String> names) {
        return new Task(id, userId, title, description, priority, dueAt, timeZone, allDay, completed, completedAt,
                createdAt, updatedAt, version, List.copyOf(names));
    }

    public String etag() {
        return "\"" + version + "\"";
    }

    /** The JSON shape clients see; {@code dueAt} carries the offset of the task's own zone. */
    public record View(UUID id, String title, String description, String priority, List<String> tags, String dueAt,
                       String timeZone, boolean allDay, boolean completed, Instant completedAt, Instant createdAt,
                       Instant updatedAt, int version) {
    }

    public View view() {
        String due = dueAt == null ? null
                : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(dueAt.atZone(ZoneId.of(timeZone)).toOffsetDateTime());
        return new View(id, title, description, priority.json(), tags, due, timeZone, allDay, completed, completedAt,
                createdAt, updatedAt, version);
    }
}
