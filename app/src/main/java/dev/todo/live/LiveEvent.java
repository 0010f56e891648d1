package dev.todo.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.todo.events.Events;
import io.cloudevents.CloudEvent;
import io.micronaut.http.sse.Event;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One task change as a stream sends it: {@code id} the outbox seq, {@code event} the type without
 * its {@code dev.todo.} prefix, {@code data} {type, taskId, time, data}. Built the same way from a
 * delivered CloudEvent and from an outbox row, so a replayed event reads exactly like the live one.
 * The frame is built once and shared by every stream of the user.
 */
public record LiveEvent(long seq, UUID userId, String type, Event<String> frame) {


    static LiveEvent of(ObjectMapper mapper, long seq, UUID userId, String type, String taskId, Instant time, byte[] data) {
        ObjectNode json = mapper.createObjectNode();
        json.put("type", type);
        json.put("taskId", taskId);
        json.put("time", time.toString());
        try {
            json.set("data", data == null || data.length == 0 ? mapper.createObjectNode() : mapper.readTree(data));
            String text = mapper.writeValueAsString(json);
            return new LiveEvent(seq, userId, type, Event.of(text).id(Long.toString(seq)).name(type));
        } catch (IOException e) {
            throw new UncheckedIOException("event " + seq + " has data that is not JSON", e);
        }
    }

    /**
     * The stream form of a delivered event; empty when it lacks what a stream needs (the user, the
     * outbox position), which only a foreign publisher could cause.
     */
    static Optional<LiveEvent> of(ObjectMapper mapper, CloudEvent event) {
        Object user = event.getExtension("userid");
        Object sequence = event.getExtension("sequence");
        if (user == null || sequence == null || event.getTime() == null) {
            return Optional.empty();
        }
        try {
            long seq = Long.parseLong(sequence.toString());
            UUID userId = UUID.fromString(user.toString());
            String type = Events.name(event);
            byte[] data = event.getData() == null ? null : event.getData().toBytes();
            return Optional.of(of(mapper, seq, userId, type, event.getSubject(), event.getTime().toInstant(), data));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The text of the {@code data} field, for tests and diagnostics. */
    public String data() {
        return frame.getData();
    }
}
