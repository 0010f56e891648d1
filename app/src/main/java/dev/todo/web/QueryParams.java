package dev.todo.web;

import io.micronaut.http.HttpRequest;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A request's query parameters, read the same way by every controller (the counterpart of
 * {@link JsonBody}): unknown parameters, repeated ones, integers in a range, booleans, one of a set
 * of values, UUIDs and date-times each get one wording. Problems are collected, so one answer names
 * them all; {@link #throwIfInvalid()} ends the parsing.
 */
public final class QueryParams {

    static final Instant MIN_INSTANT = Instant.parse("1900-01-01T00:00:00Z");
    static final Instant MAX_INSTANT = Instant.parse("9999-12-31T00:00:00Z");

    private final Map<String, List<String>> params;
    private final List<FieldError> errors = new ArrayList<>();

    public QueryParams(Map<String, List<String>> params, Set<String> allowed) {
        this.params = params;
        String names = String.join(", ", new TreeSet<>(allowed));
        for (String name : new TreeSet<>(params.keySet())) {
            if (!allowed.contains(name)) {
                errors.add(new FieldError(name, allowed.isEmpty() ? "unknown query parameter; this resource takes none"
                        : "unknown query parameter; allowed are " + names));
            }
        }
    }

    public static QueryParams of(HttpRequest<?> request, Set<String> allowed) {
        return new QueryParams(request.getParameters().asMap(), allowed);
    }

    /** The parameter's value; null when absent. Given more than once is a problem. */
    public String single(String name) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            errors.add(new FieldError(name, "may be given only once"));
        }
        String v = values.get(0);
        if (v != null && v.chars().anyMatch(ch -> Character.getType(ch) == Character.CONTROL)) {
            errors.add(new FieldError(name, "must not contain control characters"));
            return null;
        }
        return v;
    }

    /** Every value of a parameter that may be repeated. */
    public List<String> all(String name) {
        return params.getOrDefault(name, List.of());
    }

    public int integer(String name, int min, int max, int absent) {
        String v = single(name);
        if (v == null) {
            return absent;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        errors.add(new FieldError(name, "must be an integer between " + min + " and " + max + "; got '" + v + "'"));
        return absent;
    }

    /** true, false, or null when absent or wrong. */
    public Boolean bool(String name) {
        String v = single(name);
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

    public boolean bool(String name, boolean absent) {
        Boolean b = bool(name);
        return b == null ? absent : b;
    }

    /** One of {@code allowed} (as written there), {@code absent} when not given, null when wrong. */
    public String oneOf(String name, List<String> allowed, String absent) {
        String v = single(name);
        if (v == null) {
            return absent;
        }
        if (!allowed.contains(v)) {
            errors.add(new FieldError(name, "unknown value '" + v + "'; allowed values are " + String.join(", ", allowed)));
            return null;
        }
        return v;
    }

    public UUID uuid(String name, String what) {
        String v = single(name);
        if (v == null) {
            return null;
        }
        try {
            return UUID.fromString(v.strip());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(name, "must be " + what + " (a UUID); got '" + v + "'"));
            return null;
        }
    }

    /** An ISO-8601 date-time with an offset, between the years 1900 and 9999; null when absent or wrong. */
    public Instant instant(String name) {
        String v = single(name);
        if (v == null) {
            return null;
        }
        try {
            Instant i = OffsetDateTime.parse(v.strip()).toInstant();
            if (i.isBefore(MIN_INSTANT) || i.isAfter(MAX_INSTANT)) {
                errors.add(new FieldError(name, "must be between the years 1900 and 9999"));
                return null;
            }
            return i;
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(name, "must be an ISO-8601 date-time with an offset, e.g. 2026-03-29T09:00:00Z; got '" + v + "'"));
            return null;
        }
    }

    public void error(String field, String message) {
        errors.add(new FieldError(field, message));
    }

    public boolean hasError(String field) {
        return errors.stream().anyMatch(e -> e.field().equals(field));
    }

    public List<FieldError> errors() {
        return List.copyOf(errors);
    }

    /** Ends the parsing: a 400 naming every problem found, if any. */
    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }
}
