package dev.todo.auth;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;
import java.util.UUID;

@MappedEntity("users")
public record User(@Id UUID id, String username, String passwordHash, String timeZone, Instant createdAt) {

    public User withTimeZone(String zone) {
        return new User(id, username, passwordHash, zone, createdAt);
    }
}
