package dev.todo.reminders;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** A reminder of a task: {@code before} its due date, or {@code at} an instant. */
public record Reminder(UUID id, Duration before, Instant at, Instant fireAt, String status, Instant firedAt, boolean late) {

    /** What a client asks for: exactly one of the two. */
    public record Spec(Duration before, Instant at) {

        /** When it fires for a task due at {@code due}; null for a relative reminder without a due date. */
        public Instant fireAt(Instant due) {
            return at != null ? at : due == null ? null : due.minus(before);
        }
    }

    public record View(UUID id, String before, Instant at, Instant fireAt, String status, Instant firedAt, boolean late) {
    }

    public View view() {
        return new View(id, before == null ? null : before.toString(), at, fireAt, status, firedAt, late);
    }
}
