package dev.todo.ui;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An {@code application/x-www-form-urlencoded} body (or a query string) as names to values. */
public record Form(Map<String, List<String>> values) {

    public static Form parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            return new Form(Map.of());
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        int count = 0;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty() || ++count > 1024) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } catch (IllegalArgumentException e) {
                // a malformed escape: the pair is ignored, as a browser never sends one
            }
        }
        return new Form(values);
    }

    /** The first value, stripped; null when absent or blank. */
    public String get(String name) {
        List<String> v = values.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        String s = v.get(0).strip();
        return s.isEmpty() ? null : s;
    }

    /** The first value exactly as sent (a description keeps its leading spaces); null when absent. */
    public String raw(String name) {
        List<String> v = values.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public boolean checked(String name) {
        String v = get(name);
        return v != null && !v.equals("false");
    }
}
