package dev.todo.web;

/** Versions in {@code If-Match} headers. */
public final class Etags {

    private Etags() {
    }

    /** Accepts {@code "7"}, {@code W/"7"} or {@code *} (any version); null when the header is absent. */
    public static Integer expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return null;
        }
        String v = ifMatch.strip();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw ApiException.invalid("If-Match", "must be the task's ETag, e.g. \"3\"; got '" + ifMatch + "'");
        }
    }
}
