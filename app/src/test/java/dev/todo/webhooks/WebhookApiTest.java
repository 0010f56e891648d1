package dev.todo.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todo.support.Api;
import dev.todo.support.TestApp;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.todo.support.Await.await;
import static dev.todo.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** The webhook API on the default server, where private destinations are refused. */
class WebhookApiTest {

    // a public address given literally: checked without a name server, never called by these tests
    static final String PUBLIC = "https://93.184.215.14/hooks/todo";

    private final Api user = TestApp.api().newUser();

    private Api.Res register(String body) {
        return user.post("/api/webhooks", body);
    }

    @Test
    void registerListGetAndDeleteOwnWebhooks() {
        Api.Res created = register("{\"url\":\"" + PUBLIC + "\",\"events\":[\"task.completed\",\"reminder.due\",\"task.completed\"]}");
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        JsonNode hook = created.json();
        String id = hook.get("id").asText();
        assertThat(created.header("Location")).isEqualTo("/api/webhooks/" + id);
        assertThat(hook.get("url").asText()).isEqualTo(PUBLIC);
        assertThat(hook.get("events")).extracting(JsonNode::asText).containsExactly("task.completed", "reminder.due");
        // a generated secret is shown once
        assertThat(hook.get("secret").asText()).startsWith("whsec_").hasSizeGreaterThan(40);
        assertThat(user.get("/api/webhooks/" + id).json().has("secret")).isFalse();

        Api.Res given = register("{\"url\":\"" + PUBLIC + "\",\"events\":[\"*\"],\"secret\":\"0123456789abcdef\"}");
        assertThat(given.status()).isEqualTo(201);
        assertThat(given.json().has("secret")).isFalse(); // the caller knows it; it is never echoed
        assertThat(given.json().get("events")).extracting(JsonNode::asText).containsExactly("*");

        List<String> listed = new ArrayList<>();
        user.get("/api/webhooks").json().get("items").forEach(w -> {
            listed.add(w.get("id").asText());
            assertThat(w.has("secret")).isFalse();
        });
        assertThat(listed).containsExactly(id, given.json().get("id").asText());
        JsonNode page = user.get("/api/webhooks/" + id + "/deliveries").json();
        assertThat(page.get("items")).isEmpty();
        assertThat(page.get("nextCursor").isNull()).isTrue();

        Api other = TestApp.api().newUser();
        assertProblem(other.get("/api/webhooks/" + id), 404, null);
        assertProblem(other.delete("/api/webhooks/" + id), 404, null);
        assertProblem(other.get("/api/webhooks/" + id + "/deliveries"), 404, null);
        assertThat(other.get("/api/webhooks").json().get("items")).isEmpty();

        assertThat(user.delete("/api/webhooks/" + id).status()).isEqualTo(204);
        assertProblem(user.get("/api/webhooks/" + id), 404, null);
        assertProblem(user.delete("/api/webhooks/" + id), 404, null);
        assertProblem(user.get("/api/webhooks/not-a-uuid"), 404, null);
        assertThat(TestApp.api().get("/api/webhooks").status()).isEqualTo(401);
    }

    @Test
    void badInputIsAProblemNamingTheField() {
        String events = ",\"events\":[\"task.created\"]";
        assertProblem(register("{\"events\":[\"task.created\"]}"), 400, "url");
        assertProblem(register("{\"url\":\"" + PUBLIC + "\"}"), 400, "events");
        assertProblem(register("{\"url\":\"" + PUBLIC + "\",\"events\":[]}"), 400, "events");
        assertProblem(register("{\"url\":\"" + PUBLIC + "\",\"events\":\"task.created\"}"), 400, "events");
        assertProblem(register("{\"url\":\"" + PUBLIC + "\",\"events\":[\"task.created\",\"task.exploded\"]}"), 400, "events[1]");
        assertProblem(register("{\"url\":\"" + PUBLIC + "\",\"events\":[\"dev.todo.task.created\"]}"), 400, "events[0]");
        assertProblem(register("{\"url\":\"" + PUBLIC + "\",\"events\":[7]}"), 400, "events[0]");
        assertProblem(register("{\"url\":\"ftp://93.184.215.14/x\"" + events + "}"), 400, "url");
        assertProblem(register("{\"url\":\"/relative/path\"" + events + "}"), 400, "url");
        assertProblem(register("{\"url\":\"https://user:pw@93.184.215.14/x\"" + events + "}"), 400, "url");
        assertProblem(register("{\"url\":\"https://93.184.215.14/x#frag\"" + events + "}"), 400, "url");
        assertProblem(register("{\"url\":\"https://93.184.215.14:99999/x\"" + events + "}"), 400, "url");
        assertProblem(register("{\"url\":\"https://exa mple.com/x\"" + events + "}"), 400, "url");
        assertProblem(register("{\"url\":\"https://" + "a".repeat(2000) + ".com/\"" + events + "}"), 400, "url");
        assertProblem(register("{\"url\":42" + events + "}"), 400, "url");
        assertProblem(register("{\"url\":\"" + PUBLIC + "\"" + events + ",\"secret\":\"too-short\"}"), 400, "secret");
        assertProblem(register("{\"url\":\"" + PUBLIC + "\"" + events + ",\"secret\":12345678901234567890}"), 400, "secret");
        assertProblem(register("{\"url\":\"" + PUBLIC + "\"" + events + ",\"active\":true}"), 400, "active");
        assertProblem(register("not json"), 400, null);
        // all faults at once
        JsonNode p = assertProblem(register("{\"url\":\"gopher://x\",\"events\":[\"nope\"],\"secret\":\"short\"}"), 400, "url");
        assertThat(p.get("errors")).hasSize(3);
        assertThat(user.get("/api/webhooks").json().get("items")).isEmpty();

        String id = register("{\"url\":\"" + PUBLIC + "\"" + events + "}").json().get("id").asText();
        assertProblem(user.get("/api/webhooks/" + id + "/deliveries?limit=0"), 400, "limit");
        assertProblem(user.get("/api/webhooks/" + id + "/deliveries?limit=x"), 400, "limit");
        assertProblem(user.get("/api/webhooks/" + id + "/deliveries?cursor=bad"), 400, "cursor");
        assertProblem(user.get("/api/webhooks/" + id + "/deliveries?status=failed"), 400, "status");
        assertProblem(user.post("/api/webhooks/" + id + "/deliveries/" + UUID.randomUUID() + "/redeliver"), 404, null);
        assertProblem(user.post("/api/webhooks/" + id + "/deliveries/nope/redeliver"), 404, null);
    }

    @Test
    void privateLoopbackAndLinkLocalDestinationsAreRefused() {
        for (String url : List.of("http://127.0.0.1:8080/hook", "http://10.0.0.1/hook", "http://169.254.169.254/latest/meta-data/",
                "http://[::1]/hook", "http://localhost:8080/hook", "http://192.168.1.10/hook", "http://172.16.5.4/hook",
                "http://100.64.0.1/hook", "http://[fd00::1]/hook", "http://0.0.0.0/hook", "http://[::ffff:127.0.0.1]/hook",
                "http://224.0.0.1/hook", "http://2130706433/hook")) {
            JsonNode p = assertProblem(register("{\"url\":\"" + url + "\",\"events\":[\"*\"]}"), 400, "url");
            assertThat(p.get("detail").asText()).as(url).contains("public");
        }
        assertThat(user.get("/api/webhooks").json().get("items")).isEmpty();
    }

    @Test
    void noMoreThanTwentyWebhooksPerUser() {
        for (int i = 0; i < 20; i++) {
            assertThat(register("{\"url\":\"" + PUBLIC + "/" + i + "\",\"events\":[\"*\"]}").status()).isEqualTo(201);
        }
        assertProblem(register("{\"url\":\"" + PUBLIC + "/21\",\"events\":[\"*\"]}"), 409, "webhooks");
        assertThat(user.get("/api/webhooks").json().get("items")).hasSize(20);
    }

    /**
     * A name that resolved to a public address at registration may point inward later: the sender
     * checks again before each attempt. Simulated by writing the row directly, as registration
     * would refuse it; the receiver must never be called.
     */
    @Test
    void theDestinationIsCheckedAgainBeforeEachDelivery() throws Exception {
        try (Receiver receiver = new Receiver()) {
            String userId = user.get("/api/me").json().get("id").asText();
            UUID hook = UUID.randomUUID();
            TestApp.server().getApplicationContext().getBean(JdbcOperations.class).execute(c -> {
                try (PreparedStatement ps = c.prepareStatement("insert into webhooks (id, user_id, url, events, secret, created_at)"
                        + " values (?, ?, ?, array['task.created'], 'a-secret-of-sixteen', clock_timestamp())")) {
                    ps.setObject(1, hook);
                    ps.setObject(2, UUID.fromString(userId));
                    ps.setString(3, receiver.url("/inward"));
                    return ps.executeUpdate();
                }
            });
            user.createTask("{\"title\":\"should not leave\"}");
            JsonNode delivery = await(Duration.ofSeconds(15), () -> user.get("/api/webhooks/" + hook + "/deliveries").json().get("items"),
                    items -> items.size() == 1 && items.get(0).get("attempts").asInt() >= 1 && !items.get(0).get("lastError").isNull())
                    .get(0);
            assertThat(delivery.get("status").asText()).isEqualTo("pending"); // retried later: the name may point outward again
            assertThat(delivery.get("lastError").asText()).contains("127.0.0.1").contains("loopback");
            assertThat(delivery.get("lastResponseCode").isNull()).isTrue();
            assertThat(delivery.get("nextAttemptAt").isNull()).isFalse();
            assertThat(receiver.at("/inward")).isEmpty();
        }
    }
}
