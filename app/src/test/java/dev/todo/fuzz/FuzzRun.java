package dev.todo.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todo.support.Api;
import dev.todo.support.TestApp;
import io.micronaut.runtime.server.EmbeddedServer;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Sends {@code count} hostile requests as one user against a server where another user owns data,
 * through the real HTTP stack, and checks every answer: no 5xx, nothing of the other user's in any
 * answer, and the database unchanged by every refused request (a fingerprint of the rows requests
 * write, taken before and after each one).
 */
final class FuzzRun {

    record Result(int requests, Map<String, Integer> statuses, Map<String, Integer> kinds, List<String> serverErrors,
                  List<String> leaks, List<String> changedByRefused, boolean victimUnchanged, long[] latenciesNanos) {
    }

    private FuzzRun() {
    }

    static Result run(EmbeddedServer server, long seed, int count) throws Exception {
        Api api = new Api(server.getURI());
        Api victim = api.newUser();
        Api attacker = api.newUser();
        String marker = "VICTIM-" + UUID.randomUUID();
        List<String> foreign = new ArrayList<>();
        // the victim's tag name is sent by the attacker (as an id), so it is not the marker the answers are searched for
        String victimTag = "vtag-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode task = victim.createTask("{\"title\":\"" + marker + "\",\"description\":\"" + marker + "\",\"tags\":[\"" + victimTag
                + "\"],\"dueAt\":\"2030-01-01T09:00:00Z\",\"recurrence\":{\"rule\":\"FREQ=DAILY\"},\"reminders\":[{\"before\":\"PT1H\"}]}");
        foreign.add(task.get("id").asText());
        foreign.add(victimTag);
        foreign.add(victim.post("/api/tokens", "{\"name\":\"" + marker + "\"}").json().get("id").asText());
        JsonNode own = attacker.createTask("{\"title\":\"mine\",\"tags\":[\"mine\"]}");
        List<String> ownIds = List.of(own.get("id").asText(), "mine");

        var ctx = server.getApplicationContext();
        DataSource ds = TestApp.dataSource(ctx);
        UUID victimId = UUID.fromString(victim.get("/api/me").json().get("id").asText());
        UUID attackerId = UUID.fromString(attacker.get("/api/me").json().get("id").asText());
        String victimBefore = fingerprint(ds, victimId);

        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HostileRequests gen = new HostileRequests(seed, foreign, ownIds);
        Map<String, Integer> statuses = new TreeMap<>();
        Map<String, Integer> kinds = new TreeMap<>();
        List<String> serverErrors = new ArrayList<>();
        List<String> leaks = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        long[] latencies = new long[count];
        for (int i = 0; i < count; i++) {
            HostileRequests.Request r = gen.next();
            HttpRequest.Builder b;
            try {
                b = HttpRequest.newBuilder(URI.create(server.getURI() + r.path())).timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + attacker.token());
            } catch (IllegalArgumentException e) {
                kinds.merge("unsendable", 1, Integer::sum); // the client refuses to send it at all
                continue;
            }
            if (!r.contentType().isEmpty()) {
                b.header("Content-Type", r.contentType());
            }
            for (String[] h : r.headers()) {
                try {
                    b.header(h[0], h[1]);
                } catch (IllegalArgumentException ignored) {
                    // not a header the client will send
                }
            }
            b.method(r.method(), r.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(r.body()));
            String before = fingerprint(ds, attackerId);
            long start = System.nanoTime();
            HttpResponse<String> res = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            latencies[i] = System.nanoTime() - start;
            int status = res.statusCode();
            statuses.merge(Integer.toString(status), 1, Integer::sum);
            kinds.merge(r.kind(), 1, Integer::sum);
            String label = r.method() + " " + cut(r.path()) + " [" + r.kind() + "] -> " + status + " " + cut(res.body());
            if (status >= 500) {
                serverErrors.add(label);
            }
            if (res.body().contains(marker)) {
                leaks.add(label);
            }
            if (status >= 400 && !fingerprint(ds, attackerId).equals(before)) {
                changed.add(label);
            }
        }
        return new Result(count, statuses, kinds, serverErrors, leaks, changed, fingerprint(ds, victimId).equals(victimBefore), latencies);
    }

    /**
     * What requests can change for a user: the account, tasks (not successors, which a worker may
     * add at any time), tags, tokens, webhooks, and the events requests write (not those of workers).
     */
    static String fingerprint(DataSource ds, UUID user) throws Exception {
        String sql = "select md5(concat("
                + "(select string_agg(u::text, '|') from users u where id = ?),"
                + "(select string_agg(t::text, '|' order by t.id) from (select id, title, description, priority, due_at, time_zone,"
                + " all_day, completed, version, series_id from tasks where user_id = ? and coalesce(series_index, 1) = 1) t),"
                + "(select string_agg(g::text, '|' order by g::text) from tags g where user_id = ?),"
                + "(select string_agg(k::text, '|' order by k::text) from api_tokens k where user_id = ?),"
                + "(select string_agg(w::text, '|' order by w::text) from webhooks w where user_id = ?),"
                + "(select count(*) from outbox where user_id = ? and type not in ('task.occurrence.generated', 'task.series.ended',"
                + " 'reminder.due'))))";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 1; i <= 6; i++) {
                ps.setObject(i, user);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static String cut(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }
}
