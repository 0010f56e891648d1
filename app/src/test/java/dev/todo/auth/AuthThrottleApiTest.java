package dev.todo.auth;

import dev.todo.support.Api;
import dev.todo.support.OwnServer;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.todo.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Signup and login limits over HTTP, on a server with the production defaults (not the tests' unlimited ones). */
class AuthThrottleApiTest {

    @Test
    void signupsAndFailedLoginsAreLimitedWith429AndRetryAfter() {
        try (OwnServer server = TestApp.ownServer("throttle", Map.of(
                "todo.auth.limits.signups-per-minute", TestApp.UNSET,
                "todo.auth.limits.logins-per-minute", TestApp.UNSET))) {
            Api api = server.api();
            String body = "{\"username\":\"victim\",\"password\":\"correct-horse-battery\"}";
            assertThat(api.post("/api/auth/signup", body).status()).isEqualTo(201);
            for (int i = 0; i < 4; i++) {
                assertThat(api.post("/api/auth/signup", "{\"username\":\"user" + i + "\",\"password\":\"correct-horse-battery\"}").status())
                        .isIn(201, 429);
            }
            Api.Res refused = api.post("/api/auth/signup", "{\"username\":\"one-too-many\",\"password\":\"correct-horse-battery\"}");
            assertProblem(refused, 429, "address");
            assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 60);

            String wrong = "{\"username\":\"victim\",\"password\":\"wrong-password-here\"}";
            for (int i = 0; i < 5; i++) {
                assertThat(api.post("/api/auth/login", wrong).status()).isEqualTo(401);
            }
            assertThat(api.post("/api/auth/login", wrong).status()).as("the sixth failure locks").isEqualTo(401);
            Api.Res locked = api.post("/api/auth/login", body);
            assertProblem(locked, 429, "username");
            assertThat(locked.header("Retry-After")).isNotNull();

            // the web UI's login form is held to the same lockout: the right password does not get in
            Api.Res page = api.send("POST", "/login", "application/x-www-form-urlencoded",
                    "username=victim&password=correct-horse-battery&next=%2F");
            assertThat(page.status()).isEqualTo(429);
            assertThat(page.header("Retry-After")).isNotNull();
            assertThat(page.body()).contains("Too many failed logins");
            assertThat(page.header("Set-Cookie")).as("no session for a locked-out login").isNull();
            // and its sign-up form to the same per-address limit
            Api.Res signupPage = api.send("POST", "/signup", "application/x-www-form-urlencoded",
                    "username=another-one&password=correct-horse-battery&timeZone=UTC");
            assertThat(signupPage.status()).isEqualTo(429);
        }
    }
}
