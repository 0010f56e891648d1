package dev.todo.live;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todo.auth.ApiTokenRepository;
import dev.todo.support.Api;
import dev.todo.support.OwnServer;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A live stream ends when the credential it was opened with ends: a JWT at its {@code exp}, a
 * personal token at its expiry or when it is revoked. The last frame is an {@code auth-expired}
 * event, then the response completes. Access tokens live {@value #TTL_SECONDS} s on this server;
 * no heartbeat runs on its own here, so an end is not the heartbeat's work unless a test runs one.
 */
class LiveCredentialApiTest {

    static final int TTL_SECONDS = 3;
    static final Duration WAIT = Duration.ofSeconds(5);
    static OwnServer server;
    static Api api;

    @BeforeAll
    static void start() {
        // its own database: a second relay on the shared one would take events from the shared server
        server = TestApp.ownServer("livecred", Map.of("todo.auth.token-ttl-seconds", TTL_SECONDS,
                "todo.live.heartbeat", "10m")); // only the test below runs a heartbeat, by hand
        api = server.api();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void closeStreams() {
        server.closeResources();
    }

    private SseClient stream(String bearer) {
        return stream(bearer, "/api/stream");
    }

    private SseClient stream(String bearer, String path) {
        SseClient s = server.register(SseClient.open(SseClient.request(api.base().resolve(path), bearer).build()));
        assertThat(s.status()).isEqualTo(200);
        assertThat(s.next(WAIT).comments()).contains("stream open");
        return s;
    }

    private static JsonNode token(Api user, String body) {
        Api.Res res = user.post("/api/tokens", body);
        assertThat(res.status()).as(res.toString()).isEqualTo(201);
        return res.json();
    }

    private static void assertEndsWith(SseClient s, String reason, Duration within) {
        SseClient.Frame last = s.nextEvent(within);
        assertThat(last.event()).isEqualTo("auth-expired");
        assertThat(last.data()).contains("\"reason\":\"" + reason + "\"");
        s.ended().orTimeout(within.toMillis(), TimeUnit.MILLISECONDS).join(); // then the response completes
        assertThat(s.poll(Duration.ZERO)).isNull();
    }

    @Test
    void aStreamOpenedWithAnAccessTokenEndsAtItsExpiry() {
        Api user = api.newUser();
        Instant opened = Instant.now();
        SseClient s = stream(user.token());
        assertEndsWith(s, "expired", Duration.ofSeconds(TTL_SECONDS + 5));
        // not before the token's exp (whole seconds, so up to a second before the TTL measured from here)
        assertThat(Duration.between(opened, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(TTL_SECONDS - 1));
    }

    @Test
    void aStreamOpenedWithAPersonalTokenEndsAtOnceWhenTheTokenIsRevoked_othersStayOpen() {
        Api user = api.newUser();
        JsonNode first = token(user, "{\"name\":\"first\"}");
        String second = token(user, "{\"name\":\"second\"}").get("token").asText();
        SseClient revokedOne = stream(first.get("token").asText());
        SseClient other = stream(second);

        Api.Res revoke = user.as(second).delete("/api/tokens/" + first.get("id").asText());
        assertThat(revoke.status()).isEqualTo(204);
        assertEndsWith(revokedOne, "revoked", WAIT);

        // the stream opened with the other token still gets the user's events
        user.as(second).createTask("{\"title\":\"still here\"}");
        SseClient.Frame event = other.nextEvent(WAIT);
        assertThat(event.data()).contains("still here");
        assertThat(other.hasEnded()).isFalse();
    }

    @Test
    void aStreamOpenedWithAnExpiringPersonalTokenEndsAtTheTokensExpiry() {
        Api user = api.newUser();
        Instant expiresAt = Instant.now().plusSeconds(2);
        String secret = token(user, "{\"name\":\"short\",\"expiresAt\":\"" + expiresAt + "\"}").get("token").asText();
        SseClient s = stream(secret);
        assertEndsWith(s, "expired", WAIT);
        assertThat(Instant.now()).isAfterOrEqualTo(expiresAt);
    }

    @Test
    void aTokenRevokedOnAnotherInstanceEndsTheStreamAtTheNextHeartbeat() {
        Api user = api.newUser();
        JsonNode token = token(user, "{\"name\":\"elsewhere\"}");
        SseClient s = stream(token.get("token").asText());
        // another instance deletes the row; this one hears nothing of it
        server.bean(ApiTokenRepository.class).deleteById(UUID.fromString(token.get("id").asText()));
        server.bean(LiveStreams.class).heartbeat();
        assertEndsWith(s, "revoked", WAIT);
    }

    private SseClient streamWithTicket(String bearer) {
        Api.Res issued = api.as(bearer).post("/api/stream/tickets");
        assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
        return stream(null, issued.json().get("url").asText());
    }

    @Test
    void aStreamOpenedWithATicketEndsWhenThePersonalTokenTheTicketWasIssuedToIsRevoked() {
        Api user = api.newUser();
        JsonNode first = token(user, "{\"name\":\"ticket-issuer\"}");
        String second = token(user, "{\"name\":\"other\"}").get("token").asText();
        SseClient viaTicket = streamWithTicket(first.get("token").asText());
        SseClient other = streamWithTicket(second);

        assertThat(user.as(second).delete("/api/tokens/" + first.get("id").asText()).status()).isEqualTo(204);
        assertEndsWith(viaTicket, "revoked", WAIT);
        user.as(second).createTask("{\"title\":\"ticket stream stays\"}");
        assertThat(other.nextEvent(WAIT).data()).contains("ticket stream stays");
    }

    @Test
    void aStreamOpenedWithATicketOfAnAccessTokenEndsAtTheAccessTokensExpiry() {
        Api user = api.newUser();
        SseClient s = streamWithTicket(user.token());
        assertEndsWith(s, "expired", Duration.ofSeconds(TTL_SECONDS + 5));
    }

    @Test
    void aTicketOfARevokedTokenNoLongerOpensAStream() {
        Api user = api.newUser();
        JsonNode t = token(user, "{\"name\":\"gone\"}");
        String ticket = api.as(t.get("token").asText()).post("/api/stream/tickets").json().get("ticket").asText();
        assertThat(user.delete("/api/tokens/" + t.get("id").asText()).status()).isEqualTo(204);
        SseClient s = SseClient.open(SseClient.request(api.base().resolve("/api/stream?ticket=" + ticket), null).build());
        server.register(s); // closed after the test even when a stream opened
        assertThat(s.status()).isEqualTo(401);
    }

    @Test
    void aStreamOpenedWithAWebUiTicketEndsWhenTheSessionLogsOut() {
        Api user = api.newUser();
        UUID userId = UUID.fromString(user.get("/api/me").json().get("id").asText());
        dev.todo.ui.Sessions sessions = server.bean(dev.todo.ui.Sessions.class);
        String cookie = sessions.issue(userId);
        String[] parts = new String(java.util.Base64.getUrlDecoder().decode(cookie.substring(0, cookie.indexOf('.'))),
                java.nio.charset.StandardCharsets.UTF_8).split("\\|");
        dev.todo.ui.Sessions.Session session = new dev.todo.ui.Sessions.Session(userId, UUID.fromString(parts[1]),
                Instant.ofEpochSecond(Long.parseLong(parts[2])));
        Api.Res ticket = api.send(api.builder("/live/ticket").header("Cookie", dev.todo.ui.Sessions.COOKIE + "=" + cookie)
                .header(dev.todo.ui.Ui.CSRF_HEADER, sessions.csrf(session))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(ticket.status()).as(ticket.toString()).isEqualTo(200);
        SseClient s = stream(null, ticket.json().get("url").asText());

        sessions.end(session); // what logging out does, on this or another instance
        server.bean(LiveStreams.class).heartbeat();
        assertEndsWith(s, "revoked", WAIT);
    }

    @Test
    void anExpiryFurtherThanAHeartbeatAwayIsTimedAtALaterHeartbeat() {
        // on a server whose heartbeat is short, the 3 s token is timed by a heartbeat, not at opening
        try (OwnServer quick = TestApp.ownServer("livecred", Map.of("todo.auth.token-ttl-seconds", TTL_SECONDS,
                "todo.live.heartbeat", "500ms"))) {
            Api user = quick.api().newUser();
            SseClient s = quick.register(SseClient.open(SseClient.request(user.base().resolve("/api/stream"), user.token()).build()));
            assertEndsWith(s, "expired", Duration.ofSeconds(TTL_SECONDS + 5));
        }
    }
}
