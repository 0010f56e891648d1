package dev.todo.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders every error the framework produces itself (unknown route, wrong method or media type,
 * oversized body, missing credentials, unconvertible parameters) as problem+json, so clients see
 * one error format whatever failed.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Map<String, Object>> {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemErrorResponseProcessor.class);

    @Override
    public MutableHttpResponse<Map<String, Object>> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpStatus status = response.getStatus();
        List<FieldError> errors = new ArrayList<>();
        String detail = null;
        for (Error error : context.getErrors()) {
            if (error.getPath().isPresent()) {
                errors.add(new FieldError(error.getPath().get(), error.getMessage()));
            }
            if (detail == null) {
                detail = error.getMessage();
            }
        }
        String type = switch (status) {
            case NOT_FOUND -> "not-found";
            case METHOD_NOT_ALLOWED -> "method-not-allowed";
            case UNSUPPORTED_MEDIA_TYPE -> "unsupported-media-type";
            case REQUEST_ENTITY_TOO_LARGE -> "payload-too-large";
            case UNAUTHORIZED -> "unauthorized";
            case FORBIDDEN -> "forbidden";
            case BAD_REQUEST -> "malformed-request";
            default -> null;
        };
        if (status.getCode() >= 500) {
            context.getRootCause().ifPresent(t -> LOG.error("Unexpected error on {} {}",
                    context.getRequest().getMethod(), context.getRequest().getPath(), t));
            detail = "The server could not complete the request.";
        } else if (status == HttpStatus.UNAUTHORIZED) {
            detail = "Credentials are missing or invalid: send 'Authorization: Bearer <token>'.";
        } else if (status == HttpStatus.REQUEST_ENTITY_TOO_LARGE) {
            detail = "The request body is larger than the limit of 1 MiB.";
        } else if (status == HttpStatus.NOT_FOUND && detail != null && detail.startsWith("Page Not Found")) {
            detail = "No resource at " + context.getRequest().getPath();
        }
        if (detail == null) {
            detail = status.getReason();
        }
        return Problems.respond(response, Problems.body(status, type, status.getReason(), detail, errors, context.getRequest()));
    }
}
