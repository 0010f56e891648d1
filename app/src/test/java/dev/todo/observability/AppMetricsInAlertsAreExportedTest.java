package dev.todo.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.todo.events.PoisonConsumer;
import dev.todo.support.Api;
import dev.todo.support.KafkaBroker;
import dev.todo.support.OwnServer;
import dev.todo.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static dev.todo.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every app metric the chart's alerts (helm/todo-operator/files/prometheus-rules.yaml) and Grafana
 * dashboard (files/grafana-dashboard.json) query is one the app exports: the app runs every role on
 * the Kafka transport (a real broker in the JVM), does what makes each meter appear (requests, a
 * webhook delivery, a dead-lettered event), and its real /prometheus is read. The operator's half is
 * OperatorMetricsInAlertsAreExportedTest in the operator module.
 */
class AppMetricsInAlertsAreExportedTest {

    static final Path FILES = Path.of("..", "helm", "todo-operator", "files");
    /** Series the operator exports (checked in the operator module). */
    static final Pattern OPERATOR_OWNED = Pattern.compile("(todo_platform_|todo_operator_|operator_sdk_).*");
    static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*+(?!\\s*\\()");
    static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan");
    static final List<String> TOPICS = List.of("task-events", "reminders", "task-updates");

    static KafkaBroker broker;
    static OwnServer server;
    static HttpServer receiver;

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.start();
        broker.createTopics(TOPICS, 1);
        broker.createTopics(TOPICS.stream().map(t -> t + "-dlq").toList(), 1);
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        server = TestApp.ownServer("metrics", Map.of(
                "todo.events.transport", "kafka",
                "todo.kafka.bootstrap-servers", broker.bootstrapServers(),
                "todo.kafka.group", "todo-test-metrics",
                "todo.events.max-attempts", "2",
                "todo.events.first-backoff", "10ms",
                "todo.webhooks.allow-private", true,
                "test.poison-consumer", "true"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
        if (receiver != null) receiver.stop(0);
        if (broker != null) broker.close();
    }

    static Set<String> queried() throws IOException {
        Set<String> names = new TreeSet<>();
        JsonNode rules = new ObjectMapper().valueToTree(
                new org.yaml.snakeyaml.Yaml().load(java.nio.file.Files.readString(FILES.resolve("prometheus-rules.yaml"))));
        rules.findValues("expr").forEach(e -> names.addAll(inExpression(e.asText())));
        JsonNode dashboard = new ObjectMapper().readTree(FILES.resolve("grafana-dashboard.json").toFile());
        dashboard.findValues("expr").forEach(e -> names.addAll(inExpression(e.asText())));
        return names;
    }

    /** Metric names in a PromQL expression: identifiers that are not functions, keywords, labels or durations. */
    static Set<String> inExpression(String expr) {
        String s = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = NAME.matcher(s);
        while (m.find()) {
            if (!KEYWORDS.contains(m.group().toLowerCase())) names.add(m.group());
        }
        return names;
    }

    static Set<String> exported(String scrape) {
        return scrape.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> l.split("[{ ]", 2)[0])
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void appSeriesInRulesAndDashboardAreExported() throws IOException {
        Set<String> wanted = queried().stream().filter(n -> !OPERATOR_OWNED.matcher(n).matches())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(wanted).as("what the alerts need").contains("http_server_requests_seconds_count",
                "http_server_requests_seconds_bucket", "kafka_consumer_fetch_manager_records_lag_max",
                "todo_events_outbox_oldest_age_seconds", "todo_reminders_lateness_seconds_bucket",
                "todo_events_dead_lettered_total");

        Api anonymous = server.api();
        Api user = anonymous.newUser();
        assertThat(user.post("/api/webhooks", "{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort()
                + "/hook\",\"events\":[\"*\"]}").status()).isEqualTo(201);
        PoisonConsumer.failing.set(true);
        user.createTask("{\"title\":\"poison pill for the metrics test\"}");

        Set<String> missing = await(Duration.ofSeconds(60), () -> {
            Set<String> m = new TreeSet<>(wanted);
            m.removeAll(exported(anonymous.get("/prometheus").body()));
            return m;
        }, Set::isEmpty);
        assertThat(missing).isEmpty();
    }
}
