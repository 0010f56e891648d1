package dev.todo.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todo.support.Api;
import dev.todo.support.OwnServer;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.todo.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DNS rebinding: the name a webhook calls answers one address to the destination check and another
 * to the connection. Here the check's name server says {@code localhost} is 192.0.2.1 (public, and
 * unreachable), while the system's says 127.0.0.1, where a receiver listens: a sender that looks the
 * name up again to connect reaches the receiver; one that connects to what it checked does not.
 */
class WebhookRebindingTest {

    static Receiver receiver;
    static OwnServer server;
    static final List<String> lookups = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
        DestinationGuard.Resolver checkServer = host -> {
            lookups.add(host);
            if (host.equals("localhost")) {
                return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {(byte) 192, 0, 2, 1})};
            }
            throw new UnknownHostException(host);
        };
        server = TestApp.ownServer("webhooks_rebinding", Map.of(
                "todo.webhooks.allow-private", false,
                "todo.webhooks.max-attempts", 1,
                "todo.webhooks.connect-timeout", "1s",
                "todo.webhooks.request-timeout", "2s"), checkServer);
    }

    @AfterAll
    static void stop() {
        server.close();
        receiver.close();
    }

    @Test
    void theDeliveryGoesToTheAddressThatWasCheckedNotToASecondLookup() {
        Api user = server.api().newUser();
        String path = "/hooks/" + UUID.randomUUID();
        String url = receiver.url(path).replace("127.0.0.1", "localhost");
        Api.Res registered = user.post("/api/webhooks", "{\"url\":\"" + url + "\",\"events\":[\"task.created\"]}");
        assertThat(registered.status()).as("%s", registered).isEqualTo(201);
        String hook = registered.json().get("id").asText();
        int before = lookups.size();

        user.createTask("{\"title\":\"rebinding\"}");
        JsonNode failed = await(Duration.ofSeconds(30), () -> user.get("/api/webhooks/" + hook + "/deliveries").json().get("items"),
                items -> items.size() == 1 && items.get(0).get("status").asText().equals("failed")).get(0);

        assertThat(receiver.at(path)).as("the receiver at the address of a second lookup got nothing").isEmpty();
        assertThat(lookups.subList(before, lookups.size())).as("the connection used the check's lookup").contains("localhost");
        assertThat(failed.get("lastResponseCode").isNull()).isTrue();
        assertThat(failed.get("lastError").asText()).as("a connection failure, not a refusal by the check").startsWith("HttpHostConnectException");
    }
}
