package dev.todo.web;

import java.util.UUID;

/** Ids in paths. */
public final class Ids {

    private Ids() {
    }

    /**
     * The id in a path such as {@code /api/tasks/{id}}; a malformed one names nothing that exists,
     * so it gets the same 404 as a missing one ({@code what}: "The task").
     */
    public static UUID parse(String id, String what) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ApiException.notFound(what);
        }
    }
}
