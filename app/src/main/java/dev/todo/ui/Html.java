package dev.todo.ui;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.views.ModelAndView;

import java.util.Map;

/** Responses rendered by a JTE template: every template takes one parameter, {@code m}. */
final class Html {

    private Html() {
    }

    static MutableHttpResponse<ModelAndView<Map<String, Object>>> page(String view, Object model) {
        return page(HttpStatus.OK, view, model);
    }

    static MutableHttpResponse<ModelAndView<Map<String, Object>>> page(HttpStatus status, String view, Object model) {
        return HttpResponse.<ModelAndView<Map<String, Object>>>status(status)
                .body(new ModelAndView<>(view, Map.of("m", model)))
                .contentType(MediaType.TEXT_HTML_TYPE.toString() + ";charset=utf-8")
                .header("Cache-Control", "no-store")
                .header("Vary", "HX-Request");
    }

    static boolean htmx(HttpRequest<?> request) {
        return request.getHeaders().contains("HX-Request");
    }
}
