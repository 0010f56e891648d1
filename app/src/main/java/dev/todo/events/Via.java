package dev.todo.events;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Who acted for the user when not the user's own client: an MCP client ({@code kind} "mcp",
 * {@code client} its clientInfo.name) or the chat assistant. Bound to the calling thread for one
 * service call, so the services stay unaware of it while every event they write carries it as
 * {@code data.via} (and so shows in the activity log, the live stream and webhooks).
 */
public record Via(String kind, String client) {

    private static final ThreadLocal<Via> CURRENT = new ThreadLocal<>();

    /** Runs {@code work} with this actor attached to the events it writes. */
    public <T> T during(Supplier<T> work) {
        Via outer = CURRENT.get();
        CURRENT.set(this);
        try {
            return work.get();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    static Via current() {
        return CURRENT.get();
    }

    Map<String, String> json() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("kind", kind);
        if (client != null) {
            out.put("client", client);
        }
        return out;
    }
}
