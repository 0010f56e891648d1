package dev.todo.tasks;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** The JSON shape clients see. {@code dueAt} carries the offset of the task's own zone. */
    public Map<String, Object> view() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("title", title);
        out.put("description", description);
        out.put("priority", priority.json());
        out.put("tags", tags);
        out.put("dueAt", dueAt == null ? null
                : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(dueAt.atZone(ZoneId.of(timeZone)).toOffsetDateTime()));
        out.put("timeZone", timeZone);
        out.put("allDay", allDay);
        out.put("completed", completed);
        out.put("completedAt", completedAt);
        out.put("createdAt", createdAt);
        out.put("updatedAt", updatedAt);
        out.put("version", version);
        return out;
    }
}
