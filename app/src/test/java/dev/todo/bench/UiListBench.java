package dev.todo.bench;

import dev.todo.support.Api;
import dev.todo.support.TestApp;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web UI's list page for a user with 10,000 tasks, rendered by the server: one client sending
 * requests one after another over a kept-alive connection (the browser's case), latency percentiles
 * and throughput printed. {@code ./mvnw -pl app test -Pbench -Dtest=UiListBench}
 */
class UiListBench {

    static final int TASKS = 10_000;
    static final int WARMUP = 1_000;
    static final int MEASURED = 1_000;

    @Test
    void listPageOfAUserWithTenThousandTasks() throws Exception {
        try (ApplicationContext ctx = ApplicationContext.run(TestApp.properties("bench_ui"), "test")) {
            EmbeddedServer server = ctx.getBean(EmbeddedServer.class).start();
            URI base = server.getURI();
            String user = "bench" + UUID.randomUUID().toString().substring(0, 8);
            Api api = new Api(base).newUser(user, "correct-horse-battery");
            api.post("/api/tasks", "{\"title\":\"seed\",\"tags\":[\"home\",\"work\",\"errands\"]}");
            UUID userId = UUID.fromString(api.get("/api/me").json().path("id").asText());
            DataSource ds = TestApp.dataSource(ctx);
            try (Connection c = ds.getConnection()) {
                try (PreparedStatement ps = c.prepareStatement("insert into tasks (id, user_id, title, description, priority, due_at, time_zone,"
                        + " all_day, created_at, updated_at, tag_ids) select gen_random_uuid(), ?, 'Task ' || g || ' ' || md5(g::text), null,"
                        + " g % 5, case when g % 4 = 0 then null else now() + (g - 2000) * interval '1 hour' end, 'Europe/Berlin', false,"
                        + " now() - g * interval '1 minute', now(), array[(select id from tags where user_id = ? order by name offset g % 3 limit 1)]"
                        + " from generate_series(1, ?) g")) {
                    ps.setObject(1, userId);
                    ps.setObject(2, userId);
                    ps.setInt(3, TASKS - 1);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("insert into task_tags (task_id, tag_id) select t.id, unnest(t.tag_ids)"
                        + " from tasks t where t.user_id = ? on conflict do nothing")) {
                    ps.setObject(1, userId);
                    ps.executeUpdate();
                }
                c.createStatement().execute("analyze tasks; analyze task_tags");
            }
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> login = http.send(HttpRequest.newBuilder(base.resolve("/login")).header("Origin", base.toString().replaceAll("/$", ""))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=" + user + "&password=correct-horse-battery")).build(),
                    HttpResponse.BodyHandlers.ofString());
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];

            System.out.printf(Locale.ROOT, "%nUI list page, user with %d tasks (%d open), one client, %d requests after %d warm-up%n",
                    TASKS, count(api), MEASURED, WARMUP);
            System.out.println("page                              p50 ms   p90 ms   p99 ms   max ms   req/s   rows   KiB");
            for (String page : List.of("/", "/?sort=-priority,dueAt", "/?tag=work", "/?q=task+42", "/tasks/list?limit=200")) {
                run(http, base, cookie, page);
            }
        }
    }

    private static int count(Api api) {
        return api.get("/api/tasks?limit=200").json().path("items").size() >= 200 ? TASKS : -1;
    }

    private static void run(HttpClient http, URI base, String cookie, String page) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(page)).header("Cookie", cookie).GET().build();
        String body = "";
        for (int i = 0; i < WARMUP; i++) {
            body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        }
        List<Long> nanos = new ArrayList<>(MEASURED);
        long start = System.nanoTime();
        for (int i = 0; i < MEASURED; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            nanos.add(System.nanoTime() - t0);
            if (r.statusCode() != 200) {
                throw new AssertionError(page + " answered " + r.statusCode());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Collections.sort(nanos);
        int rows = body.split("class=\"task[ \"]", -1).length - 1;
        System.out.printf(Locale.ROOT, "%-32s %7.2f  %7.2f  %7.2f  %7.2f  %6.0f  %5d  %4d%n", page, ms(nanos, 0.50), ms(nanos, 0.90),
                ms(nanos, 0.99), nanos.get(nanos.size() - 1) / 1e6, MEASURED / seconds, rows, body.length() / 1024);
        assertThat(rows).isGreaterThan(0);
    }

    private static double ms(List<Long> sorted, double q) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1)) / 1e6;
    }
}
