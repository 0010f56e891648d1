package dev.todo.ui;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the edit page shows: the form's values (as typed, after a refused save), errors by field, the side panels. */
public record EditPage(Models.Chrome chrome, String id, int version, Map<String, String> values, Set<String> on,
                       List<ReminderRow> reminders, Map<String, String> errors, Conflict conflict, String saved,
                       Preview preview, List<ActivityRow> activity, List<Models.TagChip> knownTags, List<String> zones,
                       boolean completed) {

    public record ReminderRow(int index, String kind, String amount, String unit, String at) {
    }

    public record Conflict(int currentVersion, String message) {
    }

    public record ActivityRow(String what, String when, String exact) {
    }

    /** The next dates of the rule being edited, or why there are none. */
    public record Preview(List<String> dates, String message, boolean error) {
    }

    public String value(String field) {
        return values.get(field);
    }

    public boolean is(String field, String value) {
        return value.equals(values.get(field));
    }

    public String error(String field) {
        return errors.get(field);
    }

    public String invalid(String field) {
        return errors.containsKey(field) ? "true" : null;
    }

    public String describedBy(String field, String hint) {
        String e = errors.containsKey(field) ? field + "-error" : null;
        if (e == null) {
            return hint;
        }
        return hint == null ? e : e + " " + hint;
    }

    public static final List<String[]> WEEKDAYS = List.of(new String[] {"MO", "Mon"}, new String[] {"TU", "Tue"},
            new String[] {"WE", "Wed"}, new String[] {"TH", "Thu"}, new String[] {"FR", "Fri"}, new String[] {"SA", "Sat"},
            new String[] {"SU", "Sun"});
}
