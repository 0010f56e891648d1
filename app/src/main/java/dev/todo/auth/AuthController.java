package dev.todo.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.todo.web.ApiException;
import dev.todo.web.JsonBody;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.token.generator.TokenGenerator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

@Controller("/api/auth")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes(MediaType.APPLICATION_JSON)
public class AuthController {

    private final AccountService accounts;
    private final TokenGenerator tokens;
    private final ObjectMapper mapper;
    private final int ttlSeconds;
    private final AuthThrottle throttle;
    private final io.micronaut.http.server.util.HttpClientAddressResolver addresses;

    public AuthController(AccountService accounts, TokenGenerator tokens, ObjectMapper mapper,
                          @Value("${todo.auth.token-ttl-seconds:3600}") int ttlSeconds, AuthThrottle throttle,
                          io.micronaut.http.server.util.HttpClientAddressResolver addresses) {
        this.throttle = throttle;
        this.addresses = addresses;
        this.accounts = accounts;
        this.tokens = tokens;
        this.mapper = mapper;
        this.ttlSeconds = ttlSeconds;
    }

    @Post("/signup")
    public HttpResponse<Map<String, Object>> signup(io.micronaut.http.HttpRequest<?> request, @Body String raw) {
        throttle.signup(addresses.resolve(request));
        JsonBody body = JsonBody.parse(mapper, raw, Set.of("username", "password", "timeZone"));
        String username = body.string("username").orElse(null);
        String password = body.string("password").orElse(null);
        String zone = body.string("timeZone").orElse(null);
        if (!body.hasErrors()) {
            AccountService.checkCredentials(username, password).forEach(e -> body.error(e.field(), e.message()));
        }
        if (zone != null && !Zones.isValid(zone)) {
            body.error("timeZone", Zones.invalidMessage(zone));
        }
        body.validate();
        User user = accounts.signup(username.trim(), password, zone);
        return HttpResponse.created(MeController.view(user));
    }

    @Post("/login")
    public Map<String, Object> login(io.micronaut.http.HttpRequest<?> request, @Body String raw) {
        JsonBody body = JsonBody.parse(mapper, raw, Set.of("username", "password"));
        String username = body.string("username").orElse(null);
        String password = body.string("password").orElse(null);
        if (username == null) {
            body.error("username", "is required");
        }
        if (password == null) {
            body.error("password", "is required");
        }
        body.validate();
        // refused before bcrypt when over the limits: a refused attempt costs no hashing
        User user = throttle.authenticate(accounts, addresses.resolve(request), username, password).orElse(null);
        if (user == null) {
            throw ApiException.unauthorized("Unknown username or wrong password.");
        }
        String token = tokens.generateToken(
                        Authentication.build(user.id().toString(), List.of(), Map.of("username", user.username())), ttlSeconds)
                .orElseThrow(() -> new IllegalStateException("no token generator configured"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accessToken", token);
        out.put("tokenType", "Bearer");
        out.put("expiresIn", ttlSeconds);
        return out;
    }
}
