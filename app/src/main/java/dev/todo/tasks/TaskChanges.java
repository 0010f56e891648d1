package dev.todo.tasks;

import dev.todo.auth.Zones;
import dev.todo.recurrence.Recurrence;
import dev.todo.reminders.Reminder;
import dev.todo.web.ApiException;
import dev.todo.web.JsonBody;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The validated content of a create body or a JSON merge patch. A field that is {@code null}
 * here was absent from the body; {@link #clearDescription} and {@link #clearDue} record an
 * explicit JSON {@code null}.
 */
public record TaskChanges(String title, String description, boolean clearDescription, Priority priority,
                          List<String> tags, Instant dueAt, boolean clearDue, String timeZone, Boolean allDay,
                          Boolean completed, Recurrence recurrence, boolean clearRecurrence, List<Reminder.Spec> reminders) {

    public static final int MAX_TITLE = 500;
    public static final int MAX_DESCRIPTION = 20_000;
    public static final int MAX_TAGS = 20;
    public static final int MAX_TAG = 50;
    static final Instant MIN_DUE = Instant.parse("1900-01-01T00:00:00Z");
    static final Instant MAX_DUE = Instant.parse("9999-12-31T23:59:59Z");
    public static final Set<String> FIELDS = Set.of("title", "description", "priority", "tags", "dueAt", "timeZone",
            "allDay", "completed", "recurrence", "reminders");
    public static final int MAX_REMINDERS = 10;
    static final Set<String> RECURRENCE_FIELDS = Set.of("rule", "from", "exdates", "every", "interval", "on");

    /** Reads and checks a body; with {@code create} the title is required and nulls are meaningless. */
    public static TaskChanges read(JsonBody body, boolean create) {
        String title = null;
        if (body.has("title")) {
            if (body.isNull("title")) {
                body.error("title", "cannot be null");
            } else {
                title = body.string("title").map(String::strip).orElse(null);
                if (title != null && title.isEmpty()) {
                    body.error("title", "must not be empty");
                } else if (title != null && title.chars().anyMatch(ch -> ch == '\n' || ch == '\r' || ch == '\t')) {
                    body.error("title", "must be one line (no line breaks or tabs)");
                } else if (title != null && title.length() > MAX_TITLE) {
                    body.error("title", "must be at most " + MAX_TITLE + " characters (got " + title.length() + ")");
                }
            }
        } else if (create) {
            body.error("title", "is required");
        }

        String description = body.string("description").orElse(null);
        if (description != null && description.length() > MAX_DESCRIPTION) {
            body.error("description", "must be at most " + MAX_DESCRIPTION + " characters (got " + description.length() + ")");
        }
        boolean clearDescription = body.isNull("description") || (description != null && description.isEmpty());
        if (clearDescription) {
            description = null;
        }

        Priority priority = null;
        if (body.isNull("priority")) {
            body.error("priority", "cannot be null; allowed values are " + Priority.ALLOWED);
        }
        String p = body.string("priority").orElse(null);
        if (p != null) {
            priority = Priority.parse(p).orElse(null);
            if (priority == null) {
                body.error("priority", "unknown value '" + p + "'; allowed values are " + Priority.ALLOWED);
            }
        }

        List<String> tags = body.stringList("tags").map(list -> normalizeTags(list, body)).orElse(null);
        if (body.isNull("tags")) {
            tags = List.of();
        }

        Instant due = body.instant("dueAt").orElse(null);
        if (due != null && (due.isBefore(MIN_DUE) || due.isAfter(MAX_DUE))) {
            body.error("dueAt", "must be between the years 1900 and 9999");
            due = null;
        }
        boolean clearDue = body.isNull("dueAt");

        String zone = null;
        if (body.isNull("timeZone")) {
            body.error("timeZone", "cannot be null");
        }
        String z = body.string("timeZone").orElse(null);
        if (z != null) {
            if (Zones.isValid(z)) {
                zone = z;
            } else {
                body.error("timeZone", Zones.invalidMessage(z));
            }
        }
        if (body.isNull("allDay")) {
            body.error("allDay", "cannot be null");
        }
        Boolean allDay = body.bool("allDay").orElse(null);
        if (body.isNull("completed")) {
            body.error("completed", "cannot be null");
        }
        Boolean completed = body.bool("completed").orElse(null);
        Recurrence recurrence = body.object("recurrence", RECURRENCE_FIELDS).map(r -> readRecurrence(r, body)).orElse(null);
        List<Reminder.Spec> reminders = body.has("reminders") ? readReminders(body) : null;
        body.validate();
        return new TaskChanges(title, description, clearDescription, priority, tags, due, clearDue, zone, allDay, completed,
                recurrence, body.isNull("recurrence"), reminders);
    }

    /** {@code [{before: "PT15M"}, {at: "2026-03-29T08:00:00+02:00"}]}; null or [] removes them all. */
    private static List<Reminder.Spec> readReminders(JsonBody body) {
        List<Reminder.Spec> out = new ArrayList<>();
        List<JsonBody> items = body.objects("reminders", Set.of("before", "at")).orElse(List.of());
        if (items.size() > MAX_REMINDERS) {
            body.error("reminders", "at most " + MAX_REMINDERS + " reminders per task (got " + items.size() + ")");
        }
        for (JsonBody r : items) {
            java.time.Duration before = r.duration("before").orElse(null);
            Instant at = r.instant("at").orElse(null);
            if (r.has("before") == r.has("at")) {
                r.error("before", "give exactly one of before (a duration such as PT15M) or at (a date-time)");
            } else if (before != null && (before.isNegative() || before.compareTo(java.time.Duration.ofDays(366)) > 0)) {
                r.error("before", "must be between PT0S and P366D");
            } else if (at != null && (at.isBefore(MIN_DUE) || at.isAfter(MAX_DUE))) {
                r.error("at", "must be between the years 1900 and 9999");
            } else if (before != null || at != null) {
                out.add(new Reminder.Spec(before, at));
            }
        }
        return out;
    }

    /**
     * {@code {rule: "FREQ=WEEKLY;BYDAY=MO", from: "due"|"completion", exdates: [...]}}, or the simple
     * form {@code {every: "week", interval: 2, on: ["MO", "TH"]}} stored as the equivalent RRULE.
     */
    private static Recurrence readRecurrence(JsonBody r, JsonBody body) {
        String rule = r.string("rule").orElse(null);
        String every = r.string("every").orElse(null);
        Integer interval = r.integer("interval").orElse(null);
        List<String> on = r.stringList("on").orElse(null);
        Recurrence.From from = Recurrence.From.DUE;
        String f = r.string("from").orElse(null);
        if (f != null) {
            from = Recurrence.From.parse(f).orElse(null);
            if (from == null) {
                r.error("from", "unknown value '" + f + "'; allowed values are due, completion");
            }
        }
        List<Instant> exdates = r.instantList("exdates").orElse(List.of());
        if (exdates.size() > 1000) {
            r.error("exdates", "at most 1000 dates");
        }
        String text = null;
        try {
            if (rule != null && (every != null || interval != null || on != null)) {
                r.error("rule", "give either rule or the simple form (every, interval, on), not both");
            } else if (rule != null) {
                text = Recurrence.parseRule(rule, "recurrence.rule").toString();
            } else if (every != null) {
                text = Recurrence.fromSimple(every, interval, on, "recurrence");
            } else {
                r.error("rule", "is required (an RRULE such as FREQ=WEEKLY;BYDAY=MO, or every/interval/on)");
            }
        } catch (ApiException e) {
            body.errors(e.errors());
        }
        return text == null || from == null ? null : new Recurrence(text, exdates, from);
    }

    private static List<String> normalizeTags(List<String> raw, JsonBody body) {
        Map<String, String> unique = new LinkedHashMap<>();
        for (int i = 0; i < raw.size(); i++) {
            String name = raw.get(i).strip();
            String problem = tagNameProblem(name);
            if (problem != null) {
                body.error("tags[" + i + "]", problem);
                continue;
            }
            unique.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
        }
        if (unique.size() > MAX_TAGS) {
            body.error("tags", "at most " + MAX_TAGS + " tags per task (got " + unique.size() + ")");
        }
        return new ArrayList<>(unique.values());
    }

    /** Why a tag name is unacceptable, or null. */
    public static String tagNameProblem(String name) {
        if (name.isEmpty()) {
            return "a tag name must not be empty";
        }
        if (name.length() > MAX_TAG) {
            return "a tag name must be at most " + MAX_TAG + " characters (got " + name.length() + ")";
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            return "a tag name must not contain control characters";
        }
        return null;
    }

    /** An all-day task is due at the start of its local date; the time of day carries no meaning. */
    public static Instant normalizeDue(Instant due, String zone, boolean allDay) {
        if (due == null || !allDay) {
            return due;
        }
        ZoneId id = ZoneId.of(zone);
        LocalDate date = due.atZone(id).toLocalDate();
        return date.atStartOfDay(id).toInstant();
    }
}
