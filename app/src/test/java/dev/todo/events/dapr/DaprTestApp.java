package dev.todo.events.dapr;

import dev.todo.events.EventConsumer;
import dev.todo.support.Api;
import dev.todo.support.TestApp;
import io.cloudevents.CloudEvent;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A second app, with {@code todo.events.transport=dapr}, on its own database, talking to a
 * {@link FakeDaprSidecar}; started once per JVM and shared by the Dapr tests.
 */
final class DaprTestApp {

    static final String PUBSUB = "test-pubsub";
    static final String APP_TOKEN = "sidecar-to-app-token";
    private static FakeDaprSidecar sidecar;
    private static EmbeddedServer server;

    private DaprTestApp() {
    }

    static synchronized EmbeddedServer server() {
        if (server == null) {
            try {
                sidecar = new FakeDaprSidecar();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Map<String, Object> props = new HashMap<>(TestApp.properties("dapr"));
            props.putAll(sidecar.properties());
            props.put("todo.events.transport", "dapr");
            props.put("todo.dapr.pubsub", PUBSUB);
            props.put("todo.dapr.app-api-token", APP_TOKEN);
            props.put("todo.events.max-attempts", 2);
            props.put("todo.events.first-backoff", "10ms");
            props.put(LiveSyncStandIn.ENABLED, true);
            server = ApplicationContext.run(EmbeddedServer.class, props, "test");
            sidecar.deliverTo(server.getURI(), APP_TOKEN);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.getApplicationContext().close();
                try {
                    sidecar.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        return server;
    }

    static FakeDaprSidecar sidecar() {
        server();
        return sidecar;
    }

    static ApplicationContext context() {
        return server().getApplicationContext();
    }

    static Api api() {
        return new Api(server().getURI());
    }

    /** A broadcast consumer of task-updates, as live sync will be: each instance must see every event. */
    @Singleton
    @Requires(property = LiveSyncStandIn.ENABLED, value = "true")
    static class LiveSyncStandIn implements EventConsumer {
        static final String ENABLED = "test.dapr.live-sync-stand-in";
        final List<CloudEvent> received = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "live-sync-stand-in";
        }

        @Override
        public Set<String> topics() {
            return Set.of("task-updates");
        }

        @Override
        public boolean broadcast() {
            return true;
        }

        @Override
        public void handle(CloudEvent event) {
            received.add(event);
        }
    }
}
