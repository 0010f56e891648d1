package dev.todo.db;

import dev.todo.support.Api;
import dev.todo.support.AppProcess;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.todo.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded PostgreSQL killed (SIGKILL of its postmaster) under a running application: readiness
 * turns DOWN, the application starts its server again on the same data, and everything it had
 * acknowledged (also under a load of changes cut by the kill) is still there.
 */
class EmbeddedPostgresKillTest {

    @Test
    void readinessGoesDownAndTheServerComesBackWithTheData() throws Exception {
        Path dir = TestApp.tempDir("todo-pgkill");
        Path data = dir.resolve("data");
        try (AppProcess app = AppProcess.start(data, Map.of(), dir.resolve("app.log"))) {
            app.awaitReady(Duration.ofSeconds(90));
            Api user = new Api(app.base()).newUser("pgkill-user", "pgkill-password");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ids.add(user.createTask("{\"title\":\"before " + i + "\"}").get("id").asText());
            }
            // changes under way when the server dies
            CrashRecoveryIT.Load load = new CrashRecoveryIT.Load(user, 2);
            load.start();
            await(Duration.ofSeconds(30), load.acknowledged::get, n -> n >= 20);
            Path cluster = data.resolve(EmbeddedDatabase.BUNDLED_DIR);
            long postmaster = Postmaster.pidFileEntry(cluster).orElseThrow();
            // The outage may last a second only: several clients poll readiness from before the kill,
            // so one of them asks while it lasts whatever a single slow answer costs the others.
            // (health details are shown to signed-in callers only)
            ReadinessWatch watch = new ReadinessWatch(app.base().resolve("/health/readiness"), user.token(), 3);
            ProcessHandle.of(postmaster).orElseThrow().destroyForcibly();
            String downAnswer = watch.awaitDown(Duration.ofSeconds(10));
            assertThat(downAnswer).as("readiness reported the dead server as DOWN").isNotNull()
                    .contains("ended unexpectedly");

            long down = System.nanoTime();
            await(Duration.ofSeconds(30), app::readiness, status -> status == 200);
            System.out.printf("embedded PostgreSQL killed: ready again %d ms after DOWN was seen%n",
                    (System.nanoTime() - down) / 1_000_000);
            long restarted = Postmaster.pidFileEntry(cluster).orElseThrow();
            assertThat(restarted).isNotEqualTo(postmaster);
            assertThat(Postmaster.runsOn(restarted, cluster)).isTrue();

            // the load stops at its first failed request, which the outage brings
            load.stop();
            // a request that met the outage was told to come back (503), never answered with a 500
            assertThat(load.refusals).allMatch(status -> status == 503, "503 Service Unavailable");
            List<String> acknowledged = new ArrayList<>(ids);
            acknowledged.addAll(load.created);
            for (String id : acknowledged) {
                // the first requests after the outage may meet pooled connections that died with it
                await(Duration.ofSeconds(10), () -> user.get("/api/tasks/" + id).status(), s -> s == 200);
            }
            for (String id : load.completed) {
                assertThat(user.get("/api/tasks/" + id).json().get("completed").asBoolean()).as("completion of " + id).isTrue();
            }
            load.titles.forEach((id, acked) ->
                    assertThat(user.get("/api/tasks/" + id).json().get("title").asText()).isIn(load.sentAfter(id, acked)));
            assertThat(user.createTask("{\"title\":\"after\"}").get("title").asText()).isEqualTo("after");
            assertThat(app.logText()).contains("ended unexpectedly").contains("is running again");
            assertThat(user.get("/health/readiness").json().at("/details/embeddedPostgres/details/lastOutage").asText())
                    .contains("ended unexpectedly");
        }
    }

    /** Clients polling readiness concurrently until one sees the embedded server DOWN. */
    static final class ReadinessWatch {
        private final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2)).build();
        private final java.net.URI uri;
        private final java.util.concurrent.CompletableFuture<String> down = new java.util.concurrent.CompletableFuture<>();

        private final String token;

        ReadinessWatch(java.net.URI uri, String token, int clients) {
            this.uri = uri;
            this.token = token;
            for (int i = 0; i < clients; i++) {
                Thread t = new Thread(this::poll, "readiness-watch-" + i);
                t.setDaemon(true);
                t.start();
            }
        }

        private void poll() {
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!down.isDone() && System.nanoTime() < end) {
                try {
                    var response = http.send(java.net.http.HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                                    .timeout(Duration.ofSeconds(10)).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 503 && response.body().contains("\"embeddedPostgres\"")
                            && new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body())
                                    .at("/details/embeddedPostgres/status").asText().equals("DOWN")) {
                        down.complete(response.body());
                    }
                } catch (java.io.IOException e) {
                    // the server answers again on the next try
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        String awaitDown(Duration deadline) throws InterruptedException {
            try {
                return down.get(deadline.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                return null;
            } finally {
                down.complete(null);
            }
        }
    }
}
