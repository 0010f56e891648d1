package dev.todo.auth;

import dev.todo.web.ApiException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AuthThrottleTest {

    final AtomicLong now = new AtomicLong();
    final AuthThrottle throttle = new AuthThrottle(3, 10, 2, Duration.ofMinutes(15), now::get);

    @Test
    void signupsPerAddressRefillOverAMinute() {
        for (int i = 0; i < 3; i++) {
            throttle.signup("10.0.0.1");
        }
        ApiException e = catchThrowableOfType(ApiException.class, () -> throttle.signup("10.0.0.1"));
        assertThat(e.status().getCode()).isEqualTo(429);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(20));
        assertThatCode(() -> throttle.signup("10.0.0.2")).as("other addresses are not affected").doesNotThrowAnyException();
        now.addAndGet(Duration.ofSeconds(20).toNanos());
        assertThatCode(() -> throttle.signup("10.0.0.1")).doesNotThrowAnyException();
    }

    @Test
    void failedLoginsLockTheUsernameForLongerAndLongerUntilASuccess() {
        throttle.login("a", "Alice");
        throttle.loginFailed("alice");
        throttle.loginFailed("ALICE");
        assertThatCode(() -> throttle.login("a", "alice")).as("two free failures").doesNotThrowAnyException();
        throttle.loginFailed("alice"); // third: locked 1 s
        assertThat(catchThrowableOfType(ApiException.class, () -> throttle.login("b", "alice")).retryAfter()).isEqualTo(Duration.ofSeconds(1));
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        throttle.login("b", "alice");
        throttle.loginFailed("alice"); // fourth: 2 s
        assertThat(catchThrowableOfType(ApiException.class, () -> throttle.login("c", "alice")).retryAfter()).isEqualTo(Duration.ofSeconds(2));
        for (int i = 0; i < 30; i++) {
            throttle.loginFailed("alice");
        }
        assertThat(catchThrowableOfType(ApiException.class, () -> throttle.login("d", "alice")).retryAfter())
                .as("capped").isEqualTo(Duration.ofMinutes(15));
        assertThatCode(() -> throttle.login("d", "bob")).doesNotThrowAnyException();
        now.addAndGet(Duration.ofMinutes(15).toNanos());
        throttle.login("d", "alice");
        throttle.loginSucceeded("alice");
        throttle.loginFailed("alice");
        assertThatCode(() -> throttle.login("d", "alice")).as("a success starts over").doesNotThrowAnyException();
    }
}
