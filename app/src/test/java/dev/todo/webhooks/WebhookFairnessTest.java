package dev.todo.webhooks;

import dev.todo.support.Api;
import dev.todo.support.OwnServer;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import static dev.todo.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One user's receiver that does not answer holds at most its share of the sending threads: other
 * users' deliveries, and the same user's to another host, still go out at once.
 */
class WebhookFairnessTest {

    @Test
    void aStalledReceiverHoldsOnlyItsShareOfTheSenders() throws Exception {
        try (Receiver receiver = new Receiver()) {
            try (OwnServer server = TestApp.ownServer("webhook_fairness", Map.of(
                    "todo.webhooks.allow-private", true,
                    "todo.webhooks.concurrency", 4,
                    "todo.webhooks.per-user-concurrency", 3,
                    "todo.webhooks.per-host-concurrency", 2,
                    "todo.webhooks.request-timeout", "30s"))) {
                Api api = server.api();
                Api slow = api.newUser();
                Api other = api.newUser();
                String stalled = "/stalled/" + UUID.randomUUID();
                CountDownLatch release = receiver.hold(stalled);
                String url = receiver.url(stalled);
                register(slow, url);
                for (int i = 0; i < 8; i++) {
                    slow.createTask("{\"title\":\"s" + i + "\"}");
                }
                await(Duration.ofSeconds(10), () -> receiver.at(stalled).size(), n -> n == 2);

                // another user, another host name for the same receiver: delivered while the first is stalled
                String quick = "/quick/" + UUID.randomUUID();
                register(other, receiver.url(quick).replace("127.0.0.1", "localhost"));
                other.createTask("{\"title\":\"o\"}");
                await(Duration.ofSeconds(10), () -> receiver.at(quick).size(), n -> n == 1);
                // the same user to another host: within the user's share
                String second = "/second/" + UUID.randomUUID();
                register(slow, receiver.url(second).replace("127.0.0.1", "localhost"));
                slow.createTask("{\"title\":\"s-last\"}");
                await(Duration.ofSeconds(10), () -> receiver.at(second).size(), n -> n >= 1);
                assertThat(receiver.at(stalled)).as("never more than the host's share at once").hasSize(2);
                release.countDown();
                await(Duration.ofSeconds(20), () -> receiver.at(stalled).size(), n -> n == 9);
            }
        }
    }

    private static void register(Api user, String url) {
        Api.Res r = user.post("/api/webhooks", "{\"url\":\"" + url + "\",\"events\":[\"task.created\"]}");
        assertThat(r.status()).as("%s", r).isEqualTo(201);
    }
}
