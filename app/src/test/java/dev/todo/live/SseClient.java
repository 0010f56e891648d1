package dev.todo.live;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A real SSE client over java.net.http: reads the response line by line without a thread of its
 * own (a line subscriber), parses frames as a browser's EventSource would, and records when each
 * frame arrived. Closing it cancels the body, which closes the connection.
 */
public final class SseClient implements AutoCloseable {

    /** One dispatched block of fields; {@code data} is null for a block without data lines. */
    public record Frame(String id, String event, String data, List<String> comments, Long retry, long receivedNanos) {
        public boolean isEvent() {
            return data != null;
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final CompletableFuture<HttpResponse.ResponseInfo> headers = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final Consumer<Frame> listener;
    private final StringBuilder text = new StringBuilder();
    private volatile Flow.Subscription subscription;
    private volatile Throwable failure;

    // the frame being read
    private String id;
    private String event;
    private StringBuilder data;
    private List<String> comments = new ArrayList<>();
    private Long retry;
    private boolean any;

    private SseClient(Consumer<Frame> listener) {
        this.listener = listener;
    }

    /** Opens a stream and waits for the response headers. */
    public static SseClient open(HttpRequest request) {
        return open(request, null);
    }

    /** Opens a stream whose frames go to {@code listener} (on the client's threads) instead of a queue. */
    public static SseClient open(HttpRequest request, Consumer<Frame> listener) {
        SseClient client = start(request, listener);
        try {
            client.headers.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            client.close();
            throw new AssertionError("no response headers within 10 s for " + request.uri(), e);
        }
        return client;
    }

    /** Sends the request without waiting for headers. */
    public static SseClient start(HttpRequest request, Consumer<Frame> listener) {
        return start(HTTP, request, listener);
    }

    /** Sends the request through {@code http} without waiting for headers. */
    public static SseClient start(HttpClient http, HttpRequest request, Consumer<Frame> listener) {
        return new SseClient(listener).send(http, request);
    }

    /** Sends the request with this client reading the body line by line; returns at once. */
    private SseClient send(HttpClient http, HttpRequest request) {
        http.sendAsync(request, info -> {
            headers.complete(info);
            return HttpResponse.BodySubscribers.fromLineSubscriber(lines());
        }).whenComplete((r, e) -> {
            if (e != null) {
                headers.completeExceptionally(e);
            }
            ended.complete(null);
        });
        return this;
    }

    public static HttpRequest.Builder request(URI uri, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return b;
    }

    public CompletableFuture<HttpResponse.ResponseInfo> headers() {
        return headers;
    }

    public int status() {
        return headers.join().statusCode();
    }

    public String header(String name) {
        return headers.join().headers().firstValue(name).orElse(null);
    }

    /** The next frame (events, comments, retry hints alike), failing after {@code timeout}. */
    public Frame next(Duration timeout) {
        return next(timeout, "frame", f -> true);
    }

    /** The next frame that carries data (an event), skipping comments and hints. */
    public Frame nextEvent(Duration timeout) {
        return next(timeout, "event", Frame::isEvent);
    }

    /** The next frame that is {@code wanted}, dropping others, failing after {@code timeout}. */
    private Frame next(Duration timeout, String what, java.util.function.Predicate<Frame> wanted) {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            Frame f = poll(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
            if (f == null) {
                throw new AssertionError("no " + what + " within " + timeout + (ended.isDone() ? " (the stream has ended)" : ""));
            }
            if (wanted.test(f)) {
                return f;
            }
        }
    }

    public Frame poll(Duration timeout) {
        try {
            return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits for the end of the response and returns its whole text (for error responses). */
    public String body(Duration timeout) {
        try {
            ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the response did not end within " + timeout, e);
        }
        synchronized (text) {
            return text.toString();
        }
    }

    public boolean hasEnded() {
        return ended.isDone();
    }

    public CompletableFuture<Void> ended() {
        return ended;
    }

    /** Why the body broke off (connection closed mid-response), or null if it ended properly or goes on. */
    public Throwable failure() {
        return failure;
    }

    @Override
    public void close() {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }

    private Flow.Subscriber<String> lines() {
        return new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(String line) {
                synchronized (text) {
                    if (text.length() < 100_000) {
                        text.append(line).append('\n');
                    }
                }
                line(line);
            }

            @Override
            public void onError(Throwable t) {
                failure = t;
                ended.complete(null);
            }

            @Override
            public void onComplete() {
                ended.complete(null);
            }
        };
    }

    private void line(String line) {
        if (line.isEmpty()) {
            if (any) {
                Frame f = new Frame(id, event, data == null ? null : data.toString(), List.copyOf(comments), retry, System.nanoTime());
                if (listener != null) {
                    listener.accept(f);
                } else {
                    frames.add(f);
                }
            }
            id = null;
            event = null;
            data = null;
            comments = new ArrayList<>();
            retry = null;
            any = false;
            return;
        }
        any = true;
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "" -> comments.add(value);
            case "id" -> id = value;
            case "event" -> event = value;
            case "retry" -> retry = Long.parseLong(value);
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            default -> {
                // unknown fields are ignored, as EventSource does
            }
        }
    }
}
