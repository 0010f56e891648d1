package dev.todo.auth;

import io.micronaut.security.authentication.Authentication;

import java.util.UUID;

/** The authenticated user's id: the subject of a JWT or the owner of a personal token. */
public final class CurrentUser {

    private CurrentUser() {
    }

    public static UUID id(Authentication authentication) {
        return UUID.fromString(authentication.getName());
    }
}
