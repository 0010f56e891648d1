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
        return Problems.respond(HttpResponse.status(e.status()),
                Problems.body(e.status(), e.type(), e.title(), e.getMessage(), e.errors(), request));
    }
}
