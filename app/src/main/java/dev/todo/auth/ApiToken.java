package dev.todo.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;
import java.util.UUID;

/** A personal API token. Only the SHA-256 of the secret is stored; the secret is shown once. */
@MappedEntity("api_tokens")
public record ApiToken(@Id UUID id, UUID userId, String name, byte[] tokenHash, String prefix,
                       Instant createdAt, @Nullable Instant expiresAt, @Nullable Instant lastUsedAt) {
}
