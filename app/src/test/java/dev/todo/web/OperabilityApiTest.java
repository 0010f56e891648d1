package dev.todo.web;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.todo.support.Api;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OperabilityApiTest {

    private final Api anonymous = TestApp.api();

    @Test
    void livenessAndReadinessIncludingTheDatabase() {
        assertThat(anonymous.get("/health/liveness").status()).isEqualTo(200);
        Api.Res ready = anonymous.get("/health/readiness");
        assertThat(ready.status()).isEqualTo(200);
        Api.Res health = anonymous.get("/health");
        assertThat(health.json().get("status").asText()).isEqualTo("UP");
        assertThat(health.json().path("details").isNull()).as("anonymous callers get the status only: %s", health.body()).isTrue();
        assertThat(health.body()).doesNotContain("jdbc:postgresql");
        Api.Res detailed = anonymous.newUser().get("/health");
        assertThat(detailed.json().at("/details/jdbc/status").asText()).isEqualTo("UP");
    }

    @Test
    void prometheusExposesHttpLatencyHistogramsJvmAndPoolMetrics() {
        Api user = anonymous.newUser();
        user.get("/api/tasks");
        Api.Res metrics = anonymous.get("/prometheus");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("http_server_requests_seconds_bucket{")
                .contains("uri=\"/api/tasks\"")
                .contains("jvm_memory_used_bytes")
                .contains("hikaricp_connections_active")
                .contains("todo_reminders_fired_total")
                .contains("todo_reminders_lateness_seconds_bucket")
                .contains("todo_reminders_pending");
    }

    @Test
    void requestIdIsEchoedAndOnEveryLogLineOfTheRequest() {
        Logger logger = (Logger) LoggerFactory.getLogger("dev.todo");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Level previous = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        logger.addAppender(appender);
        try {
            Api user = anonymous.newUser();
            Api.Res r = user.send(user.builder("/api/tasks").header("X-Request-Id", "trace-abc-123")
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"title\":\"logged\"}")));
            assertThat(r.status()).isEqualTo(201);
            assertThat(r.header("X-Request-Id")).isEqualTo("trace-abc-123");
            List<ILoggingEvent> lines = appender.list.stream()
                    .filter(e -> e.getFormattedMessage().contains(r.json().get("id").asText())).toList();
            assertThat(lines).isNotEmpty();
            assertThat(lines).allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsEntry("requestId", "trace-abc-123"));

            Api.Res generated = user.get("/api/tasks");
            assertThat(generated.header("X-Request-Id")).matches("[0-9a-f-]{36}");
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(previous);
        }
    }
}
