package dev.todo.webhooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.todo.auth.CurrentUser;
import dev.todo.auth.TokenController;
import dev.todo.tasks.Cursor;
import dev.todo.web.ApiException;
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
        Map<String, List<String>> params = request.getParameters().asMap();
        List<FieldError> errors = new ArrayList<>();
        params.keySet().stream().filter(p -> !DELIVERY_PARAMS.contains(p)).forEach(p -> errors.add(new FieldError(p,
                "unknown query parameter; allowed are " + String.join(", ", new TreeSet<>(DELIVERY_PARAMS)))));
        int limit = 50;
        String rawLimit = first(params, "limit");
        if (rawLimit != null) {
            try {
                limit = Integer.parseInt(rawLimit);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                errors.add(new FieldError("limit", "must be an integer between 1 and " + MAX_LIMIT + "; got '" + rawLimit + "'"));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        String binding = user + "|" + webhook;
        String cursor = first(params, "cursor");
        List<String> after = cursor == null || cursor.isBlank() ? null : cursors.decode(cursor, binding, 2);
        WebhookService.Page page = webhooks.deliveries(user, webhook, limit, after);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", page.items());
        out.put("nextCursor", page.lastKey() == null ? null : cursors.encode(page.lastKey(), binding));
        return out;
    }

    @Get("/{id}/deliveries/{deliveryId}")
    public WebhookService.Delivery delivery(Authentication auth, @PathVariable String id, @PathVariable String deliveryId) {
        return webhooks.delivery(CurrentUser.id(auth), webhookId(id), TokenController.parseId(deliveryId, "The delivery"));
    }

    /** 202: queued again, due now, with a fresh set of attempts. */
    @Post("/{id}/deliveries/{deliveryId}/redeliver")
    public HttpResponse<WebhookService.Delivery> redeliver(Authentication auth, @PathVariable String id,
                                                          @PathVariable String deliveryId) {
        return HttpResponse.status(HttpStatus.ACCEPTED).body(webhooks.redeliver(CurrentUser.id(auth), webhookId(id),
                TokenController.parseId(deliveryId, "The delivery")));
    }

    private static UUID webhookId(String id) {
        return TokenController.parseId(id, "The webhook");
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
