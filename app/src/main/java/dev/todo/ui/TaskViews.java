package dev.todo.ui;

import dev.todo.tasks.Priority;
import dev.todo.tasks.Task;
import dev.todo.tasks.TagService;
import dev.todo.tasks.TaskQuery;
import dev.todo.web.ApiException;
import dev.todo.web.FieldError;
import jakarta.inject.Singleton;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Turns tasks into rows and the list's URL into the API's query, so the page filters exactly as {@code GET /api/tasks} does. */
@Singleton
public class TaskViews {

    /** The UI's own parameters; all but from, to and noDue are the API's, with the same meaning. */
    static final List<String> PARAMS = List.of("q", "status", "priority", "tag", "from", "to", "overdue", "noDue", "sort");
    static final List<Models.Option> SORTS = List.of(new Models.Option("", "Due date", false),
            new Models.Option("-priority,dueAt", "Priority", false), new Models.Option("-createdAt", "Newest first", false),
            new Models.Option("createdAt", "Oldest first", false), new Models.Option("title", "Title", false));
    static final List<Models.Option> STATUSES = List.of(new Models.Option("", "Open", false),
            new Models.Option("completed", "Completed", false), new Models.Option("all", "All", false));

    private final TagService tags;

    public TaskViews(TagService tags) {
        this.tags = tags;
    }

    public Models.TaskRow row(Task t, ZoneId viewerZone, Map<String, String> colors, Instant now) {
        String dueIso = null;
        String dueText = null;
        String dueExact = null;
        boolean overdue = false;
        if (t.dueAt() != null) {
            // an all-day task's date is the date in its own zone; a timed one is shown in the viewer's
            ZoneId zone = t.allDay() ? ZoneId.of(t.timeZone()) : viewerZone;
            dueIso = t.inZone(t.dueAt());
            dueText = When.relative(t.dueAt(), t.allDay(), zone, now);
            dueExact = When.exact(t.dueAt(), t.allDay(), zone);
            overdue = !t.completed() && (t.allDay()
                    ? t.dueAt().atZone(zone).toLocalDate().isBefore(now.atZone(zone).toLocalDate())
                    : t.dueAt().isBefore(now));
        }
        List<Models.TagChip> chips = t.tags().stream().map(name -> new Models.TagChip(name,
                colors.get(name.toLowerCase(Locale.ROOT)), "/?tag=" + URLEncoder.encode(name, StandardCharsets.UTF_8))).toList();
        return new Models.TaskRow(t.id().toString(), t.title(), t.priority().json(), label(t.priority()), chips, dueIso, dueText,
                dueExact, overdue, t.completed(), t.series() != null && t.series().recurrence() != null, t.skipped(), t.version());
    }

    public List<Models.TaskRow> rows(List<Task> tasks, java.util.UUID userId, ZoneId zone) {
        Map<String, String> colors = tasks.stream().anyMatch(t -> !t.tags().isEmpty()) ? tags.colors(userId) : Map.of();
        Instant now = Instant.now();
        return tasks.stream().map(t -> row(t, zone, colors, now)).toList();
    }

    static String label(Priority p) {
        return switch (p) {
            case NONE -> "";
            case LOW -> "Low";
            case MEDIUM -> "Medium";
            case HIGH -> "High";
            case URGENT -> "Urgent";
        };
    }

    /** The UI's parameters that are set (blank ones dropped), in a stable order. */
    static Map<String, List<String>> uiParams(Map<String, List<String>> raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String name : PARAMS) {
            List<String> values = raw.getOrDefault(name, List.of()).stream().map(String::strip).filter(v -> !v.isEmpty()).toList();
            if (!values.isEmpty()) {
                out.put(name, values);
            }
        }
        return out;
    }

    static String query(Map<String, List<String>> ui) {
        StringBuilder sb = new StringBuilder();
        ui.forEach((k, values) -> values.forEach(v -> {
            if (!sb.isEmpty()) {
                sb.append('&');
            }
            sb.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        }));
        return sb.toString();
    }

    /**
     * The API query for the UI's parameters: from/to are dates in the viewer's zone, noDue is hasDue=false.
     * Every fault (the UI's or the API parser's) comes back as field errors naming the UI's fields.
     */
    static TaskQuery apiQuery(Map<String, List<String>> ui, ZoneId zone, String cursor, Integer limit) {
        Map<String, List<String>> api = new LinkedHashMap<>();
        List<FieldError> errors = new ArrayList<>();
        for (String k : List.of("q", "status", "priority", "tag", "sort")) {
            if (ui.containsKey(k)) {
                api.put(k, ui.get(k));
            }
        }
        if (ui.containsKey("overdue")) {
            api.put("overdue", List.of("true"));
        }
        if (ui.containsKey("noDue")) {
            api.put("hasDue", List.of("false"));
        }
        LocalDate from = date(ui, "from", errors);
        LocalDate to = date(ui, "to", errors);
        if (from != null) {
            api.put("dueAfter", List.of(from.atStartOfDay(zone).toOffsetDateTime().toString()));
        }
        if (to != null) {
            api.put("dueBefore", List.of(to.plusDays(1).atStartOfDay(zone).toOffsetDateTime().toString()));
        }
        if (from != null && to != null && to.isBefore(from)) {
            errors.add(new FieldError("to", "must not be before the from date"));
        }
        if (cursor != null) {
            api.put("cursor", List.of(cursor));
        }
        if (limit != null) {
            api.put("limit", List.of(Integer.toString(limit)));
        }
        try {
            TaskQuery q = TaskQuery.parse(api);
            if (!errors.isEmpty()) {
                throw ApiException.invalid(errors);
            }
            return q;
        } catch (ApiException e) {
            List<FieldError> all = new ArrayList<>(errors);
            e.errors().stream().map(f -> new FieldError(switch (f.field()) {
                case "dueAfter" -> "from";
                case "dueBefore" -> "to";
                case "hasDue" -> "noDue";
                default -> f.field();
            }, f.message())).forEach(all::add);
            throw ApiException.invalid(all);
        }
    }

    private static LocalDate date(Map<String, List<String>> ui, String name, List<FieldError> errors) {
        List<String> v = ui.get(name);
        if (v == null) {
            return null;
        }
        try {
            return LocalDate.parse(v.get(0));
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(name, "must be a date like 2026-12-24; got '" + v.get(0) + "'"));
            return null;
        }
    }

    static Models.Filter filter(Map<String, List<String>> ui) {
        return new Models.Filter(first(ui, "q"), first(ui, "status"), first(ui, "sort"),
                split(ui.get("priority")), new LinkedHashSet<>(ui.getOrDefault("tag", List.of())), first(ui, "from"),
                first(ui, "to"), ui.containsKey("overdue"), ui.containsKey("noDue"), query(ui));
    }

    private static Set<String> split(List<String> values) {
        Set<String> out = new LinkedHashSet<>();
        if (values != null) {
            values.forEach(v -> out.addAll(List.of(v.split(","))));
        }
        return out;
    }

    static String first(Map<String, List<String>> ui, String name) {
        List<String> v = ui.get(name);
        return v == null ? null : v.get(0);
    }

    static List<Models.Option> options(List<Models.Option> all, String selected) {
        String s = selected == null ? "" : selected;
        return all.stream().map(o -> new Models.Option(o.value(), o.label(), o.value().equals(s))).toList();
    }
}
