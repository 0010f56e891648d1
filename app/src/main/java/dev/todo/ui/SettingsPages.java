package dev.todo.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.todo.auth.AccountService;
import dev.todo.auth.ApiToken;
import dev.todo.auth.PersonalTokens;
import dev.todo.auth.TokenController;
import dev.todo.auth.Zones;
import dev.todo.webhooks.DestinationGuard;
import dev.todo.webhooks.WebhookRegistration;
import dev.todo.webhooks.WebhookService;
import dev.todo.web.ApiException;
import dev.todo.web.JsonBody;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Settings: time zone, personal API tokens (the secret shown once), webhooks with their deliveries. */
@Controller("/settings")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class SettingsPages {

    public record TokenRow(String id, String name, String prefix, String created, String expires, String lastUsed) {
    }

    public record DeliveryRow(String id, String event, String status, int attempts, String when, String response) {
    }

    public record HookRow(String id, String url, String events, List<DeliveryRow> deliveries) {
    }

    public record Page(Models.Chrome chrome, String zone, List<String> zones, List<TokenRow> tokens, List<HookRow> hooks,
                       String message, String secret, String secretLabel, Map<String, String> errors, Map<String, String> typed) {
        public String error(String field) {
            return errors.get(field);
        }

        public String typed(String field) {
            return typed.get(field);
        }
    }

    private final Ui ui;
    private final AccountService accounts;
    private final PersonalTokens tokens;
    private final WebhookService webhooks;
    private final DestinationGuard guard;
    private final TaskPages pages;
    private final ObjectMapper mapper;

    public SettingsPages(Ui ui, AccountService accounts, PersonalTokens tokens, WebhookService webhooks, DestinationGuard guard,
                         TaskPages pages, ObjectMapper mapper) {
        this.ui = ui;
        this.accounts = accounts;
        this.tokens = tokens;
        this.webhooks = webhooks;
        this.guard = guard;
        this.pages = pages;
        this.mapper = mapper;
    }

    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<?> page(HttpRequest<?> request) {
        Viewer v = ui.require(request);
        return Html.page("settings", page(v, request.getParameters().get("done"), null, null, Map.of(), Map.of()));
    }

    @Post(uri = "/zone", produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> zone(HttpRequest<?> request, @Nullable @Body String raw) {
        Form form = Form.parse(raw);
        Viewer v = ui.requireWrite(request, form);
        String zone = form.get("timeZone");
        if (zone == null || !Zones.isValid(zone)) {
            return Html.page(HttpStatus.BAD_REQUEST, "settings", page(v, null, null, null,
                    Map.of("timeZone", zone == null ? "Choose a time zone." : Zones.invalidMessage(zone)), Map.of("timeZone", zone == null ? "" : zone)));
        }
        accounts.updateTimeZone(v.userId(), zone);
        return done("Time zone set to " + zone + ".");
    }

    @Post(uri = "/tokens", produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> createToken(HttpRequest<?> request, @Nullable @Body String raw) {
        Form form = Form.parse(raw);
        Viewer v = ui.requireWrite(request, form);
        ObjectNode body = mapper.createObjectNode();
        body.put("name", form.raw("name") == null ? "" : form.raw("name"));
        if (form.get("expires") != null) {
            try {
                body.put("expiresAt", LocalDate.parse(form.get("expires")).plusDays(1).atStartOfDay(v.zone()).toOffsetDateTime().toString());
            } catch (java.time.format.DateTimeParseException e) {
                body.put("expiresAt", form.get("expires"));
            }
        }
        try {
            TokenController.Creation c = TokenController.readCreation(JsonBody.parse(mapper, body.toString(), Set.of("name", "expiresAt")));
            PersonalTokens.Issued issued = tokens.issue(v.userId(), c.name(), c.expiresAt());
            // shown once, on this response only: it is not stored in a readable form
            return Html.page("settings", page(v, "Token “" + c.name() + "” created. Copy it now: it will not be shown again.",
                    issued.secret(), "New token", Map.of(), Map.of()));
        } catch (ApiException e) {
            return Html.page(HttpStatus.BAD_REQUEST, "settings", page(v, null, null, null, errors(e, "token"), Map.of("tokenName", form.raw("name") == null ? "" : form.raw("name"))));
        }
    }

    @Post(uri = "/tokens/{id}/revoke", produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> revoke(HttpRequest<?> request, @PathVariable String id, @Nullable @Body String raw) {
        Form form = Form.parse(raw);
        Viewer v = ui.requireWrite(request, form);
        tokens.revoke(v.userId(), Ids.parse(id, "The token"));
        return done("Token revoked.");
    }

    @Post(uri = "/webhooks", produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> createWebhook(HttpRequest<?> request, @Nullable @Body String raw) {
        Form form = Form.parse(raw);
        Viewer v = ui.requireWrite(request, form);
        ObjectNode body = mapper.createObjectNode();
        body.put("url", form.get("url") == null ? "" : form.get("url"));
        ArrayNode events = body.putArray("events");
        List<String> chosen = form.all("events");
        (chosen.isEmpty() ? List.of(WebhookRegistration.ALL) : chosen).forEach(events::add);
        if (form.get("secret") != null) {
            body.put("secret", form.get("secret"));
        }
        try {
            JsonBody parsed = JsonBody.parse(mapper, body.toString(), WebhookRegistration.FIELDS);
            WebhookRegistration registration = WebhookRegistration.read(parsed).orElse(null);
            parsed.validate();
            try {
                guard.check(registration.url());
            } catch (DestinationGuard.RefusedException e) {
                throw ApiException.invalid("url", e.getMessage());
            }
            webhooks.create(v.userId(), registration);
            if (registration.secretGenerated()) {
                return Html.page("settings", page(v, "Webhook registered. Its signing secret is shown once: copy it now.",
                        registration.secret(), "Signing secret", Map.of(), Map.of()));
            }
            return done("Webhook registered.");
        } catch (ApiException e) {
            return Html.page(HttpStatus.BAD_REQUEST, "settings", page(v, null, null, null, errors(e, "webhook"),
                    Map.of("url", form.get("url") == null ? "" : form.get("url"))));
        }
    }

    @Post(uri = "/webhooks/{id}/delete", produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> deleteWebhook(HttpRequest<?> request, @PathVariable String id, @Nullable @Body String raw) {
        Form form = Form.parse(raw);
        Viewer v = ui.requireWrite(request, form);
        webhooks.delete(v.userId(), Ids.parse(id, "The webhook"));
        return done("Webhook removed.");
    }

    @Post(uri = "/webhooks/{id}/deliveries/{delivery}/redeliver", produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> redeliver(HttpRequest<?> request, @PathVariable String id, @PathVariable String delivery, @Nullable @Body String raw) {
        Form form = Form.parse(raw);
        Viewer v = ui.requireWrite(request, form);
        webhooks.redeliver(v.userId(), Ids.parse(id, "The webhook"), Ids.parse(delivery, "The delivery"));
        return done("Delivery queued again.");
    }

    private static HttpResponse<?> done(String message) {
        return HttpResponse.seeOther(URI.create("/settings?done=" + URLEncoder.encode(message, StandardCharsets.UTF_8)));
    }

    private static Map<String, String> errors(ApiException e, String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        e.errors().forEach(f -> out.merge(prefix + "." + f.field().replaceAll("\\[.*", ""), f.message(), (a, b) -> a + "; " + b));
        if (out.isEmpty()) {
            out.put(prefix + ".form", e.getMessage());
        }
        return out;
    }

    private Page page(Viewer v, String message, String secret, String secretLabel, Map<String, String> errors, Map<String, String> typed) {
        Instant now = Instant.now();
        List<TokenRow> tokenRows = tokens.list(v.userId()).stream().map((ApiToken t) -> new TokenRow(t.id().toString(), t.name(), t.prefix(),
                When.relative(t.createdAt(), false, v.zone(), now),
                t.expiresAt() == null ? "never" : When.relative(t.expiresAt(), false, v.zone(), now),
                t.lastUsedAt() == null ? "never" : When.relative(t.lastUsedAt(), false, v.zone(), now))).toList();
        List<HookRow> hooks = webhooks.list(v.userId()).stream().map(h -> new HookRow(h.id().toString(), h.url(), String.join(", ", h.events()),
                webhooks.deliveries(v.userId(), h.id(), 5, null).items().stream().map(d -> new DeliveryRow(d.id().toString(), d.eventType(),
                        d.status(), d.attempts(), When.relative(d.createdAt(), false, v.zone(), now),
                        d.lastResponseCode() != null ? "HTTP " + d.lastResponseCode() : d.lastError() == null ? "" : d.lastError())).toList()))
                .toList();
        return new Page(pages.chrome(v, "Settings", "settings"), typed.getOrDefault("timeZone", v.zone().getId()), TaskEditPages.ZONES,
                tokenRows, hooks, message, secret, secretLabel, errors, typed);
    }

}
