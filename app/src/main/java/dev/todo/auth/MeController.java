package dev.todo.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.todo.web.JsonBody;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

@Controller("/api/me")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class MeController {

    private final AccountService accounts;
    private final ObjectMapper mapper;

    public MeController(AccountService accounts, ObjectMapper mapper) {
        this.accounts = accounts;
        this.mapper = mapper;
    }

    static Map<String, Object> view(User user) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", user.id());
        out.put("username", user.username());
        out.put("timeZone", user.timeZone());
        out.put("createdAt", user.createdAt());
        return out;
    }

    @Get
    public Map<String, Object> me(Authentication auth) {
        return view(accounts.get(CurrentUser.id(auth)));
    }

    @Patch
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    public Map<String, Object> update(Authentication auth, @Body String raw) {
        JsonBody body = JsonBody.parse(mapper, raw, Set.of("timeZone"));
        String zone = body.string("timeZone").orElse(null);
        if (body.isNull("timeZone")) {
            body.error("timeZone", "cannot be null");
        } else if (zone != null && !Zones.isValid(zone)) {
            body.error("timeZone", Zones.invalidMessage(zone));
        }
        body.validate();
        User user = zone == null ? accounts.get(CurrentUser.id(auth)) : accounts.updateTimeZone(CurrentUser.id(auth), zone);
        return view(user);
    }
}
