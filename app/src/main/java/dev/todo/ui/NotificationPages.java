package dev.todo.ui;

import dev.todo.reminders.NotificationService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The bell and the notifications page: reminders that fired, mark read, snooze. */
@Controller("/notifications")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class NotificationPages {

    /** The snooze choices offered: label to period (the API accepts any period up to 7 days). */
    static final Map<String, Duration> SNOOZES = new java.util.LinkedHashMap<>();

    static {
        SNOOZES.put("PT10M", Duration.ofMinutes(10));
        SNOOZES.put("PT1H", Duration.ofHours(1));
        SNOOZES.put("P1D", Duration.ofDays(1));
    }

    public record Item(String id, String taskId, String title, String when, String exact, boolean read, boolean late) {
    }

    public record Page(Models.Chrome chrome, List<Item> items, String message) {
    }

    private final Ui ui;
    private final NotificationService notifications;
    private final TaskPages pages;

    public NotificationPages(Ui ui, NotificationService notifications, TaskPages pages) {
        this.ui = ui;
        this.notifications = notifications;
        this.pages = pages;
    }

    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<?> page(HttpRequest<?> request) {
        Viewer v = ui.require(request);
        return Html.page("notifications", page(v, request.getParameters().get("done")));
    }

    /** The list alone, refreshed when the live stream says a notification came or was read. */
    @Get(uri = "/items", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> items(HttpRequest<?> request) {
        Viewer v = ui.require(request);
        return Html.page("notificationitems", page(v, null));
    }

    @Get(uri = "/bell", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> bell(HttpRequest<?> request) {
        Viewer v = ui.require(request);
        String current = request.getHeaders().get("HX-Current-URL");
        boolean here = current != null && URI.create(current).getPath().equals("/notifications");
        return Html.page("bellfragment", new Bell(notifications.unreadCount(v.userId()), here ? "page" : null));
    }

    public record Bell(int unread, String current) {
    }

    @Post(uri = "/{id}/read", produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> read(HttpRequest<?> request, @PathVariable String id, @Nullable @Body String raw) {
        Form form = Form.parse(raw);
        Viewer v = ui.requireWrite(request, form);
        notifications.markRead(v.userId(), Ids.parse(id, "The notification"));
        return done(request, v, "Marked as read.");
    }

    @Post(uri = "/{id}/snooze", produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> snooze(HttpRequest<?> request, @PathVariable String id, @Nullable @Body String raw) {
        Form form = Form.parse(raw);
        Viewer v = ui.requireWrite(request, form);
        Duration period = SNOOZES.get(form.get("for"));
        if (period == null) {
            throw dev.todo.web.ApiException.invalid("for", "must be one of " + String.join(", ", SNOOZES.keySet()));
        }
        notifications.snooze(v.userId(), Ids.parse(id, "The notification"), period);
        return done(request, v, "Snoozed: it will remind you again in " + human(period) + ".");
    }

    private HttpResponse<?> done(HttpRequest<?> request, Viewer v, String message) {
        if (Html.htmx(request)) {
            return Html.page("notificationitems", page(v, message));
        }
        return HttpResponse.seeOther(URI.create("/notifications"));
    }

    private Page page(Viewer v, String message) {
        Instant now = Instant.now();
        List<Item> items = notifications.list(v.userId(), false, 100).stream().map(n -> new Item(n.id().toString(),
                n.taskId() == null ? null : n.taskId().toString(), n.title(), When.relative(n.firedAt(), false, v.zone(), now),
                When.exact(n.firedAt(), false, v.zone()), n.read(), n.late())).toList();
        return new Page(pages.chrome(v, "Notifications", "notifications"), items, message);
    }

    static String human(Duration d) {
        if (d.toDays() >= 1) {
            return d.toDays() + (d.toDays() == 1 ? " day" : " days");
        }
        if (d.toHours() >= 1) {
            return d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
        }
        return d.toMinutes() + " minutes";
    }
}
