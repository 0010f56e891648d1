package dev.todo.ui;

import dev.todo.web.ApiException;

import java.util.UUID;

/** Ids and versions from the UI's paths and forms; a malformed one is "not found", as in the API. */
final class Ids {

    private Ids() {
    }

    static UUID parse(String id, String what) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound(what);
        }
    }

    static Integer version(String v) {
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            throw ApiException.invalid("version", "must be the task's version number; got '" + v + "'");
        }
    }
}
