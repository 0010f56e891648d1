package dev.todo.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.todo.auth.CurrentUser;
import dev.todo.auth.User;
import dev.todo.auth.UserRepository;
import dev.todo.web.ApiException;
import dev.todo.web.FieldError;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Dead letters, for the platform's administrators (the usernames in {@code TODO_ADMIN_USERS}):
 * list them, look at one with its event, and ask for a replay, which a worker carries out.
 */
@Controller("/api/admin/dead-letters")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class DeadLetterController {

    private final DeadLetters deadLetters;
    private final UserRepository users;
    private final dev.todo.auth.Admins admins;
    private final ObjectMapper mapper;

    public DeadLetterController(DeadLetters deadLetters, UserRepository users, ObjectMapper mapper,
                                dev.todo.auth.Admins admins) {
        this.deadLetters = deadLetters;
        this.mapper = mapper;
        this.users = users;
        this.admins = admins;
    }

    @Get
    public Map<String, Object> list(Authentication auth, io.micronaut.http.HttpRequest<?> request) {
        requireAdmin(auth);
        var params = dev.todo.web.QueryParams.of(request, java.util.Set.of("consumer", "open", "limit"));
        String consumer = params.single("consumer");
        boolean onlyOpen = params.bool("open", true);
        int n = params.integer("limit", 1, 500, 100);
        params.throwIfInvalid();
        return Map.of("items", deadLetters.list(consumer, onlyOpen, null, null, n).stream().map(d -> view(d, false)).toList());
    }

    @Get("/{id}")
    public Map<String, Object> get(Authentication auth, @PathVariable String id) {
        requireAdmin(auth);
        return view(find(id), true);
    }

    /** 202: a worker replays it shortly; the dead letter then shows replayedAt, or a new error. */
    @Post("/{id}/replay")
    public HttpResponse<Map<String, Object>> replay(Authentication auth, @PathVariable String id) {
        requireAdmin(auth);
        DeadLetters.DeadLetter d = find(id);
        if (!deadLetters.requestReplay(d.id())) {
            throw new ApiException(HttpStatus.CONFLICT, "already-replayed", "Already replayed",
                    "This dead letter was replayed successfully at " + d.replayedAt() + ".", List.<FieldError>of());
        }
        return HttpResponse.accepted().body(view(deadLetters.find(d.id()).orElseThrow(), false));
    }

    private DeadLetters.DeadLetter find(String id) {
        UUID uuid = dev.todo.web.Ids.parse(id, "The dead letter");
        return deadLetters.find(uuid).orElseThrow(() -> ApiException.notFound("dead letter"));
    }

    private void requireAdmin(Authentication auth) {
        UUID id = CurrentUser.id(auth);
        String name = users.findById(id).map(User::username).orElse(null);
        if (!admins.isAdmin(id, name)) {
            throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                    "Dead letters are for administrators (TODO_ADMIN_USER_IDS, TODO_ADMIN_USERS).", List.<FieldError>of());
        }
    }

    private Map<String, Object> view(DeadLetters.DeadLetter d, boolean withEvent) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("consumer", d.consumer());
        m.put("topic", d.topic());
        m.put("eventId", d.eventId());
        m.put("eventType", d.eventType());
        m.put("error", d.error());
        m.put("attempts", d.attempts());
        m.put("failedAt", d.failedAt());
        m.put("replayRequestedAt", d.replayRequestedAt());
        m.put("replayedAt", d.replayedAt());
        if (withEvent) {
            try {
                m.put("event", mapper.readTree(d.event()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored dead letter is not JSON", e);
            }
        }
        return m;
    }
}
