package dev.todo.events;

import io.cloudevents.CloudEvent;

import java.util.UUID;

/** What every consumer reads off an event the same way. */
public final class Events {

    /** The CloudEvents type of {@code task.completed} is {@code dev.todo.task.completed}. */
    public static final String TYPE_PREFIX = "dev.todo.";

    private Events() {
    }

    /** The type without the prefix: the name webhooks, the activity log and live streams use. */
    public static String name(CloudEvent event) {
        String type = event.getType();
        return type.startsWith(TYPE_PREFIX) ? type.substring(TYPE_PREFIX.length()) : type;
    }

    /** The user the event belongs to ({@code userid} extension); IllegalArgumentException when missing or not a UUID. */
    public static UUID userId(CloudEvent event) {
        Object user = event.getExtension("userid");
        if (user == null) {
            throw new IllegalArgumentException("event " + event.getId() + " has no userid extension");
        }
        return UUID.fromString(String.valueOf(user));
    }
}
