package dev.todo.tasks;

import dev.todo.web.ApiException;
import dev.todo.web.FieldError;

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
        List<FieldError> errors = new ArrayList<>();
        for (String name : params.keySet()) {
            if (!PARAMS.contains(name)) {
                errors.add(new FieldError(name, "unknown query parameter; allowed are " + String.join(", ", new TreeSet<>(PARAMS))));
            }
        }
        String text = single(params, "q", errors);
        if (text != null) {
            text = text.strip();
            if (text.isEmpty()) {
                text = null;
            } else if (text.length() > 500) {
                errors.add(new FieldError("q", "must be at most 500 characters"));
            }
        }
        Status status = Status.OPEN;
        String s = single(params, "status", errors);
        if (s != null) {
            switch (s) {
                case "open" -> status = Status.OPEN;
                case "completed" -> status = Status.COMPLETED;
                case "all" -> status = Status.ALL;
                default -> errors.add(new FieldError("status", "unknown value '" + s + "'; allowed values are open, completed, all"));
            }
        }
        Set<Priority> priorities = new LinkedHashSet<>();
        for (String p : params.getOrDefault("priority", List.of())) {
            for (String part : p.split(",")) {
                Priority.parse(part.strip()).ifPresentOrElse(priorities::add, () -> errors.add(new FieldError("priority",
                        "unknown value '" + part + "'; allowed values are " + Priority.ALLOWED)));
            }
        }
        List<String> tags = new ArrayList<>();
        for (String t : params.getOrDefault("tag", List.of())) {
            String name = t.strip();
            String problem = TaskChanges.tagNameProblem(name);
            if (problem != null) {
                errors.add(new FieldError("tag", problem));
            } else if (!tags.contains(name.toLowerCase(Locale.ROOT))) {
                tags.add(name.toLowerCase(Locale.ROOT));
            }
        }
        Boolean noTags = bool(params, "noTags", errors);
        if (Boolean.TRUE.equals(noTags) && !tags.isEmpty()) {
            errors.add(new FieldError("noTags", "cannot be combined with tag"));
        }
        Instant dueBefore = instant(params, "dueBefore", errors);
        Instant dueAfter = instant(params, "dueAfter", errors);
        Boolean overdue = bool(params, "overdue", errors);
        Boolean hasDue = bool(params, "hasDue", errors);
        java.util.UUID seriesId = null;
        String series = single(params, "seriesId", errors);
        if (series != null) {
            try {
                seriesId = java.util.UUID.fromString(series.strip());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("seriesId", "must be a series id (a UUID); got '" + series + "'"));
            }
        }
        List<SortKey> sort = sort(single(params, "sort", errors), text != null, errors);
        int limit = DEFAULT_LIMIT;
        String l = single(params, "limit", errors);
        if (l != null) {
            try {
                limit = Integer.parseInt(l.strip());
                if (limit < 1 || limit > MAX_LIMIT) {
                    errors.add(new FieldError("limit", "must be between 1 and " + MAX_LIMIT + " (got " + limit + ")"));
                }
            } catch (NumberFormatException e) {
                errors.add(new FieldError("limit", "must be an integer between 1 and " + MAX_LIMIT + "; got '" + l + "'"));
            }
        }
        String cursor = single(params, "cursor", errors);
        if (cursor != null && cursor.isBlank()) {
            cursor = null;
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
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

    private static String single(Map<String, List<String>> params, String name, List<FieldError> errors) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            errors.add(new FieldError(name, "may be given only once"));
        }
        return values.get(0);
    }

    private static Boolean bool(Map<String, List<String>> params, String name, List<FieldError> errors) {
        String v = single(params, name, errors);
        if (v == null) {
            return null;
        }
        return switch (v.strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                errors.add(new FieldError(name, "must be true or false; got '" + v + "'"));
                yield null;
            }
        };
    }

    private static Instant instant(Map<String, List<String>> params, String name, List<FieldError> errors) {
        String v = single(params, name, errors);
        if (v == null) {
            return null;
        }
        try {
            Instant i = OffsetDateTime.parse(v.strip()).toInstant();
            if (i.isBefore(TaskChanges.MIN_DUE) || i.isAfter(TaskChanges.MAX_DUE)) {
                errors.add(new FieldError(name, "must be between the years 1900 and 9999"));
                return null;
            }
            return i;
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(name, "must be an ISO-8601 date-time with an offset, e.g. 2026-03-29T09:00:00Z; got '" + v + "'"));
            return null;
        }
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
