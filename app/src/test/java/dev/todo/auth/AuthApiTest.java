package dev.todo.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todo.support.Api;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.UUID;

import static dev.todo.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

class AuthApiTest {

    private final Api anonymous = TestApp.api();

    private static String unique() {
        return "user" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void signupThenLoginReturnsBearerToken() {
        String name = unique();
        Api.Res signup = anonymous.post("/api/auth/signup", "{\"username\":\"" + name + "\",\"password\":\"s3cret-pass\"}");
        assertThat(signup.status()).isEqualTo(201);
        assertThat(signup.json().get("username").asText()).isEqualTo(name);
        assertThat(signup.json().get("timeZone").asText()).isEqualTo("UTC");
        assertThat(signup.body()).doesNotContain("s3cret").doesNotContain("password");

        Api.Res login = anonymous.post("/api/auth/login", "{\"username\":\"" + name.toUpperCase() + "\",\"password\":\"s3cret-pass\"}");
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.json().get("tokenType").asText()).isEqualTo("Bearer");
        assertThat(login.json().get("expiresIn").asInt()).isEqualTo(3600);
        Api me = anonymous.as(login.json().get("accessToken").asText());
        assertThat(me.get("/api/me").json().get("username").asText()).isEqualTo(name);
    }

    @Test
    void duplicateUsernameIsAConflictIgnoringCase() {
        String name = unique();
        assertThat(anonymous.post("/api/auth/signup", "{\"username\":\"" + name + "\",\"password\":\"s3cret-pass\"}").status()).isEqualTo(201);
        assertProblem(anonymous.post("/api/auth/signup", "{\"username\":\"" + name.toUpperCase() + "\",\"password\":\"other-pass\"}"), 409, "username");
    }

    @Test
    void wrongPasswordAndUnknownUserAreTheSame401() {
        String name = unique();
        anonymous.newUser(name, "right-password");
        JsonNode wrong = assertProblem(anonymous.post("/api/auth/login", "{\"username\":\"" + name + "\",\"password\":\"wrong-password\"}"), 401, null);
        JsonNode unknown = assertProblem(anonymous.post("/api/auth/login", "{\"username\":\"nobody-" + name + "\",\"password\":\"wrong-password\"}"), 401, null);
        assertThat(wrong.get("detail")).isEqualTo(unknown.get("detail"));
    }

    @Test
    void signupRejectsBadCredentialsNamingTheField() {
        assertProblem(anonymous.post("/api/auth/signup", "{\"username\":\"ab\",\"password\":\"s3cret-pass\"}"), 400, "username");
        assertProblem(anonymous.post("/api/auth/signup", "{\"username\":\"" + unique() + "\",\"password\":\"short\"}"), 400, "password");
        assertProblem(anonymous.post("/api/auth/signup", "{\"password\":\"s3cret-pass\"}"), 400, "username");
        assertProblem(anonymous.post("/api/auth/signup", "{\"username\":\"" + unique() + "\",\"password\":\"s3cret-pass\",\"timeZone\":\"Mars/Olympus\"}"), 400, "timeZone");
        assertProblem(anonymous.post("/api/auth/signup", "{\"username\":\"" + unique() + "\",\"password\":\"s3cret-pass\",\"admin\":true}"), 400, "admin");
    }

    @Test
    void everyApiEndpointNeedsCredentialsExceptSignupLoginAndHealth() {
        for (String path : new String[]{"/api/tasks", "/api/tags", "/api/me", "/api/tokens", "/api/tasks/" + UUID.randomUUID()}) {
            assertProblem(anonymous.get(path), 401, null);
        }
        assertProblem(anonymous.post("/api/tasks", "{\"title\":\"x\"}"), 401, null);
        assertProblem(anonymous.as("not-a-token").get("/api/tasks"), 401, null);
        assertProblem(anonymous.as("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl").get("/api/tasks"), 401, null);
        assertThat(anonymous.get("/health").status()).isEqualTo(200);
    }

    @Test
    void tokenSignedWithAnotherSecretIsRejected() {
        // header {"alg":"HS256"}, payload {"sub":"<uuid>"} signed with a different key
        String forged = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDAifQ."
                + "3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        assertProblem(anonymous.as(forged).get("/api/tasks"), 401, null);
    }

    @Test
    void profileTimeZoneCanBeChangedAndIsValidated() {
        Api user = anonymous.newUser();
        assertThat(user.patch("/api/me", "{\"timeZone\":\"Europe/Berlin\"}").json().get("timeZone").asText()).isEqualTo("Europe/Berlin");
        assertProblem(user.patch("/api/me", "{\"timeZone\":\"+02:00\"}"), 400, "timeZone");
        assertProblem(user.patch("/api/me", "{\"timeZone\":null}"), 400, "timeZone");
        assertThat(user.get("/api/me").json().get("timeZone").asText()).isEqualTo("Europe/Berlin");
    }

    @Test
    void personalTokensAreShownOnceListedWithoutSecretAndRevocable() {
        Api user = anonymous.newUser();
        Api.Res created = user.post("/api/tokens", "{\"name\":\"ci script\"}");
        assertThat(created.status()).isEqualTo(201);
        String secret = created.json().get("token").asText();
        String id = created.json().get("id").asText();
        assertThat(secret).startsWith("todo_pat_");
        assertThat(created.header("location")).isEqualTo("/api/tokens/" + id);

        Api viaToken = anonymous.as(secret);
        assertThat(viaToken.get("/api/tasks").status()).isEqualTo(200);
        assertProblem(viaToken.post("/api/tokens", "{\"name\":\"minted by a token\"}"), 403, null);
        assertThat(viaToken.get("/api/me").json().get("username")).isEqualTo(user.get("/api/me").json().get("username"));

        Api.Res list = user.get("/api/tokens");
        assertThat(list.json().get("items")).hasSize(1);
        assertThat(list.body()).doesNotContain(secret);
        assertThat(list.json().get("items").get(0).get("lastUsedAt").isNull()).isFalse();

        Api other = anonymous.newUser();
        assertProblem(other.delete("/api/tokens/" + id), 404, null);
        assertThat(viaToken.get("/api/tasks").status()).isEqualTo(200);

        assertThat(user.delete("/api/tokens/" + id).status()).isEqualTo(204);
        assertProblem(viaToken.get("/api/tasks"), 401, null);
        assertProblem(user.delete("/api/tokens/" + id), 404, null);
    }

    @Test
    void expiredPersonalTokenIsRejected() throws Exception {
        Api user = anonymous.newUser();
        Api.Res created = user.post("/api/tokens", "{\"name\":\"short-lived\",\"expiresAt\":\"2099-01-01T00:00:00Z\"}");
        String secret = created.json().get("token").asText();
        assertThat(anonymous.as(secret).get("/api/tasks").status()).isEqualTo(200);
        try (Connection c = DriverManager.getConnection(TestApp.database().jdbcUrl("todo"), "postgres", "");
             PreparedStatement ps = c.prepareStatement("update api_tokens set expires_at = now() - interval '1 second' where id = ?")) {
            ps.setObject(1, UUID.fromString(created.json().get("id").asText()));
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        assertProblem(anonymous.as(secret).get("/api/tasks"), 401, null);
        assertProblem(user.post("/api/tokens", "{\"name\":\"past\",\"expiresAt\":\"2001-01-01T00:00:00Z\"}"), 400, "expiresAt");
        assertProblem(user.post("/api/tokens", "{}"), 400, "name");
    }
}
