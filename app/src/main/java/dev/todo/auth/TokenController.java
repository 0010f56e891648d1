package dev.todo.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.todo.web.ApiException;
import dev.todo.web.JsonBody;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

@Controller("/api/tokens")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class TokenController {

    private final PersonalTokens tokens;
    private final ObjectMapper mapper;

    public TokenController(PersonalTokens tokens, ObjectMapper mapper) {
        this.tokens = tokens;
        this.mapper = mapper;
    }

    private static Map<String, Object> view(ApiToken t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", t.id());
        out.put("name", t.name());
        out.put("prefix", t.prefix());
        out.put("createdAt", t.createdAt());
        out.put("expiresAt", t.expiresAt());
        out.put("lastUsedAt", t.lastUsedAt());
        return out;
    }

    @Post
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<Map<String, Object>> create(Authentication auth, @Body String raw) {
        Creation c = readCreation(JsonBody.parse(mapper, raw, Set.of("name", "expiresAt")));
        PersonalTokens.Issued issued = tokens.issue(CurrentUser.id(auth), c.name(), c.expiresAt());
        Map<String, Object> out = view(issued.token());
        out.put("token", issued.secret());
        return HttpResponse.created(out, URI.create("/api/tokens/" + issued.token().id()));
    }

    public record Creation(String name, Instant expiresAt) {
    }

    /** Reads and checks a new token's name and expiry (the API's body and the web UI's form alike). */
    public static Creation readCreation(JsonBody body) {
        String name = body.string("name").map(String::trim).orElse(null);
        Instant expiresAt = body.instant("expiresAt").orElse(null);
        if (name == null && !body.hasErrors()) {
            body.error("name", "is required");
        } else if (name != null && (name.isEmpty() || name.length() > 100)) {
            body.error("name", "must be 1-100 characters");
        }
        if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
            body.error("expiresAt", "must be in the future");
        }
        body.validate();
        return new Creation(name, expiresAt);
    }

    @Get
    public Map<String, Object> list(Authentication auth) {
        List<Map<String, Object>> items = tokens.list(CurrentUser.id(auth)).stream().map(TokenController::view).toList();
        return Map.of("items", items);
    }

    @Delete("/{id}")
    public HttpResponse<Void> revoke(Authentication auth, @PathVariable String id) {
        tokens.revoke(CurrentUser.id(auth), parseId(id, "The token"));
        return HttpResponse.noContent();
    }

    public static UUID parseId(String id, String what) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            // a malformed id names nothing that exists: same answer as a missing one
            throw ApiException.notFound(what);
        }
    }
}
