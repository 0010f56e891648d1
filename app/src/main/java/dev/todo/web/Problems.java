package dev.todo.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds RFC 9457 problem documents. */
public final class Problems {

    public static final MediaType PROBLEM_JSON = MediaType.of("application/problem+json");
    public static final String TYPE_BASE = "https://todo.dev/problems/";

    /** Field errors listed in one problem at most; the rest are counted in {@code errorsOmitted}. */
    public static final int MAX_ERRORS = 20;
    static final int MAX_DETAIL = 2000;

    private Problems() {
    }

    public static Map<String, Object> body(HttpStatus status, String type, String title, String detail,
                                           List<FieldError> errors, HttpRequest<?> request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type == null ? "about:blank" : TYPE_BASE + type);
        body.put("title", title);
        body.put("status", status.getCode());
        body.put("detail", FieldError.cut(detail, MAX_DETAIL));
        if (request != null) {
            body.put("instance", request.getPath());
        }
        if (errors != null && !errors.isEmpty()) {
            // a body with thousands of faults gets a bounded answer: the first ones, and how many more
            body.put("errors", errors.size() > MAX_ERRORS ? errors.subList(0, MAX_ERRORS) : errors);
            if (errors.size() > MAX_ERRORS) {
                body.put("errorsOmitted", errors.size() - MAX_ERRORS);
            }
        }
        return body;
    }

    public static MutableHttpResponse<Map<String, Object>> respond(MutableHttpResponse<?> base, Map<String, Object> body) {
        return base.body(body).contentType(PROBLEM_JSON);
    }
}
