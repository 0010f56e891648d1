package dev.todo.ui;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.net.URI;

/** A full page load goes to the login page with a 303; an htmx request is told to navigate there (HX-Redirect). */
@Produces
@Singleton
@Requires(classes = {UiRedirect.class, ExceptionHandler.class})
final class UiRedirectHandler implements ExceptionHandler<UiRedirect, HttpResponse<?>> {

    @Override
    public HttpResponse<?> handle(HttpRequest request, UiRedirect exception) {
        if (request.getHeaders().contains("HX-Request")) {
            return HttpResponse.status(HttpStatus.UNAUTHORIZED).header("HX-Redirect", exception.location);
        }
        return HttpResponse.seeOther(URI.create(exception.location));
    }
}
