package dev.todo.web;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

@Produces
@Singleton
@Requires(classes = {ApiException.class, ExceptionHandler.class})
public class ApiExceptionHandler implements ExceptionHandler<ApiException, HttpResponse<?>> {

    @Override
    public HttpResponse<?> handle(HttpRequest request, ApiException e) {
        var response = HttpResponse.status(e.status());
        if (e.retryAfter() != null) {
            // whole seconds, rounded up: a client that waits that long is let in
            long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
            response.header(io.micronaut.http.HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        }
        return Problems.respond(response, Problems.body(e.status(), e.type(), e.title(), e.getMessage(), e.errors(), request));
    }
}
