package dev.todo.ui;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The values the templates show: built in Java, so templates only lay them out. */
public final class Models {

    private Models() {
    }

    /** What every page's frame shows: title, active section, the user, the CSRF token, the unread count. */
    public record Chrome(String title, String nav, String username, String csrf, int unread) {
        public boolean signedIn() {
            return username != null;
        }

        /** htmx sends this header with every request it makes: the CSRF token. */
        public String hxHeaders() {
            return "{\"X-CSRF-Token\":\"" + csrf + "\"}";
        }

        public String current(String section) {
            return section.equals(nav) ? "page" : null;
        }
    }

    public record TagChip(String name, String color, String href) {
    }

    public record TaskRow(String id, String title, String priority, String priorityLabel, List<TagChip> tags,
                          String dueIso, String dueText, String dueExact, boolean overdue, boolean completed,
                          boolean recurring, boolean skipped, int version) {
        public boolean hasDue() {
            return dueIso != null;
        }
    }

    /** The list's filter as the URL says it, for the form's controls. */
    public record Filter(String q, String status, String sort, Set<String> priorities, Set<String> tags, String from,
                         String to, boolean overdue, boolean noDue, String query) {
        public boolean active() {
            return q != null || (status != null && !"open".equals(status)) || !priorities.isEmpty() || !tags.isEmpty() || from != null
                    || to != null || overdue || noDue;
        }
    }

    public record Option(String value, String label, boolean selected) {
    }

    public record ListPage(Chrome chrome, Filter filter, List<Option> statuses, List<Option> sorts, List<Option> priorities,
                           List<Option> tags, List<TaskRow> rows, String moreUrl, Map<String, String> errors, String quick,
                           String listUrl) {
        public String error(String field) {
            return errors.get(field);
        }
    }

    public record Rows(List<TaskRow> rows, String moreUrl) {
    }

    /** The list region (rows and "load more"), with an optional message, toast and a row to mark as new. */
    public record ListRegion(Rows rows, String csrf, String error, Toast toast, String fresh) {
        public ListRegion(Rows rows, String csrf, String error) {
            this(rows, csrf, error, null, null);
        }
    }

    public record AuthPage(Chrome chrome, String mode, String username, String next, Map<String, String> errors, String message) {
        public String error(String field) {
            return errors.get(field);
        }
    }

    /** A message after an action; with {@code undoAction} it offers to undo it on the task's row. */
    public record Toast(String message, String taskId, String undoAction, String csrf) {
    }

    public record RowWithToast(TaskRow row, Toast toast, String csrf) {
    }
}
