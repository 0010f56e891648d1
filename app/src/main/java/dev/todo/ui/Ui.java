package dev.todo.ui;

import dev.todo.auth.AccountService;
import dev.todo.auth.User;
import dev.todo.web.ApiException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/** What every UI controller needs: the viewer of a request and the checks a state-changing request must pass. */
@Singleton
public class Ui {

    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final String CSRF_FIELD = "_csrf";

    private final Sessions sessions;
    private final AccountService accounts;

    public Ui(Sessions sessions, AccountService accounts) {
        this.sessions = sessions;
        this.accounts = accounts;
    }

    public Optional<Viewer> viewer(HttpRequest<?> request) {
        return sessions.of(request).flatMap(s -> {
            try {
                User u = accounts.get(s.userId());
                return Optional.of(new Viewer(u.id(), u.username(), ZoneId.of(u.timeZone()), s, sessions.csrf(s)));
            } catch (ApiException e) {
                return Optional.empty(); // the account is gone
            }
        });
    }

    /** The signed-in viewer, or a redirect to the login page that comes back here afterwards. */
    public Viewer require(HttpRequest<?> request) {
        return viewer(request).orElseThrow(() -> new UiRedirect("/login?next=" + URLEncoder.encode(
                request.getUri().getRawPath() + (request.getUri().getRawQuery() == null ? "" : "?" + request.getUri().getRawQuery()),
                StandardCharsets.UTF_8)));
    }

    /** The viewer of a state-changing request: same origin, and the session's CSRF token in the header or the form. */
    public Viewer requireWrite(HttpRequest<?> request, Form form) {
        sameOrigin(request);
        Viewer v = require(request);
        String token = request.getHeaders().get(CSRF_HEADER);
        if (token == null && form != null) {
            token = form.get(CSRF_FIELD);
        }
        if (!sessions.csrfMatches(v.session(), token)) {
            throw forbidden("The form has expired or did not come from this site; reload the page and try again.");
        }
        return v;
    }

    /**
     * Refuses a request a browser marks as sent from another site (Sec-Fetch-Site) or whose Origin is
     * not this host: the login CSRF defence where there is no session yet, and a second check beside the token.
     */
    public void sameOrigin(HttpRequest<?> request) {
        String site = request.getHeaders().get("Sec-Fetch-Site");
        if (site != null && site.equals("cross-site")) {
            throw forbidden("Requests from other sites are refused.");
        }
        String origin = request.getHeaders().get("Origin");
        String host = request.getHeaders().get("X-Forwarded-Host", String.class).orElse(request.getHeaders().get("Host"));
        if (origin != null && !origin.equals("null") && host != null) {
            String originHost = URI.create(origin).getRawAuthority();
            if (originHost != null && !originHost.equalsIgnoreCase(host)) {
                throw forbidden("Requests from other sites are refused.");
            }
        }
    }

    public Sessions sessions() {
        return sessions;
    }

    static ApiException forbidden(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail, List.of());
    }
}
