package dev.todo.events.dapr;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Empty;
import com.sun.net.httpserver.HttpServer;
import dev.todo.support.Api;
import io.cloudevents.CloudEvent;
import io.dapr.v1.DaprGrpc;
import io.dapr.v1.DaprPubsubProtos;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the Dapr sidecar (no daprd binary can run here): the gRPC pub/sub API on a real
 * TCP port, recording what the app publishes, and the HTTP health check the client waits on.
 * It can refuse publishes (UNAVAILABLE), and it can play the subscriber side too: read the app's
 * {@code GET /dapr/subscribe} and post each accepted event to its route, in order, retrying on RETRY.
 */
final class FakeDaprSidecar implements AutoCloseable {

    /** One publish call as the sidecar received it. */
    record Published(String pubsub, String topic, String contentType, Map<String, String> metadata, byte[] data) {
        CloudEvent event() {
            return DaprTransport.FORMAT.deserialize(data);
        }
    }

    /** One post of an event to the app, and the status the app answered. */
    record Delivery(String route, String eventId, int httpStatus, String status) {
    }

    private final List<Published> published = new CopyOnWriteArrayList<>();
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger acceptBeforeRefusing = new AtomicInteger(-1);
    private final AtomicInteger healthChecks = new AtomicInteger();
    private final ExecutorService deliverer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fake-sidecar-delivery");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Server grpc;
    private final HttpServer health;
    private volatile boolean refusing;
    private volatile boolean healthy = true;
    private volatile URI app;
    private volatile String appToken;

    FakeDaprSidecar() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        grpc = NettyServerBuilder.forAddress(new InetSocketAddress(loopback, 0)).addService(new DaprGrpc.DaprImplBase() {
            @Override
            public void publishEvent(DaprPubsubProtos.PublishEventRequest request, StreamObserver<Empty> response) {
                if (refusing || acceptBeforeRefusing.getAndDecrement() == 0) {
                    refusing = true;
                    refused.incrementAndGet();
                    response.onError(Status.UNAVAILABLE.withDescription("the fake sidecar refuses publishes").asRuntimeException());
                    return;
                }
                Published p = new Published(request.getPubsubName(), request.getTopic(), request.getDataContentType(),
                        Map.copyOf(request.getMetadataMap()), request.getData().toByteArray());
                published.add(p);
                response.onNext(Empty.getDefaultInstance());
                response.onCompleted();
                if (app != null) {
                    deliverer.execute(() -> deliver(p));
                }
            }
        }).build().start();
        health = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        health.createContext("/v1.0/healthz/outbound", exchange -> {
            healthChecks.incrementAndGet();
            exchange.sendResponseHeaders(healthy ? 204 : 500, -1);
            exchange.close();
        });
        health.start();
    }

    /** Settings that point the app's Dapr client here. */
    Map<String, Object> properties() {
        return Map.of("dapr.sidecar.ip", InetAddress.getLoopbackAddress().getHostAddress(),
                "dapr.grpc.port", grpc.getPort(),
                "dapr.http.port", health.getAddress().getPort());
    }

    /** From now on, post accepted events to the app's subscription routes, as the sidecar would. */
    void deliverTo(URI app, String appToken) {
        this.appToken = appToken;
        this.app = app;
    }

    /** Whether the health check the client waits on answers 204 (ready) or 500 (still starting). */
    void healthy(boolean healthy) {
        this.healthy = healthy;
    }

    void refuse(boolean refuse) {
        acceptBeforeRefusing.set(-1);
        this.refusing = refuse;
    }

    /** Accepts {@code n} more publishes, then refuses until told otherwise. */
    void refuseAfter(int n) {
        acceptBeforeRefusing.set(n);
    }

    List<Published> published() {
        return List.copyOf(published);
    }

    List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    int refused() {
        return refused.get();
    }

    int healthChecks() {
        return healthChecks.get();
    }

    private HttpResponse<String> call(HttpRequest.Builder b) throws IOException, InterruptedException {
        if (appToken != null) {
            b.header(DaprAppToken.HEADER, appToken);
        }
        return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void deliver(Published p) {
        try {
            JsonNode subscriptions = Api.JSON.readTree(call(HttpRequest.newBuilder(app.resolve("/dapr/subscribe"))).body());
            for (JsonNode s : subscriptions) {
                if (!s.get("pubsubname").asText().equals(p.pubsub()) || !s.get("topic").asText().equals(p.topic())) {
                    continue;
                }
                String route = s.get("route").asText();
                for (int attempt = 1; attempt <= 20; attempt++) {
                    HttpResponse<String> r = call(HttpRequest.newBuilder(app.resolve(route))
                            .header("Content-Type", p.contentType())
                            .POST(HttpRequest.BodyPublishers.ofByteArray(p.data())));
                    String status = r.statusCode() == 200 ? Api.JSON.readTree(r.body()).path("status").asText() : "";
                    deliveries.add(new Delivery(route, p.event().getId(), r.statusCode(), status));
                    if (!"RETRY".equals(status)) {
                        break;
                    }
                    Thread.sleep(100); // Dapr's retry policy, shortened
                }
            }
        } catch (IOException e) {
            deliveries.add(new Delivery("?", p.event().getId(), -1, e.toString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        app = null;
        deliverer.shutdownNow();
        health.stop(0);
        grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
