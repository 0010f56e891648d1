package dev.todo.auth;

import java.util.UUID;

/** A personal token was revoked on this instance: whatever was opened with it (live streams) ends now. */
public record TokenRevoked(UUID userId, UUID tokenId) {
}
