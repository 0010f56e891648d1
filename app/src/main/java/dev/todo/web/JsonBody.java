package dev.todo.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A request body read field by field. Unlike data binding it keeps "absent" apart from
 * "null" (what JSON merge patch needs), refuses unknown fields and wrong JSON types instead of
 * coercing them, and collects every fault so that one response names them all.
 */
public final class JsonBody {

    private final ObjectNode node;
    private final String prefix;
    private final List<FieldError> errors;

    private JsonBody(ObjectNode node, String prefix, List<FieldError> errors) {
        this.node = node;
        this.prefix = prefix;
        this.errors = errors;
    }

    public static JsonBody parse(ObjectMapper mapper, String raw, Set<String> allowed) {
        if (raw == null || raw.isBlank()) {
            throw ApiException.malformed("The request body is empty; a JSON object is expected.");
        }
        JsonNode tree;
        try {
            ObjectReader reader = mapper.reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            tree = reader.readTree(raw);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw ApiException.malformed("The request body is not valid JSON" + where + ": " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw ApiException.malformed("The request body must be a JSON object.");
        }
        return of((ObjectNode) tree, "", new ArrayList<>(), allowed);
    }

    private static JsonBody of(ObjectNode node, String prefix, List<FieldError> errors, Set<String> allowed) {
        JsonBody body = new JsonBody(node, prefix, errors);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                body.error(name, "unknown field; allowed fields are " + String.join(", ", new TreeSet<>(allowed)));
            }
        }
        return body;
    }

    /** True when the field is in the body, even as {@code null}. */
    public boolean has(String field) {
        return node.has(field);
    }

    public boolean isNull(String field) {
        return node.has(field) && node.get(field).isNull();
    }

    public Optional<String> string(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            error(field, "must be a string");
            return Optional.empty();
        }
        String control = controlCharacter(v.textValue());
        if (control != null) {
            error(field, "must not contain control characters (found " + control + ")");
            return Optional.empty();
        }
        return Optional.of(v.textValue());
    }

    public Optional<Boolean> bool(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isBoolean()) {
            error(field, "must be true or false");
            return Optional.empty();
        }
        return Optional.of(v.booleanValue());
    }

    public Optional<Integer> integer(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            error(field, "must be an integer");
            return Optional.empty();
        }
        return Optional.of(v.intValue());
    }

    /** An ISO-8601 date-time with an offset or Z, e.g. {@code 2026-03-29T09:00:00+02:00}. */
    public Optional<Instant> instant(String field) {
        return string(field).flatMap(s -> {
            try {
                return Optional.of(OffsetDateTime.parse(s).toInstant());
            } catch (DateTimeParseException e) {
                error(field, "must be an ISO-8601 date-time with an offset, e.g. 2026-03-29T09:00:00+02:00; got '" + s + "'");
                return Optional.empty();
            }
        });
    }

    public Optional<Duration> duration(String field) {
        return string(field).flatMap(s -> {
            try {
                return Optional.of(Duration.parse(s));
            } catch (DateTimeParseException e) {
                error(field, "must be an ISO-8601 duration such as PT15M or P1D; got '" + s + "'");
                return Optional.empty();
            }
        });
    }

    public Optional<List<String>> stringList(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isArray()) {
            error(field, "must be an array of strings");
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (!item.isTextual()) {
                error(field + "[" + i + "]", "must be a string");
                ok = false;
            } else if (controlCharacter(item.textValue()) != null) {
                error(field + "[" + i + "]", "must not contain control characters (found " + controlCharacter(item.textValue()) + ")");
                ok = false;
            } else {
                out.add(item.textValue());
            }
        }
        return ok ? Optional.of(out) : Optional.empty();
    }

    /** A nested object, read with the same rules; its faults are named {@code field.sub}. */
    public Optional<JsonBody> object(String field, Set<String> allowed) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isObject()) {
            error(field, "must be an object");
            return Optional.empty();
        }
        return Optional.of(of((ObjectNode) v, prefix + field + ".", errors, allowed));
    }

    /** An array of objects, each read like {@link #object}; faults are named {@code field[i].sub}. */
    public Optional<List<JsonBody>> objects(String field, Set<String> allowed) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isArray()) {
            error(field, "must be an array of objects");
            return Optional.empty();
        }
        List<JsonBody> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isObject()) {
                error(field + "[" + i + "]", "must be an object");
            } else {
                out.add(of((ObjectNode) v.get(i), prefix + field + "[" + i + "].", errors, allowed));
            }
        }
        return Optional.of(out);
    }

    public Optional<List<Instant>> instantList(String field) {
        return stringList(field).map(list -> {
            List<Instant> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                try {
                    out.add(OffsetDateTime.parse(list.get(i)).toInstant());
                } catch (DateTimeParseException e) {
                    error(field + "[" + i + "]", "must be an ISO-8601 date-time with an offset; got '" + list.get(i) + "'");
                }
            }
            return out;
        });
    }

    /** Adds faults found elsewhere (already carrying their full field names). */
    public void errors(List<FieldError> more) {
        errors.addAll(more);
    }

    public void error(String field, String message) {
        errors.add(new FieldError(prefix + field, message));
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** Throws the collected faults, if any, as one 400 problem. */
    public void validate() {
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }

    /**
     * The first control character in {@code s} other than tab, line feed and carriage return, as
     * {@code U+0000 at position 3}; null when there is none. NUL cannot be stored at all, and the others
     * have no place in text people read.
     */
    public static String controlCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.getType(ch) == Character.CONTROL && ch != '\t' && ch != '\n' && ch != '\r') {
                return String.format("U+%04X at position %d", (int) ch, i);
            }
        }
        return null;
    }
}
