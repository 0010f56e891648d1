package dev.todo.webhooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.todo.auth.CurrentUser;
import dev.todo.auth.TokenController;
import dev.todo.web.Cursor;
import dev.todo.web.ApiException;
import dev.todo.web.QueryParams;
import dev.todo.web.FieldError;
import dev.todo.web.JsonBody;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** A user's webhooks: register, list, delete, and look at and redeliver their deliveries. */
@Controller("/api/webhooks")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class WebhookController {

    static final Set<String> DELIVERY_PARAMS = Set.of("limit", "cursor");
    static final int MAX_LIMIT = 200;

    private final WebhookService webhooks;
    private final DestinationGuard guard;
    private final ObjectMapper mapper;
    private final Cursor cursors;

    public WebhookController(WebhookService webhooks, DestinationGuard guard, ObjectMapper mapper,
                             @Value("${todo.auth.jwt-secret}") String secret) {
        this.webhooks = webhooks;
        this.guard = guard;
        this.mapper = mapper;
        this.cursors = new Cursor(Cursor.key(secret, "webhook-delivery-cursor"), mapper);
    }

    /** 201 with the webhook; a generated secret is in the answer this once and never again. */
    @Post
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<Map<String, Object>> create(Authentication auth, @Body String raw) {
        JsonBody body = JsonBody.parse(mapper, raw, WebhookRegistration.FIELDS);
        WebhookRegistration registration = WebhookRegistration.read(body).orElse(null);
        body.validate();
        try {
            // resolved outside the transaction: a slow name server holds no database connection
            guard.check(registration.url());
        } catch (DestinationGuard.RefusedException e) {
            throw ApiException.invalid("url", e.getMessage());
        }
        WebhookService.Webhook created = webhooks.create(CurrentUser.id(auth), registration);
        Map<String, Object> out = new LinkedHashMap<>();
        WebhookService.View view = created.view();
        out.put("id", view.id());
        out.put("url", view.url());
        out.put("events", view.events());
        out.put("createdAt", view.createdAt());
        if (registration.secretGenerated()) {
            out.put("secret", registration.secret());
        }
        return HttpResponse.created(out, URI.create("/api/webhooks/" + created.id()));
    }

    @Get
    public Map<String, Object> list(Authentication auth) {
        return Map.of("items", webhooks.list(CurrentUser.id(auth)).stream().map(WebhookService.Webhook::view).toList());
    }

    @Get("/{id}")
    public WebhookService.View get(Authentication auth, @PathVariable String id) {
        return webhooks.get(CurrentUser.id(auth), webhookId(id)).view();
    }

    @Delete("/{id}")
    public HttpResponse<Void> delete(Authentication auth, @PathVariable String id) {
        webhooks.delete(CurrentUser.id(auth), webhookId(id));
        return HttpResponse.noContent();
    }

    /** Newest first, keyset paged: {@code limit} (1-200, default 50) and the {@code nextCursor} of the previous page. */
    @Get("/{id}/deliveries")
    public Map<String, Object> deliveries(Authentication auth, @PathVariable String id, HttpRequest<?> request) {
        UUID user = CurrentUser.id(auth);
        UUID webhook = webhookId(id);
        QueryParams params = QueryParams.of(request, DELIVERY_PARAMS);
        int limit = params.integer("limit", 1, MAX_LIMIT, 50);
        String cursor = params.single("cursor");
        params.throwIfInvalid();
        String binding = user + "|" + webhook;
        List<String> after = cursor == null || cursor.isBlank() ? null : cursors.decode(cursor, binding, 2);
        WebhookService.Page page = webhooks.deliveries(user, webhook, limit, after);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", page.items());
        out.put("nextCursor", page.lastKey() == null ? null : cursors.encode(page.lastKey(), binding));
        return out;
    }

    @Get("/{id}/deliveries/{deliveryId}")
    public WebhookService.Delivery delivery(Authentication auth, @PathVariable String id, @PathVariable String deliveryId) {
        return webhooks.delivery(CurrentUser.id(auth), webhookId(id), dev.todo.web.Ids.parse(deliveryId, "The delivery"));
    }

    /** 202: queued again, due now, with a fresh set of attempts. */
    @Post("/{id}/deliveries/{deliveryId}/redeliver")
    public HttpResponse<WebhookService.Delivery> redeliver(Authentication auth, @PathVariable String id,
                                                          @PathVariable String deliveryId) {
        return HttpResponse.status(HttpStatus.ACCEPTED).body(webhooks.redeliver(CurrentUser.id(auth), webhookId(id),
                dev.todo.web.Ids.parse(deliveryId, "The delivery")));
    }

    private static UUID webhookId(String id) {
        return dev.todo.web.Ids.parse(id, "The webhook");
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
