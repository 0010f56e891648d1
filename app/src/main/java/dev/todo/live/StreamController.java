package dev.todo.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.todo.auth.CurrentUser;
import dev.todo.auth.PersonalTokens;
import dev.todo.events.Roles;
import dev.todo.web.ApiException;
import dev.todo.web.FieldError;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import org.reactivestreams.Publisher;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code GET /api/stream}: Server-Sent Events of the user's task changes and notifications, resumable with
 * Last-Event-ID; {@code POST /api/stream/tickets}: a single-use ticket for clients that cannot send
 * an Authorization header.
 * <p>
 * Micronaut sends the status and headers of a streamed response only with its first item, and until
 * then does not notice a client that goes away. So every stream starts with a frame at once (the
 * retry hint and a comment), which also lets a client see that its stream is open.
 */
@Controller("/api/stream")
@Requires(property = "todo.roles", pattern = Roles.API)
@ExecuteOn(TaskExecutors.BLOCKING)
public class StreamController {

    static final String LAST_EVENT_ID = "Last-Event-ID";
    static final Set<String> PARAMS = Set.of("ticket", "lastEventId");
    private static final Pattern SEQ = Pattern.compile("[0-9]{1,18}");

    private final LiveStreams streams;
    private final MissedEvents missed;
    private final StreamTickets tickets;
    private final LiveSettings settings;
    private final ObjectMapper mapper;
    private final PersonalTokens tokens;

    public StreamController(LiveStreams streams, MissedEvents missed, StreamTickets tickets, LiveSettings settings, ObjectMapper mapper,
                            PersonalTokens tokens) {
        this.tokens = tokens;
        this.streams = streams;
        this.missed = missed;
        this.tickets = tickets;
        this.settings = settings;
        this.mapper = mapper;
    }

    @Get(produces = MediaType.TEXT_EVENT_STREAM)
    @Secured(SecurityRule.IS_ANONYMOUS) // a bearer token or a ticket, checked here
    public HttpResponse<Publisher<Event<String>>> stream(@Nullable Authentication auth, HttpRequest<?> request) {
        Map<String, List<String>> params = request.getParameters().asMap();
        String ticket = first(params, "ticket");
        if (auth == null && ticket == null) {
            throw ApiException.unauthorized("Credentials are missing or invalid: send 'Authorization: Bearer <token>',"
                    + " or open the stream with a ticket from POST /api/stream/tickets as ?ticket=.");
        }
        List<FieldError> errors = new ArrayList<>();
        params.keySet().stream().filter(p -> !PARAMS.contains(p)).sorted().forEach(p -> errors.add(
                new FieldError(p, "unknown query parameter; allowed are lastEventId, ticket")));
        // EventSource resends the header on its own reconnects; the parameter serves a client that
        // opens a new EventSource (say with a new ticket) and cannot set headers
        Long fromHeader = seq(request.getHeaders().get(LAST_EVENT_ID), LAST_EVENT_ID, errors);
        Long fromParam = seq(first(params, "lastEventId"), "lastEventId", errors);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        Long lastEventId = fromHeader != null ? fromHeader : fromParam;
        if (request.getMethod() == HttpMethod.HEAD) {
            // the headers a stream would have, without opening one (a HEAD response has no body to subscribe)
            if (ticket != null && !tickets.isValid(ticket)) {
                throw badTicket();
            }
            return HttpResponse.<Publisher<Event<String>>>ok().contentType(MediaType.TEXT_EVENT_STREAM_TYPE)
                    .header(HttpHeaders.CACHE_CONTROL, "no-cache");
        }

        UUID user;
        StreamCredential credential;
        if (ticket != null) {
            StreamTickets.Redeemed redeemed = tickets.redeem(ticket).orElseThrow(StreamController::badTicket);
            user = redeemed.userId();
            credential = redeemed.credential();
            if (!credentialStillValid(credential)) {
                throw badTicket(); // issued to a token revoked, or a session logged out, since
            }
        } else {
            user = CurrentUser.id(auth);
            credential = StreamCredential.of(auth);
        }

        LiveStream stream = streams.register(user, credential);
        try {
            Event<String> first = Event.of("").comment("stream open").retry(settings.retry());
            if (lastEventId == null) {
                // a resume point from the start, so a reconnect before the first event misses nothing
                Long newest = missed.newest(user);
                if (newest != null) {
                    first.id(newest.toString());
                }
                stream.open(first, (LiveStream.Replay) null, null);
            } else {
                // decides on the replay here; its pages are read as the client takes them
                MissedEvents.Catchup catchup = missed.after(user, lastEventId);
                stream.open(first, catchup.replay(), catchup.isReset() ? reset(catchup, lastEventId) : null);
            }
        } catch (RuntimeException e) {
            stream.cancel();
            throw e;
        }
        return HttpResponse.ok((Publisher<Event<String>>) stream)
                .contentType(MediaType.TEXT_EVENT_STREAM_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .header("X-Accel-Buffering", "no"); // nginx: pass each frame on at once
    }

    @Post("/tickets")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    public HttpResponse<Map<String, Object>> ticket(Authentication auth) {
        // the stream it opens ends with the credential that asked for it
        StreamTickets.Issued issued = tickets.issue(CurrentUser.id(auth), StreamCredential.of(auth));
        String url = "/api/stream?ticket=" + issued.ticket();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ticket", issued.ticket());
        out.put("expiresAt", issued.expiresAt());
        out.put("url", url);
        return HttpResponse.created(out, URI.create(url));
    }

    private boolean credentialStillValid(StreamCredential c) {
        if (c.expiresAt() != null && !c.expiresAt().isAfter(java.time.Instant.now())) {
            return false;
        }
        if (c.tokenId() != null && !tokens.invalid(Set.of(c.tokenId())).isEmpty()) {
            return false;
        }
        return c.sessionId() == null || tickets.endedSessions(Set.of(c.sessionId())).isEmpty();
    }

    private static ApiException badTicket() {
        return new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
                "The stream ticket is unknown, expired or already used; get a new one from POST /api/stream/tickets.",
                List.of(new FieldError("ticket", "unknown, expired or already used")));
    }

    private Event<String> reset(MissedEvents.Catchup catchup, long lastEventId) {
        ObjectNode json = mapper.createObjectNode();
        json.put("type", "reset");
        json.put("reason", catchup.reset());
        json.put("detail", MissedEvents.describe(catchup.reset(), lastEventId, settings));
        Event<String> reset = Event.of(json.toString()).name("reset");
        if (catchup.newest() != null) {
            reset.id(catchup.newest().toString()); // after reloading, resume from here
        }
        return reset;
    }

    private static Long seq(String value, String field, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            return null; // an empty id is how SSE says "no last event"
        }
        if (!SEQ.matcher(value.strip()).matches()) {
            errors.add(new FieldError(field, "must be the id of an event of this stream (a non-negative integer); got '"
                    + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'"));
            return null;
        }
        return Long.parseLong(value.strip());
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
