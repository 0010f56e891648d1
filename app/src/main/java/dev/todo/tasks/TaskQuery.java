package dev.todo.tasks;

import dev.todo.web.ApiException;
import dev.todo.web.FieldError;
import dev.todo.web.QueryParams;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The parsed query string of {@code GET /api/tasks}. Pure: it turns parameters into a filter and
 * an ordering, or into field errors, without touching the database.
 */
public record TaskQuery(String text, Status status, Set<Priority> priorities, List<String> tags, boolean noTags,
                        Instant dueBefore, Instant dueAfter, Boolean overdue, Boolean hasDue, java.util.UUID seriesId,
                        List<SortKey> sort, int limit, String cursor) {

    public enum Status { OPEN, COMPLETED, ALL }

    public enum SortField { DUE_AT, PRIORITY, CREATED_AT, UPDATED_AT, TITLE, RELEVANCE }

    public record SortKey(SortField field, boolean descending) {
        @Override
        public String toString() {
            return (descending ? "-" : "") + field.name();
        }
    }

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;
    static final Set<String> PARAMS = Set.of("q", "status", "priority", "tag", "noTags", "dueBefore", "dueAfter",
            "overdue", "hasDue", "seriesId", "sort", "limit", "cursor");
    static final Map<String, SortField> SORT_NAMES = Map.of("dueAt", SortField.DUE_AT, "priority", SortField.PRIORITY,
            "createdAt", SortField.CREATED_AT, "updatedAt", SortField.UPDATED_AT, "title", SortField.TITLE);
    static final List<SortKey> DEFAULT_SORT = List.of(new SortKey(SortField.DUE_AT, false),
            new SortKey(SortField.PRIORITY, true), new SortKey(SortField.CREATED_AT, false));

    public static TaskQuery parse(Map<String, List<String>> params) {
        QueryParams query = new QueryParams(params, PARAMS);
        String text = query.single("q");
        if (text != null) {
            text = text.strip();
            if (text.isEmpty()) {
                text = null;
            } else if (text.length() > 500) {
                query.error("q", "must be at most 500 characters");
            }
        }
        String s = query.oneOf("status", List.of("open", "completed", "all"), "open");
        Status status = s == null ? Status.OPEN : Status.valueOf(s.toUpperCase(Locale.ROOT));
        Set<Priority> priorities = new LinkedHashSet<>();
        for (String p : query.all("priority")) {
            for (String part : p.split(",")) {
                Priority.parse(part.strip()).ifPresentOrElse(priorities::add, () -> query.error("priority",
                        "unknown value '" + part + "'; allowed values are " + Priority.ALLOWED));
            }
        }
        List<String> tags = new ArrayList<>();
        for (String t : query.all("tag")) {
            String name = t.strip();
            String problem = TaskChanges.tagNameProblem(name);
            if (problem != null) {
                query.error("tag", problem);
            } else if (!tags.contains(name.toLowerCase(Locale.ROOT))) {
                tags.add(name.toLowerCase(Locale.ROOT));
            }
        }
        Boolean noTags = query.bool("noTags");
        if (Boolean.TRUE.equals(noTags) && !tags.isEmpty()) {
            query.error("noTags", "cannot be combined with tag");
        }
        Instant dueBefore = query.instant("dueBefore");
        Instant dueAfter = query.instant("dueAfter");
        Boolean overdue = query.bool("overdue");
        Boolean hasDue = query.bool("hasDue");
        java.util.UUID seriesId = query.uuid("seriesId", "a series id");
        List<FieldError> sortErrors = new ArrayList<>();
        List<SortKey> sort = sort(query.single("sort"), text != null, sortErrors);
        sortErrors.forEach(e -> query.error(e.field(), e.message()));
        int limit = query.integer("limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        String cursor = query.single("cursor");
        if (cursor != null && cursor.isBlank()) {
            cursor = null;
        }
        query.throwIfInvalid();
        return new TaskQuery(text, status, Collections.unmodifiableSet(priorities), List.copyOf(tags),
                Boolean.TRUE.equals(noTags), dueBefore, dueAfter, overdue, hasDue, seriesId, sort, limit, cursor);
    }

    private static List<SortKey> sort(String spec, boolean hasText, List<FieldError> errors) {
        if (spec == null || spec.isBlank()) {
            if (hasText) {
                List<SortKey> byRelevance = new ArrayList<>();
                byRelevance.add(new SortKey(SortField.RELEVANCE, true));
                byRelevance.addAll(DEFAULT_SORT);
                return byRelevance;
            }
            return DEFAULT_SORT;
        }
        List<SortKey> keys = new ArrayList<>();
        Set<SortField> seen = new java.util.HashSet<>();
        for (String raw : spec.split(",")) {
            String part = raw.strip();
            boolean desc = part.startsWith("-");
            String name = desc || part.startsWith("+") ? part.substring(1) : part;
            SortField field = SORT_NAMES.get(name);
            if (field == null) {
                errors.add(new FieldError("sort", "unknown sort key '" + part + "'; allowed keys are "
                        + String.join(", ", new TreeSet<>(SORT_NAMES.keySet())) + ", each optionally prefixed with '-'"));
            } else if (!seen.add(field)) {
                errors.add(new FieldError("sort", "sort key '" + name + "' appears twice"));
            } else {
                keys.add(new SortKey(field, desc));
            }
        }
        return List.copyOf(keys);
    }

    /**
     * Everything that decides which rows come in which order, except the page size and position.
     * A cursor is bound to it, so a cursor from another query or user is refused, not misread.
     */
    public String fingerprint() {
        return String.join("|", String.valueOf(text), status.name(), new TreeSet<>(priorities.stream().map(Enum::name).toList()).toString(),
                new TreeSet<>(tags).toString(), String.valueOf(noTags), String.valueOf(dueBefore), String.valueOf(dueAfter),
                String.valueOf(overdue), String.valueOf(hasDue), String.valueOf(seriesId), sort.toString());
    }
}
