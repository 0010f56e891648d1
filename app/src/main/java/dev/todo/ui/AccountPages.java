package dev.todo.ui;

import dev.todo.auth.AuthThrottle;
import io.micronaut.http.server.util.HttpClientAddressResolver;

import dev.todo.auth.AccountService;
import dev.todo.auth.User;
import dev.todo.auth.Zones;
import dev.todo.live.StreamTickets;
import dev.todo.web.ApiException;
import dev.todo.web.FieldError;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Sign up, log in, log out, and the stream ticket the page's EventSource opens the live stream with. */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class AccountPages {

    private final Ui ui;
    private final AccountService accounts;
    private final StreamTickets tickets;
    private final AuthThrottle throttle;
    private final HttpClientAddressResolver addresses;

    public AccountPages(Ui ui, AccountService accounts, StreamTickets tickets, AuthThrottle throttle,
                        HttpClientAddressResolver addresses) {
        this.throttle = throttle;
        this.addresses = addresses;
        this.ui = ui;
        this.accounts = accounts;
        this.tickets = tickets;
    }

    @Get(uri = "/login", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> loginPage(HttpRequest<?> request) {
        if (ui.viewer(request).isPresent()) {
            return HttpResponse.seeOther(URI.create("/"));
        }
        return Html.page("auth", new Models.AuthPage(anonymous("Log in"), "login", null, next(request.getParameters().get("next")), Map.of(), null));
    }

    @Get(uri = "/signup", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> signupPage(HttpRequest<?> request) {
        return Html.page("auth", new Models.AuthPage(anonymous("Sign up"), "signup", null, "/", Map.of(), null));
    }

    @Post(uri = "/login", produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> login(HttpRequest<?> request, @Nullable @Body String raw) {
        ui.sameOrigin(request);
        Form form = Form.parse(raw);
        String username = form.get("username");
        String password = form.raw("password");
        String next = next(form.get("next"));
        Map<String, String> errors = new LinkedHashMap<>();
        if (username == null) {
            errors.put("username", "Enter your username.");
        }
        if (password == null || password.isEmpty()) {
            errors.put("password", "Enter your password.");
        }
        if (errors.isEmpty()) {
            try {
                // the same limits and lockout as the API's login
                var user = throttle.authenticate(accounts, addresses.resolve(request), username, password);
                if (user.isPresent()) {
                    return signedIn(request, user.get(), next);
                }
            } catch (ApiException e) {
                if (e.retryAfter() == null) {
                    throw e;
                }
                errors.put("form", e.getMessage());
                return tooMany(Html.page(HttpStatus.TOO_MANY_REQUESTS, "auth",
                        new Models.AuthPage(anonymous("Log in"), "login", username, next, errors, null)), e);
            }
            errors.put("form", "Unknown username or wrong password.");
        }
        return Html.page(HttpStatus.UNAUTHORIZED, "auth", new Models.AuthPage(anonymous("Log in"), "login", username, next, errors, null));
    }

    @Post(uri = "/signup", produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> signup(HttpRequest<?> request, @Nullable @Body String raw) {
        ui.sameOrigin(request);
        Form form = Form.parse(raw);
        String username = form.get("username");
        String password = form.raw("password");
        String zone = form.get("timeZone");
        Map<String, String> errors = new LinkedHashMap<>();
        for (FieldError e : AccountService.checkCredentials(username, password)) {
            errors.putIfAbsent(e.field(), capitalise(e.field()) + " " + e.message() + ".");
        }
        if (zone != null && !Zones.isValid(zone)) {
            zone = null; // an unknown browser zone is no reason to refuse: UTC until changed in settings
        }
        if (errors.isEmpty()) {
            try {
                throttle.signup(addresses.resolve(request));
            } catch (ApiException e) {
                errors.put("form", e.getMessage());
                return tooMany(Html.page(HttpStatus.TOO_MANY_REQUESTS, "auth",
                        new Models.AuthPage(anonymous("Sign up"), "signup", username, "/", errors, null)), e);
            }
            try {
                User user = accounts.signup(username, password, zone);
                return signedIn(request, user, "/");
            } catch (ApiException e) {
                e.errors().forEach(f -> errors.put(f.field(), f.message() + "."));
                if (e.errors().isEmpty()) {
                    errors.put("form", e.getMessage());
                }
            }
        }
        return Html.page(HttpStatus.BAD_REQUEST, "auth", new Models.AuthPage(anonymous("Sign up"), "signup", username, "/", errors, null));
    }

    private static HttpResponse<?> tooMany(io.micronaut.http.MutableHttpResponse<?> page, ApiException e) {
        long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
        return page.header("Retry-After", Long.toString(seconds));
    }

    @Post(uri = "/logout", produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> logout(HttpRequest<?> request, @Nullable @Body String raw) {
        Form form = Form.parse(raw);
        Viewer v = ui.requireWrite(request, form);
        ui.sessions().end(v.session());
        return HttpResponse.seeOther(URI.create("/login"))
                .cookie(Sessions.cookie(request, "", Duration.ZERO));
    }

    /** A single-use ticket for {@code /api/stream}: the page's EventSource cannot send a bearer token. */
    @Post(uri = "/live/ticket", produces = MediaType.APPLICATION_JSON)
    public Map<String, Object> ticket(HttpRequest<?> request) {
        Viewer v = ui.requireWrite(request, null);
        // the stream ends when this session expires or logs out
        StreamTickets.Issued issued = tickets.issue(v.userId(), dev.todo.live.StreamCredential.session(v.session().id(), v.session().expiresAt()));
        return Map.of("url", "/api/stream?ticket=" + issued.ticket());
    }

    private HttpResponse<?> signedIn(HttpRequest<?> request, User user, String next) {
        return HttpResponse.seeOther(URI.create(next)).cookie(Sessions.cookie(request, ui.sessions().issue(user.id()), Sessions.TTL));
    }

    private static Models.Chrome anonymous(String title) {
        return new Models.Chrome(title, "auth", null, null, 0);
    }

    /** Only a path on this site: an open redirect would let a link send a signed-in user anywhere. */
    static String next(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\") || next.length() > 2000) {
            return "/";
        }
        return next;
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
