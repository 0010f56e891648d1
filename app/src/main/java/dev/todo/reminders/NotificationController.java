package dev.todo.reminders;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.todo.auth.CurrentUser;
import dev.todo.auth.TokenController;
import dev.todo.web.ApiException;
import dev.todo.web.JsonBody;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
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

import java.time.Duration;
import java.util.Map;
import java.util.Set;

@Controller("/api/notifications")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class NotificationController {

    static final Duration MAX_SNOOZE = Duration.ofDays(7);

    private final NotificationService notifications;
    private final ObjectMapper mapper;

    public NotificationController(NotificationService notifications, ObjectMapper mapper) {
        this.notifications = notifications;
        this.mapper = mapper;
    }

    @Get
    public Map<String, Object> list(Authentication auth, io.micronaut.http.HttpRequest<?> request) {
        var params = dev.todo.web.QueryParams.of(request, Set.of("unread", "limit"));
        boolean unreadOnly = params.bool("unread", false);
        int n = params.integer("limit", 1, 200, 50);
        params.throwIfInvalid();
        return Map.of("items", notifications.list(CurrentUser.id(auth), unreadOnly, n).stream()
                .map(NotificationService.Notification::view).toList());
    }

    @Post("/{id}/read")
    public NotificationService.View read(Authentication auth, @PathVariable String id) {
        return notifications.markRead(CurrentUser.id(auth), dev.todo.web.Ids.parse(id, "The notification")).view();
    }

    @Post("/{id}/snooze")
    @Consumes(MediaType.APPLICATION_JSON)
    public NotificationService.View snooze(Authentication auth, @PathVariable String id, @Body String raw) {
        var notificationId = dev.todo.web.Ids.parse(id, "The notification");
        JsonBody body = JsonBody.parse(mapper, raw, Set.of("for"));
        Duration period = body.duration("for").orElse(null);
        if (period == null && !body.hasErrors()) {
            body.error("for", "is required, e.g. PT10M");
        } else if (period != null && (period.isNegative() || period.isZero() || period.compareTo(MAX_SNOOZE) > 0)) {
            body.error("for", "must be between PT1S and P7D");
        }
        body.validate();
        return notifications.snooze(CurrentUser.id(auth), notificationId, period).view();
    }
}
