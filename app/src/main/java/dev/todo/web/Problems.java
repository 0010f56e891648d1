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

    private Problems() {
    }

    public static Map<String, Object> body(HttpStatus status, String type, String title, String detail,
                                           List<FieldError> errors, HttpRequest<?> request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type == null ? "about:blank" : TYPE_BASE + type);
        body.put("title", title);
        body.put("status", status.getCode());
        body.put("detail", detail);
        if (request != null) {
            body.put("instance", request.getPath());
        }
        if (errors != null && !errors.isEmpty()) {
            body.put("errors", errors);
        }
        return body;
    }

    public static MutableHttpResponse<Map<String, Object>> respond(MutableHttpResponse<?> base, Map<String, Object> body) {
        return base.body(body).contentType(PROBLEM_JSON);
    }
}
