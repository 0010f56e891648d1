package dev.todo.events.dapr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;

import java.io.IOException;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Reads the CloudEvent in a request the sidecar made. Dapr normally posts the event as it was
 * published (structured JSON) with a few attributes of its own added; those are removed again.
 * When the event arrives wrapped in an envelope of Dapr's (published without the CloudEvents
 * content type, or by another client), the inner event is taken, whether the envelope carries it
 * as JSON, as a JSON string or base64.
 */
final class DaprEnvelope {

    /** Attributes the sidecar adds to a CloudEvent on its way. */
    static final Set<String> ADDED_BY_DAPR = Set.of("pubsubname", "topic", "traceid", "traceparent", "tracestate");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_DEPTH = 3;

    private DaprEnvelope() {
    }

    /** An event that can never be handled, with the reason. */
    static final class Unusable extends Exception {
        Unusable(String message) {
            super(message, null, false, false);
        }
    }

    static CloudEvent read(byte[] body) throws Unusable {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            throw new Unusable("the body is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new Unusable("the body is not a JSON object");
        }
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            Optional<ObjectNode> inner = inner(node);
            if (inner.isEmpty()) {
                break;
            }
            node = inner.get();
        }
        if (!node.hasNonNull("specversion")) {
            throw new Unusable("the body is not a CloudEvent (no specversion)");
        }
        if (!node.path("id").isTextual() || node.path("id").asText().isBlank()) {
            throw new Unusable("the CloudEvent has no id");
        }
        if (!node.path("type").isTextual() || node.path("type").asText().isBlank()) {
            throw new Unusable("the CloudEvent has no type");
        }
        try {
            UUID.fromString(node.get("id").asText());
        } catch (IllegalArgumentException e) {
            throw new Unusable("the CloudEvent id is not a UUID");
        }
        ObjectNode event = ((ObjectNode) node).deepCopy();
        event.remove(ADDED_BY_DAPR);
        try {
            return DaprTransport.FORMAT.deserialize(JSON.writeValueAsBytes(event));
        } catch (RuntimeException | JsonProcessingException e) {
            throw new Unusable("the CloudEvent is not valid: " + e.getMessage());
        }
    }

    /** The CloudEvent inside a Dapr envelope, if this is one. */
    private static Optional<ObjectNode> inner(JsonNode envelope) {
        JsonNode data = envelope.get("data");
        if (data == null && envelope.path("data_base64").isTextual()) {
            try {
                data = JSON.readTree(Base64.getDecoder().decode(envelope.get("data_base64").asText()));
            } catch (IOException | IllegalArgumentException e) {
                return Optional.empty();
            }
        } else if (data != null && data.isTextual()) {
            try {
                data = JSON.readTree(data.asText());
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        if (data != null && data.isObject() && data.hasNonNull("specversion") && data.has("type")) {
            return Optional.of((ObjectNode) data);
        }
        return Optional.empty();
    }
}
