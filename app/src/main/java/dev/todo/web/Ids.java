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

    /** A position in a path such as {@code .../actions/{index}}: anything but a small non-negative number is a 404. */
    public static int index(String index, String what) {
        if (index == null || !index.matches("\\d{1,6}")) {
            throw ApiException.notFound(what);
        }
        return Integer.parseInt(index);
    }
}
