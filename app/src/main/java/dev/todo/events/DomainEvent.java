package dev.todo.events;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Something that happened, for consumers that act on it: {@code type} such as {@code reminder.due}. */
public record DomainEvent(UUID id, String type, UUID subject, UUID userId, Instant time, Map<String, Object> data) {
}
