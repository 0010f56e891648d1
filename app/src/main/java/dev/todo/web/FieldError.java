package dev.todo.web;

/** One rejected input: {@code field} is a JSON pointer-like path ({@code tags[3]}) or a query parameter. */
public record FieldError(String field, String message) {
}
