package dev.todo.auth;

import dev.todo.web.ApiException;
import dev.todo.web.FieldError;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

@Singleton
public class AccountService {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{2,63}");
    static final int MIN_PASSWORD = 8;
    static final int MAX_PASSWORD = 72; // bcrypt only reads 72 bytes; longer would silently be truncated

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final Admins admins;

    public AccountService(UserRepository users, PasswordHasher hasher, Admins admins) {
        this.admins = admins;
        this.users = users;
        this.hasher = hasher;
    }

    public static List<FieldError> checkCredentials(String username, String password) {
        List<FieldError> errors = new ArrayList<>();
        if (username == null) {
            errors.add(new FieldError("username", "is required"));
        } else if (!USERNAME.matcher(username).matches()) {
            errors.add(new FieldError("username",
                    "must be 3-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit"));
        }
        if (password == null) {
            errors.add(new FieldError("password", "is required"));
        } else {
            int bytes = password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (password.length() < MIN_PASSWORD || bytes > MAX_PASSWORD) {
                errors.add(new FieldError("password", "must be at least " + MIN_PASSWORD + " characters and at most "
                        + MAX_PASSWORD + " bytes"));
            }
        }
        return errors;
    }

    @Transactional
    public User signup(String username, String password, String timeZone) {
        if (admins.reserved(username)) {
            throw ApiException.conflict("username", "The username '" + username + "' is reserved");
        }
        if (users.findByUsernameIgnoreCase(username).isPresent()) {
            throw ApiException.conflict("username", "The username '" + username + "' is taken");
        }
        User user = new User(UUID.randomUUID(), username, hasher.hash(password),
                timeZone == null ? "UTC" : timeZone, Instant.now().truncatedTo(ChronoUnit.MICROS));
        try {
            return users.save(user);
        } catch (io.micronaut.data.exceptions.DataAccessException e) {
            // a concurrent signup with the same name lost the race on the unique index
            throw ApiException.conflict("username", "The username '" + username + "' is taken");
        }
    }

    /** Returns the user when the password matches; the same failure for a wrong name or password. */
    @Transactional(readOnly = true)
    public Optional<User> authenticate(String username, String password) {
        Optional<User> user = users.findByUsernameIgnoreCase(username);
        if (user.isEmpty()) {
            hasher.verifyNothing(password);
            return Optional.empty();
        }
        return hasher.verify(password, user.get().passwordHash()) ? user : Optional.empty();
    }

    @Transactional(readOnly = true)
    public User get(UUID id) {
        return users.findById(id).orElseThrow(() -> ApiException.notFound("The user"));
    }

    @Transactional
    public User updateTimeZone(UUID id, String zone) {
        User user = get(id).withTimeZone(zone);
        return users.update(user);
    }
}
