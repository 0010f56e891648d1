package dev.todo.auth;

import dev.todo.web.ApiException;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Limits what signup and login cost before bcrypt runs: signups and logins per client address
 * (token buckets), and a gradual lockout per username after failed logins (after
 * {@code free-failures} in a row, each further failure locks the name for twice as long as the
 * previous one, up to {@code max-lockout}; a success clears it). A refusal is a 429 with
 * Retry-After, and costs no password hashing. Counts are kept in this process (each replica
 * limits on its own); a locked username cannot be probed, even with the right password, until the
 * lock ends.
 */
@Singleton
public class AuthThrottle {

    /** Entries kept at most per map: past it, entries that have recovered are dropped first. */
    static final int MAX_KEYS = 100_000;

    private final int signupsPerMinute;
    private final int loginsPerMinute;
    private final int freeFailures;
    private final Duration maxLockout;
    private final LongSupplier clock;
    private final Map<String, Bucket> signups = new ConcurrentHashMap<>();
    private final Map<String, Bucket> logins = new ConcurrentHashMap<>();
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    public AuthThrottle(@Value("${todo.auth.limits.signups-per-minute:5}") int signupsPerMinute,
                        @Value("${todo.auth.limits.logins-per-minute:30}") int loginsPerMinute,
                        @Value("${todo.auth.limits.free-failures:5}") int freeFailures,
                        @Value("${todo.auth.limits.max-lockout:15m}") Duration maxLockout) {
        this(signupsPerMinute, loginsPerMinute, freeFailures, maxLockout, System::nanoTime);
    }

    AuthThrottle(int signupsPerMinute, int loginsPerMinute, int freeFailures, Duration maxLockout, LongSupplier clock) {
        this.signupsPerMinute = signupsPerMinute;
        this.loginsPerMinute = loginsPerMinute;
        this.freeFailures = freeFailures;
        this.maxLockout = maxLockout;
        this.clock = clock;
    }

    /** A token bucket: {@code perMinute} tokens, refilled evenly over a minute. */
    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    private record Failures(int count, long lockedUntil) {
    }

    public void signup(String address) {
        take(signups, address, signupsPerMinute, "signups");
    }

    public void login(String address, String username) {
        take(logins, address, loginsPerMinute, "logins");
        Failures f = failures.get(key(username));
        long now = clock.getAsLong();
        if (f != null && f.lockedUntil() > now) {
            throw ApiException.tooManyRequests("username", "Too many failed logins for this username; try again later.",
                    Duration.ofNanos(f.lockedUntil() - now));
        }
    }

    public void loginFailed(String username) {
        long now = clock.getAsLong();
        trim(failures, now);
        failures.compute(key(username), (k, f) -> {
            int count = f == null ? 1 : f.count() + 1;
            long until = now;
            if (count > freeFailures) {
                Duration lock = dev.todo.events.Backoff.delay(Duration.ofSeconds(1), maxLockout, count - freeFailures);
                until = now + lock.toNanos();
            }
            return new Failures(count, until);
        });
    }

    public void loginSucceeded(String username) {
        failures.remove(key(username));
    }

    /**
     * A password login as the API and the web UI both do it: refused (429) before any hashing when the
     * address or the username is over its limit, and its outcome counted for the username's lockout.
     */
    public java.util.Optional<User> authenticate(AccountService accounts, String address, String username, String password) {
        login(address, username);
        java.util.Optional<User> user = accounts.authenticate(username.trim(), password);
        if (user.isPresent()) {
            loginSucceeded(username);
        } else {
            loginFailed(username);
        }
        return user;
    }

    private static String key(String username) {
        return username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
    }

    private void take(Map<String, Bucket> buckets, String address, int perMinute, String what) {
        if (perMinute <= 0) {
            return; // unlimited
        }
        long now = clock.getAsLong();
        double perNano = perMinute / 60e9;
        if (buckets.size() > MAX_KEYS) {
            buckets.entrySet().removeIf(e -> e.getValue().tokens + (now - e.getValue().at) * perNano >= perMinute);
        }
        Duration[] wait = {null};
        buckets.compute(address == null ? "" : address, (k, b) -> {
            if (b == null) {
                b = new Bucket(perMinute, now);
            }
            b.tokens = Math.min(perMinute, b.tokens + (now - b.at) * perNano);
            b.at = now;
            if (b.tokens >= 1) {
                b.tokens -= 1;
            } else {
                wait[0] = Duration.ofNanos((long) Math.ceil((1 - b.tokens) / perNano));
            }
            return b;
        });
        if (wait[0] != null) {
            throw ApiException.tooManyRequests("address", "Too many " + what + " from this address; try again later.", wait[0]);
        }
    }

    private void trim(Map<String, Failures> map, long now) {
        if (map.size() > MAX_KEYS) {
            map.entrySet().removeIf(e -> e.getValue().lockedUntil() <= now);
        }
    }
}
