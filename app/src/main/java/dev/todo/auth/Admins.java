package dev.todo.auth;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Who administers this instance: users granted by id ({@code todo.admin-user-ids}, the safe way)
 * or by username ({@code todo.admin-users}). A configured username is reserved: signup refuses it,
 * so nobody can become administrator by registering the name first; the account must exist
 * before its name is configured.
 */
@Singleton
public class Admins {

    private final Set<String> names;
    private final Set<UUID> ids;

    public Admins(@Value("${todo.admin-users:}") String names, @Value("${todo.admin-user-ids:}") String ids) {
        this.names = split(names).stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.ids = split(ids).stream().map(UUID::fromString).collect(Collectors.toUnmodifiableSet());
    }

    private static Set<String> split(String list) {
        return Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    public boolean isAdmin(UUID id, String username) {
        return ids.contains(id) || (username != null && names.contains(username.toLowerCase(Locale.ROOT)));
    }

    /** A name signup refuses: it is configured as an administrator's. */
    public boolean reserved(String username) {
        return username != null && names.contains(username.strip().toLowerCase(Locale.ROOT));
    }
}
