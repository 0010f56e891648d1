package dev.todo.webhooks;

import dev.todo.web.JsonBody;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A webhook as asked for in {@code POST /api/webhooks}, checked field by field: an absolute http(s)
 * URL without user info or fragment, known event names (or "*"), and a secret of at least
 * {@value #MIN_SECRET} characters when one is given (otherwise one is generated).
 */
public record WebhookRegistration(URI url, List<String> events, String secret, boolean secretGenerated) {

    public static final Set<String> FIELDS = Set.of("url", "events", "secret");
    /** Event types without the {@code dev.todo.} prefix. */
    public static final Set<String> EVENTS = Set.of("task.created", "task.updated", "task.completed", "task.reopened",
            "task.skipped", "task.deleted", "task.occurrence.generated", "reminder.due");
    public static final String ALL = "*";
    static final int MAX_URL = 2000;
    static final int MIN_SECRET = 16;
    static final int MAX_SECRET = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Reads and checks the body; returns empty when it recorded faults on it (then call {@code body.validate()}). */
    public static Optional<WebhookRegistration> read(JsonBody body) {
        URI url = null;
        Optional<String> rawUrl = body.string("url");
        if (rawUrl.isEmpty()) {
            if (!body.has("url") || body.isNull("url")) {
                body.error("url", "is required, e.g. https://example.com/hooks/todo");
            }
        } else {
            String problem = urlProblem(rawUrl.get());
            if (problem != null) {
                body.error("url", problem);
            } else {
                url = URI.create(rawUrl.get());
            }
        }

        List<String> events = null;
        Optional<List<String>> rawEvents = body.stringList("events");
        if (rawEvents.isEmpty()) {
            if (!body.has("events") || body.isNull("events")) {
                body.error("events", "is required: a list of event names or [\"*\"] for all");
            }
        } else if (rawEvents.get().isEmpty()) {
            body.error("events", "must name at least one event, or \"*\" for all");
        } else {
            Set<String> unique = new LinkedHashSet<>();
            boolean ok = true;
            for (int i = 0; i < rawEvents.get().size(); i++) {
                String e = rawEvents.get().get(i);
                if (!e.equals(ALL) && !EVENTS.contains(e)) {
                    body.error("events[" + i + "]", "unknown event '" + e + "'; known are " + String.join(", ",
                            new java.util.TreeSet<>(EVENTS)) + ", or \"*\" for all");
                    ok = false;
                }
                unique.add(e);
            }
            if (ok) {
                events = unique.contains(ALL) ? List.of(ALL) : new ArrayList<>(unique);
            }
        }

        String secret = null;
        boolean generated = false;
        Optional<String> rawSecret = body.string("secret");
        if (rawSecret.isPresent()) {
            String s = rawSecret.get();
            if (s.length() < MIN_SECRET || s.length() > MAX_SECRET) {
                body.error("secret", "must be between " + MIN_SECRET + " and " + MAX_SECRET + " characters (got " + s.length()
                        + "); leave it out to have one generated");
            } else if (!s.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
                body.error("secret", "must be printable ASCII without spaces");
            } else {
                secret = s;
            }
        } else if (!body.has("secret") || body.isNull("secret")) {
            secret = generateSecret();
            generated = true;
        }
        if (body.hasErrors()) {
            return Optional.empty();
        }
        return Optional.of(new WebhookRegistration(url, List.copyOf(events), secret, generated));
    }

    /** What is wrong with this URL for a webhook, or null. */
    static String urlProblem(String raw) {
        if (raw.length() > MAX_URL) {
            return "must be at most " + MAX_URL + " characters (got " + raw.length() + ")";
        }
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            return "is not a valid URL: " + e.getReason();
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !("http".equals(scheme) || "https".equals(scheme))) {
            return "must be an absolute http or https URL; got '" + raw + "'";
        }
        if (uri.getRawUserInfo() != null) {
            return "must not contain user information (user:password@); authenticate the request with the signature";
        }
        if (uri.getRawFragment() != null) {
            return "must not contain a fragment (#...)";
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return "must have a valid host name";
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            return "must have a port between 1 and 65535";
        }
        return null;
    }

    /** 32 random bytes, URL-safe base64, with a prefix that says what it is when it turns up in a log or a config file. */
    static String generateSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
