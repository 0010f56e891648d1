package dev.todo.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/** A thin client over java.net.http: real requests, real sockets, JSON parsed with Jackson. */
public final class Api {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;
    private final String token;

    public Api(URI base) {
        this(base, null);
    }

    private Api(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    public Api as(String bearer) {
        return new Api(base, bearer);
    }

    public URI base() {
        return base;
    }

    public String token() {
        return token;
    }

    /** Signs up a fresh user and returns a client authenticated as them. */
    public Api newUser() {
        String name = "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        return newUser(name, "correct-horse-battery");
    }

    public Api newUser(String username, String password) {
        String creds = "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
        Res signup = post("/api/auth/signup", creds);
        if (signup.status() != 201) {
            throw new AssertionError("signup failed: " + signup);
        }
        return login(username, password);
    }

    public Api login(String username, String password) {
        Res login = post("/api/auth/login", "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
        if (login.status() != 200) {
            throw new AssertionError("login failed: " + login);
        }
        return as(login.json().get("accessToken").asText());
    }

    public record Res(int status, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String contentType() {
            return header("content-type");
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public Res get(String path) {
        return send(builder(path).GET());
    }

    public Res post(String path, String body) {
        return send(builder(path).header("Content-Type", "application/json").POST(body(body)));
    }

    public Res post(String path) {
        return send(builder(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    public Res patch(String path, String body) {
        return send(builder(path).header("Content-Type", "application/merge-patch+json").method("PATCH", body(body)));
    }

    public Res patch(String path, String body, String ifMatch) {
        return send(builder(path).header("Content-Type", "application/merge-patch+json").header("If-Match", ifMatch)
                .method("PATCH", body(body)));
    }

    public Res delete(String path) {
        return send(builder(path).DELETE());
    }

    public Res send(String method, String path, String contentType, String body) {
        HttpRequest.Builder b = builder(path);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body(body)));
    }

    public HttpRequest.Builder builder(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    /**
     * Sends and reads the whole answer within the request's timeout: the client's own timeout ends at
     * the headers, so an answer that never ends (a live stream where a refusal was expected) fails the
     * test instead of hanging it.
     */
    public Res send(HttpRequest.Builder b) {
        HttpRequest request = b.build();
        java.util.concurrent.CompletableFuture<HttpResponse<String>> answer =
                CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        try {
            HttpResponse<String> r = answer.get(request.timeout().orElse(Duration.ofSeconds(30)).toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
            return new Res(r.statusCode(), r.body(), r);
        } catch (java.util.concurrent.TimeoutException e) {
            answer.cancel(true);
            throw new AssertionError("no complete answer to " + request.method() + " " + request.uri() + " within "
                    + request.timeout().orElse(Duration.ofSeconds(30)), e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Creates a task from a JSON body and returns its JSON, failing loudly otherwise. */
    public JsonNode createTask(String json) {
        Res r = post("/api/tasks", json);
        if (r.status() != 201) {
            throw new AssertionError("create failed: " + r);
        }
        return r.json();
    }

    public static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static HttpRequest.BodyPublisher body(String s) {
        return HttpRequest.BodyPublishers.ofString(s, StandardCharsets.UTF_8);
    }
}
