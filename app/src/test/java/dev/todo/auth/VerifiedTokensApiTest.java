package dev.todo.auth;

import dev.todo.support.Api;
import dev.todo.support.TestApp;
import io.micronaut.context.ApplicationContext;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.generator.TokenGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.todo.support.Await.await;
import static dev.todo.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

class VerifiedTokensApiTest {

    private final ApplicationContext context = TestApp.server().getApplicationContext();
    private final VerifiedTokens verified = context.getBean(VerifiedTokens.class);
    private final Api anonymous = TestApp.api();

    @Test
    void aTokenUsedAgainIsAnsweredWithoutVerifyingItAgain() {
        Api user = anonymous.newUser();
        assertThat(verified.remembers(user.token())).isFalse();
        String me = user.get("/api/me").json().get("id").asText();
        assertThat(verified.remembers(user.token())).isTrue();
        // the remembered answer is the same user, request after request
        for (int i = 0; i < 3; i++) {
            assertThat(user.get("/api/me").json().get("id").asText()).isEqualTo(me);
        }
    }

    @Test
    void aRememberedTokenStopsWorkingAtItsExpiry() {
        Api user = anonymous.newUser();
        String id = user.get("/api/me").json().get("id").asText();
        String shortLived = context.getBean(TokenGenerator.class)
                .generateToken(Authentication.build(id, List.of(), Map.of("username", "short")), 2).orElseThrow();
        Api holder = anonymous.as(shortLived);
        assertThat(holder.get("/api/me").status()).isEqualTo(200);
        assertThat(verified.remembers(shortLived)).isTrue();
        Api.Res after = await(Duration.ofSeconds(15), () -> holder.get("/api/me"), r -> r.status() != 200);
        assertProblem(after, 401, null);
        assertThat(verified.remembers(shortLived)).isFalse();
    }

    @Test
    void aTamperedTokenIsNotTakenForTheRememberedOne() {
        Api user = anonymous.newUser();
        assertThat(user.get("/api/me").status()).isEqualTo(200);
        String token = user.token();
        String[] parts = token.split("\\.");
        char last = parts[2].charAt(parts[2].length() - 2);
        String tampered = parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 2)
                + (last == 'A' ? 'B' : 'A') + parts[2].charAt(parts[2].length() - 1);
        assertProblem(anonymous.as(tampered).get("/api/me"), 401, null);
        assertThat(verified.remembers(tampered)).isFalse();
    }
}
