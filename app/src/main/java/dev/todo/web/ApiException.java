package dev.todo.web;

import io.micronaut.http.HttpStatus;

import java.util.List;

/** A request the service refuses, rendered as RFC 9457 problem+json. Nothing has been changed. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String type;
    private final String title;
    private final List<FieldError> errors;
    private java.time.Duration retryAfter;

    public ApiException(HttpStatus status, String type, String title, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public static ApiException invalid(List<FieldError> errors) {
        List<String> each = errors.stream().limit(5).map(e -> e.field() + ": " + e.message()).toList();
        String detail = errors.size() == 1 ? each.get(0)
                : errors.size() + " problems: " + String.join("; ", each) + (errors.size() > 5 ? "; ..." : "");
        return new ApiException(HttpStatus.BAD_REQUEST, "validation", "Invalid request", detail, errors);
    }

    public static ApiException invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    public static ApiException malformed(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request", detail, List.of());
    }

    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, "not-found", "Not found", what + " does not exist", List.of());
    }

    public static ApiException conflict(String field, String detail) {
        return new ApiException(HttpStatus.CONFLICT, "conflict", "Conflict", detail, List.of(new FieldError(field, detail)));
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail, List.of());
    }

    public static ApiException preconditionFailed(String detail) {
        return new ApiException(HttpStatus.PRECONDITION_FAILED, "precondition-failed", "Precondition failed", detail, List.of());
    }

    /** 409: the user has as many of {@code what} as one user may have ({@code todo.quotas.*}). */
    public static ApiException quotaExceeded(String field, String what, long limit) {
        String detail = "at most " + limit + " " + what + " per user; delete some first";
        return new ApiException(HttpStatus.CONFLICT, "quota-exceeded", "Quota exceeded", detail, List.of(new FieldError(field, detail)));
    }

    /** 429: too many attempts; the client may try again after {@code retryAfter} (sent as Retry-After). */
    public static ApiException tooManyRequests(String field, String detail, java.time.Duration retryAfter) {
        ApiException e = new ApiException(HttpStatus.TOO_MANY_REQUESTS, "too-many-requests", "Too many requests", detail,
                List.of(new FieldError(field, detail)));
        e.retryAfter = retryAfter;
        return e;
    }

    /** When the client may try again; null when that is not for it to wait out. */
    public java.time.Duration retryAfter() {
        return retryAfter;
    }

    public HttpStatus status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
