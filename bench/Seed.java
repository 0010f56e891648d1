import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seeds the running service through its public API: one user with N varied tasks.
 * Usage: java Seed.java BASE_URL OUT_DIR TASKS
 * Writes OUT_DIR/token (a bearer token) and OUT_DIR/ids.txt (one task id per line).
 */
public class Seed {
    static final String[] WORDS = {"plan", "review", "meeting", "call", "invoice", "report", "draft", "email", "book",
            "fix", "order", "prepare", "clean", "pay", "renew", "update", "design", "test", "deploy", "write"};
    static final String[] TAGS = {"work", "home", "errands", "finance", "health", "family", "project-x", "reading"};
    static final String[] PRIORITIES = {"none", "low", "medium", "high", "urgent"};
    static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
    static final Pattern TOKEN = Pattern.compile("\"accessToken\":\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        Path out = Path.of(args[1]);
        int n = Integer.parseInt(args[2]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String user = "bench" + System.currentTimeMillis();
        String creds = "{\"username\":\"" + user + "\",\"password\":\"bench-password\"}";
        post(client, base.resolve("/api/auth/signup"), creds, null);
        Matcher m = TOKEN.matcher(post(client, base.resolve("/api/auth/login"), creds, null));
        if (!m.find()) {
            throw new IllegalStateException("login failed");
        }
        String token = m.group(1);
        Files.createDirectories(out);
        Files.writeString(out.resolve("token"), token);

        Random r = new Random(42);
        Semaphore inFlight = new Semaphore(16);
        List<CompletableFuture<String>> all = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < n; i++) {
            StringBuilder body = new StringBuilder("{\"title\":\"");
            body.append(WORDS[r.nextInt(WORDS.length)]).append(' ').append(WORDS[r.nextInt(WORDS.length)]).append(' ').append(i)
                    .append("\",\"priority\":\"").append(PRIORITIES[r.nextInt(PRIORITIES.length)]).append("\",\"tags\":[");
            int tags = r.nextInt(4);
            for (int t = 0; t < tags; t++) {
                body.append(t == 0 ? "" : ",").append('"').append(TAGS[r.nextInt(TAGS.length)]).append('"');
            }
            body.append(']');
            if (r.nextInt(4) != 0) {
                body.append(",\"dueAt\":\"2027-").append(String.format("%02d-%02dT%02d:00:00Z", 1 + r.nextInt(12), 1 + r.nextInt(28), r.nextInt(24))).append('"');
            }
            body.append('}');
            inFlight.acquire();
            HttpRequest req = HttpRequest.newBuilder(base.resolve("/api/tasks")).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
            all.add(client.sendAsync(req, HttpResponse.BodyHandlers.ofString()).thenApply(res -> {
                inFlight.release();
                if (res.statusCode() != 201) {
                    throw new IllegalStateException("create failed: " + res.statusCode() + " " + res.body());
                }
                Matcher id = ID.matcher(res.body());
                id.find();
                return id.group(1);
            }));
        }
        List<String> ids = new ArrayList<>();
        for (CompletableFuture<String> f : all) {
            ids.add(f.join());
        }
        Files.write(out.resolve("ids.txt"), ids);
        System.out.printf("seeded %d tasks for %s in %.1f s%n", n, user, (System.nanoTime() - started) / 1e9);
    }

    static String post(HttpClient client, URI uri, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> res = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() >= 300) {
            throw new IllegalStateException(uri + " -> " + res.statusCode() + " " + res.body());
        }
        return res.body();
    }
}
