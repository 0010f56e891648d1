package dev.todo.web;

/**
 * One rejected input: {@code field} is a JSON pointer-like path ({@code tags[3]}) or a query parameter.
 * Both are cut to a bounded length: they may echo what the client sent, which may be huge.
 */
public record FieldError(String field, String message) {

    static final int MAX_FIELD = 200;
    static final int MAX_MESSAGE = 600;

    public FieldError {
        field = cut(field, MAX_FIELD);
        message = cut(message, MAX_MESSAGE);
    }

    static String cut(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end) + "…";
    }
}
