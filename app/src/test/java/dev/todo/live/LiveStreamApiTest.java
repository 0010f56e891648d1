package dev.todo.live;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todo.support.Api;
import dev.todo.support.TestApp;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.todo.support.Await.await;
import static dev.todo.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/stream over real HTTP connections: fan-out, isolation, resume, reset, auth, tickets, clean-up. */
class LiveStreamApiTest {

    static final Duration WAIT = Duration.ofSeconds(5);

    private final ApplicationContext ctx = TestApp.server().getApplicationContext();
    private final LiveStreams registry = ctx.getBean(LiveStreams.class);
    private final Api alice = TestApp.api().newUser();
    private final Api bob = TestApp.api().newUser();
    private final List<SseClient> open = new ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void closeStreams() {
        open.forEach(SseClient::close);
    }

    private SseClient stream(Api as) {
        return stream(as, null);
    }

    private SseClient stream(Api as, String lastEventId) {
        HttpRequest.Builder b = SseClient.request(as.base().resolve("/api/stream"), as.token());
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        SseClient s = SseClient.open(b.build());
        open.add(s);
        assertThat(s.status()).isEqualTo(200);
        // the first frame comes at once: headers flushed, retry hint given
        SseClient.Frame first = s.next(WAIT);
        assertThat(first.retry()).isEqualTo(3000L);
        assertThat(first.comments()).contains("stream open");
        assertThat(first.isEvent()).isFalse();
        return s;
    }

    private static JsonNode json(SseClient.Frame f) {
        try {
            return Api.JSON.readTree(f.data());
        } catch (java.io.IOException e) {
            throw new AssertionError(f.data(), e);
        }
    }

    @Test
    void twoStreamsOfOneUserShowAChangeWithinASecondAndAnotherUserSeesNothingOfIt() {
        SseClient a1 = stream(alice);
        SseClient a2 = stream(alice);
        SseClient b1 = stream(bob);
        assertThat(a1.header("content-type")).startsWith("text/event-stream");
        assertThat(a1.header("cache-control")).isEqualTo("no-cache");

        String id = alice.createTask("{\"title\":\"Buy milk\"}").get("id").asText();
        assertThat(a1.nextEvent(WAIT).event()).isEqualTo("task.created");
        assertThat(a2.nextEvent(WAIT).event()).isEqualTo("task.created");

        long sent = System.nanoTime();
        Api.Res patched = alice.patch("/api/tasks/" + id, "{\"title\":\"Buy oat milk\"}");
        assertThat(patched.status()).isEqualTo(200);
        for (SseClient s : List.of(a1, a2)) {
            SseClient.Frame f = s.nextEvent(WAIT);
            assertThat(Duration.ofNanos(f.receivedNanos() - sent)).as("from the PATCH request to the event").isLessThan(Duration.ofSeconds(1));
            assertThat(f.event()).isEqualTo("task.updated");
            assertThat(Long.parseLong(f.id())).isPositive();
            JsonNode data = json(f);
            assertThat(data.get("type").asText()).isEqualTo("task.updated");
            assertThat(data.get("taskId").asText()).isEqualTo(id);
            assertThat(data.get("time").asText()).endsWith("Z");
            assertThat(data.at("/data/task/title").asText()).isEqualTo("Buy oat milk");
            assertThat(data.at("/data/changes/title/before").asText()).isEqualTo("Buy milk");
            assertThat(data.at("/data/changes/title/after").asText()).isEqualTo("Buy oat milk");
        }

        // events are relayed in order: had any of Alice's reached Bob, they would come before his own
        String bobs = bob.createTask("{\"title\":\"Bob's own\"}").get("id").asText();
        SseClient.Frame first = b1.nextEvent(WAIT);
        assertThat(json(first).get("taskId").asText()).isEqualTo(bobs);
        assertThat(a1.poll(Duration.ZERO)).as("Alice sees nothing of Bob's").isNull();
    }

    @Test
    void aReconnectWithLastEventIdGetsExactlyTheMissedEventsInOrderThenLiveOnes() {
        SseClient witness = stream(alice); // stays connected throughout
        SseClient first = stream(alice);
        String id = alice.createTask("{\"title\":\"v0\"}").get("id").asText();
        SseClient.Frame created = first.nextEvent(WAIT);
        first.close();
        await(WAIT, () -> registry.size(userId(alice)), n -> n == 1);

        for (int i = 1; i <= 3; i++) {
            assertThat(alice.patch("/api/tasks/" + id, "{\"title\":\"v" + i + "\"}").status()).isEqualTo(200);
        }
        alice.post("/api/tasks/" + id + "/complete");
        List<SseClient.Frame> live = new ArrayList<>();
        live.add(witness.nextEvent(WAIT)); // created
        for (int i = 0; i < 4; i++) {
            live.add(witness.nextEvent(WAIT));
        }
        assertThat(live.get(0).id()).isEqualTo(created.id());

        SseClient resumed = stream(alice, created.id());
        List<SseClient.Frame> replayed = List.of(resumed.nextEvent(WAIT), resumed.nextEvent(WAIT), resumed.nextEvent(WAIT),
                resumed.nextEvent(WAIT));
        assertThat(replayed).extracting(SseClient.Frame::event)
                .containsExactly("task.updated", "task.updated", "task.updated", "task.completed");
        // the same ids and the same data as the live stream got
        assertThat(replayed).extracting(SseClient.Frame::id).containsExactlyElementsOf(live.subList(1, 5).stream().map(SseClient.Frame::id).toList());
        assertThat(replayed).extracting(SseClient.Frame::data).containsExactlyElementsOf(live.subList(1, 5).stream().map(SseClient.Frame::data).toList());
        assertThat(json(replayed.get(2)).at("/data/changes/title/after").asText()).isEqualTo("v3");

        // then live, without repeating anything
        alice.post("/api/tasks/" + id + "/reopen");
        SseClient.Frame next = resumed.nextEvent(WAIT);
        assertThat(next.event()).isEqualTo("task.reopened");
        assertThat(Long.parseLong(next.id())).isGreaterThan(Long.parseLong(replayed.get(3).id()));
        alice.delete("/api/tasks/" + id);
        assertThat(resumed.nextEvent(WAIT).event()).isEqualTo("task.deleted");
    }

    @Test
    void aFreshStreamCarriesAResumePointSoAReconnectBeforeTheFirstEventMissesNothing() {
        SseClient watcher = stream(alice);
        String id = alice.createTask("{\"title\":\"before\"}").get("id").asText();
        SseClient.Frame seen = watcher.nextEvent(WAIT);

        HttpRequest request = SseClient.request(alice.base().resolve("/api/stream"), alice.token()).build();
        SseClient fresh = SseClient.open(request);
        open.add(fresh);
        SseClient.Frame hello = fresh.next(WAIT);
        assertThat(hello.id()).as("the newest event of the user").isEqualTo(seen.id());
        fresh.close();

        alice.patch("/api/tasks/" + id, "{\"title\":\"while away\"}");
        SseClient back = stream(alice, hello.id());
        assertThat(json(back.nextEvent(WAIT)).at("/data/changes/title/after").asText()).isEqualTo("while away");
    }

    @Test
    void aReconnectAlsoGetsAnEventWithALowerIdThatWentOutAfterTheLastOneSeen() throws Exception {
        SseClient s = stream(alice);
        alice.createTask("{\"title\":\"first written\"}");
        SseClient.Frame a = s.nextEvent(WAIT);
        alice.createTask("{\"title\":\"second written\"}");
        SseClient.Frame b = s.nextEvent(WAIT);
        s.close();
        await(WAIT, () -> published(Long.parseLong(a.id())) && published(Long.parseLong(b.id())), done -> done);
        // as if a's transaction had committed after b's: its row (lower seq) went out later
        sql("update outbox set published_at = (select published_at from outbox where seq = ?) + interval '1 second'"
                + " where seq = " + Long.parseLong(a.id()), Long.parseLong(b.id()));

        SseClient resumed = stream(alice, b.id());
        SseClient.Frame missed = resumed.nextEvent(WAIT);
        assertThat(missed.id()).isEqualTo(a.id());
        assertThat(missed.data()).isEqualTo(a.data());
        SseClient.Frame more = resumed.poll(Duration.ofMillis(300));
        assertThat(more == null || !more.isEvent()).as("nothing else: %s", more).isTrue();
    }

    private boolean published(long seq) {
        DataSource ds = TestApp.dataSource(ctx);
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select published_at is not null from outbox where seq = ?")) {
            ps.setLong(1, seq);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anIdOlderThanTheWindowOrNotTheUsersGetsAResetThenLiveEvents() throws Exception {
        SseClient s = stream(alice);
        String id = alice.createTask("{\"title\":\"old\"}").get("id").asText();
        SseClient.Frame old = s.nextEvent(WAIT);
        alice.patch("/api/tasks/" + id, "{\"title\":\"newer\"}");
        SseClient.Frame newest = s.nextEvent(WAIT);
        sql("update outbox set time = now() - interval '25 hours' where seq = ?", Long.parseLong(old.id()));

        SseClient late = stream(alice, old.id());
        SseClient.Frame reset = late.nextEvent(WAIT);
        assertThat(reset.event()).isEqualTo("reset");
        assertThat(json(reset).get("reason").asText()).isEqualTo("expired");
        assertThat(reset.id()).as("resume point after reloading").isEqualTo(newest.id());
        alice.post("/api/tasks/" + id + "/complete");
        assertThat(late.nextEvent(WAIT).event()).isEqualTo("task.completed");

        // Bob presenting Alice's event id learns nothing about it
        SseClient foreign = stream(bob, newest.id());
        SseClient.Frame bobsReset = foreign.nextEvent(WAIT);
        assertThat(bobsReset.event()).isEqualTo("reset");
        assertThat(json(bobsReset).get("reason").asText()).isEqualTo("unknown");
        assertThat(bobsReset.id()).isNull(); // Bob has no events yet
    }

    @Test
    void aMalformedLastEventIdIsRefusedNamingIt() {
        for (String bad : List.of("abc", "-1", "1.5", "12345678901234567890", "1 2")) {
            Api.Res r = alice.send(alice.builder("/api/stream").header("Last-Event-ID", bad).GET());
            assertProblem(r, 400, "Last-Event-ID");
        }
        assertProblem(alice.get("/api/stream?lastEventId=x1"), 400, "lastEventId");
        assertProblem(alice.get("/api/stream?since=1"), 400, "since");
        assertThat(registry.size(userId(alice))).isZero();
    }

    @Test
    void aHeadRequestGetsTheHeadersAndLeavesNoStreamBehind() {
        Api.Res head = alice.send(alice.builder("/api/stream").method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.contentType()).startsWith("text/event-stream");
        assertThat(registry.size(userId(alice))).isZero();
        String ticket = alice.post("/api/stream/tickets").json().get("ticket").asText();
        Api anonymous = TestApp.api();
        Api.Res headWithTicket = anonymous.send(anonymous.builder("/api/stream?ticket=" + Api.q(ticket))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(headWithTicket.status()).isEqualTo(200);
        SseClient s = SseClient.open(SseClient.request(anonymous.base().resolve("/api/stream?ticket=" + Api.q(ticket)), null).build());
        open.add(s);
        assertThat(s.status()).as("HEAD did not use the ticket up").isEqualTo(200);
    }

    @Test
    void withoutCredentialsTheStreamIsRefused() {
        Api anonymous = TestApp.api();
        assertProblem(anonymous.get("/api/stream"), 401, null);
        assertProblem(anonymous.as("not-a-token").get("/api/stream"), 401, null);
        assertProblem(anonymous.post("/api/stream/tickets"), 401, null);
    }

    @Test
    void aTicketOpensOneStreamOnceAndExpires() throws Exception {
        Api.Res issued = alice.post("/api/stream/tickets");
        assertThat(issued.status()).isEqualTo(201);
        String ticket = issued.json().get("ticket").asText();
        assertThat(issued.json().get("url").asText()).isEqualTo("/api/stream?ticket=" + ticket);
        assertThat(issued.header("location")).isEqualTo("/api/stream?ticket=" + ticket);

        Api anonymous = TestApp.api();
        URI url = anonymous.base().resolve("/api/stream?ticket=" + Api.q(ticket));
        SseClient s = SseClient.open(SseClient.request(url, null).build());
        open.add(s);
        assertThat(s.status()).isEqualTo(200);
        alice.createTask("{\"title\":\"via ticket\"}");
        assertThat(json(s.nextEvent(WAIT)).at("/data/task/title").asText()).isEqualTo("via ticket");

        assertProblem(anonymous.get("/api/stream?ticket=" + Api.q(ticket)), 401, "ticket");
        assertProblem(anonymous.get("/api/stream?ticket=todo_stk_guess"), 401, "ticket");

        String expired = alice.post("/api/stream/tickets").json().get("ticket").asText();
        sql("update stream_tickets set expires_at = now() - interval '1 second' where ticket_hash = ?", StreamTickets.sha256(expired));
        assertProblem(anonymous.get("/api/stream?ticket=" + Api.q(expired)), 401, "ticket");
    }

    @Test
    void closingAStreamRemovesItFromTheRegistry() {
        int before = registry.size();
        SseClient s1 = stream(alice);
        SseClient s2 = stream(alice);
        stream(bob);
        assertThat(registry.size(userId(alice))).isEqualTo(2);
        assertThat(registry.size()).isEqualTo(before + 3);

        s1.close();
        await(Duration.ofSeconds(3), () -> registry.size(userId(alice)), n -> n == 1);
        s2.close();
        await(Duration.ofSeconds(3), () -> registry.size(userId(alice)), n -> n == 0);
        assertThat(registry.hasStreams(userId(alice))).isFalse();
        assertThat(registry.size()).isEqualTo(before + 1);
        // the remaining stream still works
        bob.createTask("{\"title\":\"still here\"}");
        assertThat(open.get(2).nextEvent(WAIT).event()).isEqualTo("task.created");
    }

    private static java.util.UUID userId(Api api) {
        return java.util.UUID.fromString(api.get("/api/me").json().get("id").asText());
    }

    private void sql(String statement, Object arg) throws Exception {
        DataSource ds = TestApp.dataSource(ctx);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(statement)) {
            ps.setObject(1, arg);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }
}
