package dev.todo.assistant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.todo.support.Api;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A stand-in for an OpenAI-compatible chat-completions endpoint: a real HTTP server on a random
 * port that answers each request with the next scripted step (tool calls or text) and records
 * every request, so a test sees what the app sent to the model, tool results included.
 */
public final class StandInChatCompletions implements AutoCloseable {

    private final HttpServer server;
    private final Deque<Function<JsonNode, String>> script = new ConcurrentLinkedDeque<>();
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newCachedThreadPool();

    public StandInChatCompletions() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            JsonNode request = Api.JSON.readTree(exchange.getRequestBody().readAllBytes());
            requests.add(request);
            Function<JsonNode, String> step = script.poll();
            byte[] body;
            int status = 200;
            if (step == null) {
                status = 500;
                body = "{\"error\":{\"message\":\"the stand-in has no scripted answer left\"}}".getBytes(StandardCharsets.UTF_8);
            } else {
                body = step.apply(request).getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        // several requests may be in flight at once, as from a real endpoint
        server.setExecutor(executor);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Queues the next answer, computed from the request the app sends (e.g. from a tool result in it). */
    public StandInChatCompletions then(Function<JsonNode, String> step) {
        script.add(step);
        return this;
    }

    public StandInChatCompletions thenText(String text) {
        return then(r -> text(text));
    }

    @SafeVarargs
    public final StandInChatCompletions thenCalls(Map.Entry<String, Map<String, Object>>... calls) {
        return then(r -> toolCalls(List.of(calls)));
    }

    public List<JsonNode> requests() {
        return requests;
    }

    public void reset() {
        script.clear();
        requests.clear();
    }

    /** The contents of the tool messages of a request, in order. */
    static List<JsonNode> toolResults(JsonNode request) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode m : request.get("messages")) {
            if ("tool".equals(m.path("role").asText())) {
                try {
                    out.add(Api.JSON.readTree(m.get("content").asText()));
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return out;
    }

    public static JsonNode lastToolResult(JsonNode request) {
        List<JsonNode> all = toolResults(request);
        return all.get(all.size() - 1);
    }

    public static String text(String text) {
        ObjectNode message = Api.JSON.createObjectNode().put("role", "assistant").put("content", text);
        return completion(message, "stop");
    }

    static String toolCalls(List<Map.Entry<String, Map<String, Object>>> calls) {
        ObjectNode message = Api.JSON.createObjectNode().put("role", "assistant");
        message.putNull("content");
        ArrayNode list = message.putArray("tool_calls");
        int i = 0;
        for (Map.Entry<String, Map<String, Object>> call : calls) {
            ObjectNode c = list.addObject();
            c.put("id", "call_" + System.nanoTime() + "_" + i++);
            c.put("type", "function");
            try {
                c.putObject("function").put("name", call.getKey()).put("arguments", Api.JSON.writeValueAsString(call.getValue()));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return completion(message, "tool_calls");
    }

    private static String completion(ObjectNode message, String finish) {
        ObjectNode out = Api.JSON.createObjectNode();
        out.put("id", "chatcmpl-standin").put("object", "chat.completion").put("created", 1_700_000_000L).put("model", "stand-in");
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("message", message);
        choice.put("finish_reason", finish);
        out.putObject("usage").put("prompt_tokens", 1).put("completion_tokens", 1).put("total_tokens", 2);
        return out.toString();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
