package dev.todo.web;

import dev.todo.events.Roles;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.util.List;

/** Without the api role a process serves health, metrics and event deliveries, not the API. */
@ServerFilter({"/api/**", "/mcp"})
public class ApiRoleFilter {

    private final boolean api;

    public ApiRoleFilter(@Value("${todo.roles}") String roles) {
        this.api = Roles.includes(roles, "api");
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> refuse(HttpRequest<?> request) {
        if (api) {
            return null;
        }
        return Problems.respond(HttpResponse.status(HttpStatus.NOT_FOUND), Problems.body(HttpStatus.NOT_FOUND, "not-found",
                "Not found", "This instance does not serve the API (TODO_ROLES has no 'api').", List.<FieldError>of(), request));
    }
}
