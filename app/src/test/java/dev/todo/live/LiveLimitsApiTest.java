package dev.todo.live;

import dev.todo.support.Api;
import dev.todo.support.OwnServer;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;

import static dev.todo.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** The configurable limits, on a server of their own: heartbeat, streams per user, replay size, shutdown. */
class LiveLimitsApiTest {

    static final Duration WAIT = Duration.ofSeconds(5);
    static OwnServer server;
    static Api api;

    @BeforeAll
    static void start() {
        // its own database too: a second relay on the shared one would take events from the shared server
        server = TestApp.ownServer("live", Map.of(
                "todo.live.heartbeat", "100ms",
                "todo.live.max-streams-per-user", 2,
                "todo.live.replay-max-events", 3,
                "todo.live.replay-max-bytes", 6000,
                "todo.live.framework-probe", true));
        api = server.api();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @org.junit.jupiter.api.AfterEach
    void closeStreams() {
        server.closeResources();
    }

    private SseClient stream(Api as, String lastEventId) {
        HttpRequest.Builder b = SseClient.request(as.base().resolve("/api/stream"), as.token());
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        SseClient s = server.register(SseClient.open(b.build()));
        assertThat(s.status()).isEqualTo(200);
        return s;
    }

    @Test
    void anIdleStreamGetsHeartbeatComments() {
        SseClient s = stream(api.newUser(), null);
        assertThat(s.next(WAIT).comments()).contains("stream open");
        assertThat(s.next(WAIT).comments()).containsExactly("keep-alive");
        assertThat(s.next(WAIT).comments()).containsExactly("keep-alive");
    }

    @Test
    void aUserMayHoldOnlyTheConfiguredNumberOfStreams() {
        Api user = api.newUser();
        stream(user, null);
        stream(user, null);
        Api.Res third = user.get("/api/stream");
        assertProblem(third, 429, "stream");
        stream(api.newUser(), null); // others are not affected
    }

    @Test
    void moreMissedEventsThanTheLimitMeanAReset() {
        Api user = api.newUser();
        SseClient s = stream(user, null);
        String id = user.createTask("{\"title\":\"t\"}").get("id").asText();
        String start = s.nextEvent(WAIT).id();
        for (int i = 1; i <= 3; i++) {
            user.patch("/api/tasks/" + id, "{\"title\":\"t" + i + "\"}");
        }
        String third = null;
        for (int i = 0; i < 3; i++) {
            third = s.nextEvent(WAIT).id();
        }
        s.close();

        SseClient exactly = stream(user, start); // three missed: the limit
        for (int i = 1; i <= 3; i++) {
            assertThat(exactly.nextEvent(WAIT).event()).isEqualTo("task.updated");
        }
        exactly.close();

        user.patch("/api/tasks/" + id, "{\"title\":\"t4\"}");
        SseClient over = stream(user, start); // four missed
        SseClient.Frame reset = over.nextEvent(WAIT);
        assertThat(reset.event()).isEqualTo("reset");
        assertThat(reset.data()).contains("\"reason\":\"too-many\"");
        assertThat(Long.parseLong(reset.id())).isGreaterThan(Long.parseLong(third));
    }

    @Test
    void aReplayLargerThanItsByteBoundIsAReset() {
        Api user = api.newUser();
        SseClient s = stream(user, null);
        String id = user.createTask("{\"title\":\"big\",\"description\":\"" + "x".repeat(3000) + "\"}").get("id").asText();
        String start = s.nextEvent(WAIT).id();
        user.patch("/api/tasks/" + id, "{\"title\":\"b1\"}");
        String first = s.nextEvent(WAIT).id();
        s.close();

        SseClient fits = stream(user, start); // one missed event of ~3.5 kB: within 6000 bytes
        assertThat(fits.nextEvent(WAIT).id()).isEqualTo(first);
        fits.close();

        user.patch("/api/tasks/" + id, "{\"title\":\"b2\"}");
        SseClient over = stream(user, start); // two: over the bound, though under the count
        SseClient.Frame reset = over.nextEvent(WAIT);
        assertThat(reset.event()).isEqualTo("reset");
        assertThat(reset.data()).contains("\"reason\":\"too-large\"");
    }

    /**
     * Why every stream sends a frame at once. Micronaut 4.10 holds a streamed response back until
     * the publisher's first item (ResponseLifecycle wraps it in LazySendingSubscriber, so that an
     * early error can still become an error response): no status, no headers, and a client that
     * leaves meanwhile goes unnoticed; its subscription is released only when an item is written
     * into the dead connection. If this test fails, Micronaut changed that behaviour.
     */
    @Test
    void micronautSendsNothingAndMissesADepartureBeforeTheFirstItem() throws Exception {
        FrameworkProbeController probe = server.bean(FrameworkProbeController.class);
        try (java.net.Socket socket = new java.net.Socket(server.server().getHost(), server.server().getPort())) {
            socket.getOutputStream().write("GET /probe/silent HTTP/1.1\r\nHost: test\r\nAccept: text/event-stream\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            dev.todo.support.Await.await(WAIT, probe.subscribed::get, n -> n == 1);
            socket.setSoTimeout(300);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> socket.getInputStream().read())
                    .as("no status line before the first item").isInstanceOf(java.net.SocketTimeoutException.class);
        }
        // the client has gone; give the server ample time to notice, which it does not
        Thread.sleep(500);
        assertThat(probe.cancelled.get()).isZero();
        assertThat(api.post("/probe/emit").status()).isEqualTo(200);
        dev.todo.support.Await.await(WAIT, probe.cancelled::get, n -> n == 1);
    }

    @Test
    void stoppingTheServerEndsItsStreamsProperly() {
        OwnServer other = TestApp.ownServer("live", Map.of("todo.events.relay.enabled", false));
        Api user = other.api().newUser();
        SseClient s = stream(user, null); // closed after the test, not by other.close(): the server must end it
        s.next(WAIT);
        other.close();
        s.ended().orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join();
        // completed with the closing chunk, not cut off with the connection: the client knows to reconnect
        assertThat(s.failure()).isNull();
    }
}
