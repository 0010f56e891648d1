package dev.todo.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.todo.reminders.NotificationService;
import dev.todo.tasks.Priority;
import dev.todo.tasks.Task;
import dev.todo.tasks.TagService;
import dev.todo.tasks.TaskChanges;
import dev.todo.tasks.TaskQuery;
import dev.todo.tasks.TaskService;
import dev.todo.web.ApiException;
import dev.todo.web.FieldError;
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
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The task list: filters in the URL, keyset "load more", quick add, complete/reopen/skip/delete.
 * Every read and write goes through {@link TaskService} with the API's parsers ({@link TaskQuery},
 * {@link TaskChanges}), so the page accepts and refuses exactly what the API does.
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS) // the UI's cookie session is checked by Ui
@ExecuteOn(TaskExecutors.BLOCKING)
public class TaskPages {

    private final Ui ui;
    private final TaskService tasks;
    private final TagService tags;
    private final TaskViews views;
    private final NotificationService notifications;
    private final ObjectMapper mapper;

    public TaskPages(Ui ui, TaskService tasks, TagService tags, TaskViews views, NotificationService notifications, ObjectMapper mapper) {
        this.ui = ui;
        this.tasks = tasks;
        this.tags = tags;
        this.views = views;
        this.notifications = notifications;
        this.mapper = mapper;
    }

    Models.Chrome chrome(Viewer v, String title, String nav) {
        return new Models.Chrome(title, nav, v.username(), v.csrf(), notifications.unreadCount(v.userId()));
    }

    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<?> list(HttpRequest<?> request) {
        Viewer v = ui.require(request);
        return listPage(request, v, null, Map.of(), HttpStatus.OK);
    }

    private HttpResponse<?> listPage(HttpRequest<?> request, Viewer v, String quick, Map<String, String> quickErrors, HttpStatus status) {
        Map<String, List<String>> params = TaskViews.uiParams(request.getParameters().asMap());
        Map<String, String> errors = new LinkedHashMap<>(quickErrors);
        Models.Rows rows = new Models.Rows(List.of(), null);
        try {
            rows = rows(v, params, null, null);
        } catch (ApiException e) {
            e.errors().forEach(f -> errors.merge(f.field(), f.message(), (a, b) -> a + "; " + b));
            status = HttpStatus.BAD_REQUEST;
        }
        Models.Filter filter = TaskViews.filter(params);
        List<Models.Option> priorities = List.of(Priority.URGENT, Priority.HIGH, Priority.MEDIUM, Priority.LOW, Priority.NONE).stream()
                .map(p -> new Models.Option(p.json(), p == Priority.NONE ? "None" : TaskViews.label(p), filter.priorities().contains(p.json())))
                .toList();
        List<Models.Option> tagOptions = tags.names(v.userId()).stream()
                .map(t -> new Models.Option(t.name(), t.name(), filter.tags().stream().anyMatch(s -> s.equalsIgnoreCase(t.name()))))
                .collect(Collectors.toCollection(ArrayList::new));
        for (String t : filter.tags()) {
            if (tagOptions.stream().noneMatch(o -> o.value().equalsIgnoreCase(t))) {
                tagOptions.add(new Models.Option(t, t, true));
            }
        }
        String title = filter.active() ? "Tasks (filtered)" : "Tasks";
        Models.ListPage page = new Models.ListPage(chrome(v, title, "tasks"), filter, TaskViews.options(TaskViews.STATUSES, filter.status()),
                TaskViews.options(TaskViews.SORTS, filter.sort()), priorities, tagOptions, rows.rows(), rows.moreUrl(), errors, quick,
                "/tasks/list" + (filter.query().isEmpty() ? "" : "?" + filter.query()));
        return Html.page(status, "tasks", page);
    }

    private Models.Rows rows(Viewer v, Map<String, List<String>> params, String cursor, Integer limit) {
        TaskQuery q = TaskViews.apiQuery(params, v.zone(), cursor, limit);
        TaskService.Page page = tasks.list(v.userId(), q);
        String query = TaskViews.query(params);
        String more = page.nextCursor() == null ? null : "/tasks/more?" + (query.isEmpty() ? "" : query + "&")
                + "cursor=" + java.net.URLEncoder.encode(page.nextCursor(), java.nio.charset.StandardCharsets.UTF_8);
        return new Models.Rows(views.rows(page.items(), v.userId(), v.zone()), more);
    }

    /** The list region alone: after a filter change (the URL follows) and for live refreshes. */
    @Get(uri = "/tasks/list", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> listRegion(HttpRequest<?> request) {
        Viewer v = ui.require(request);
        Map<String, List<String>> params = TaskViews.uiParams(request.getParameters().asMap());
        Integer limit = null;
        String l = request.getParameters().get("limit");
        if (l != null && l.matches("\\d{1,3}")) {
            limit = Math.max(1, Math.min(TaskQuery.MAX_LIMIT, Integer.parseInt(l)));
        }
        try {
            Models.Rows rows = rows(v, params, null, limit);
            var response = Html.page("list", new Models.ListRegion(rows, v.csrf(), null));
            if ("filters".equals(request.getHeaders().get("HX-Trigger"))) {
                String query = TaskViews.query(params);
                response.header("HX-Push-Url", "/" + (query.isEmpty() ? "" : "?" + query));
            }
            return response;
        } catch (ApiException e) {
            if ("filters".equals(request.getHeaders().get("HX-Trigger"))) {
                // a bad filter (say to before from) is shown, and the URL still follows what was typed
                String query = TaskViews.query(params);
                String message = e.errors().stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
                return Html.page("list", new Models.ListRegion(new Models.Rows(List.of(), null), v.csrf(), message))
                        .header("HX-Push-Url", "/" + (query.isEmpty() ? "" : "?" + query));
            }
            String message = e.errors().stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
            return Html.page("list", new Models.ListRegion(new Models.Rows(List.of(), null), v.csrf(), message));
        }
    }

    @Get(uri = "/tasks/more", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> more(HttpRequest<?> request) {
        Viewer v = ui.require(request);
        Map<String, List<String>> params = TaskViews.uiParams(request.getParameters().asMap());
        Models.Rows rows = rows(v, params, request.getParameters().get("cursor"), null);
        return Html.page("more", new Models.ListRegion(rows, v.csrf(), null));
    }

    @Get(uri = "/tasks/{id}/row", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> row(HttpRequest<?> request, @PathVariable String id) {
        Viewer v = ui.require(request);
        Task t = tasks.get(v.userId(), Ids.parse(id, "The task"));
        return Html.page("row", new Models.RowWithToast(views.rows(List.of(t), v.userId(), v.zone()).get(0), null, v.csrf()));
    }

    /** What the quick-add line will do, shown under it while typing. */
    @Get(uri = "/tasks/quick-preview", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> quickPreview(HttpRequest<?> request) {
        Viewer v = ui.require(request);
        String text = request.getParameters().get("text");
        QuickAdd.Parsed p = QuickAdd.parse(text == null ? "" : text, ZonedDateTime.now(v.zone()));
        return Html.page("quickpreview", p);
    }

    @Post(uri = "/tasks", produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> quickAdd(HttpRequest<?> request, @Nullable @Body String raw) {
        Form form = Form.parse(raw);
        Viewer v = ui.requireWrite(request, form);
        String text = form.get("text");
        Task created;
        try {
            created = tasks.create(v.userId(), readQuick(quickBody(text, v)));
        } catch (ApiException e) {
            Map<String, String> errors = new LinkedHashMap<>();
            errors.put("quick", e.errors().isEmpty() ? e.getMessage()
                    : e.errors().stream().map(f -> (f.field().equals("title") ? "The title " : f.field() + " ") + f.message())
                    .collect(Collectors.joining("; ")));
            if (Html.htmx(request)) {
                return Html.page("quickerror", errors.get("quick")).header("HX-Reswap", "none");
            }
            return listPage(request, v, text, errors, HttpStatus.BAD_REQUEST);
        }
        if (!Html.htmx(request)) {
            return HttpResponse.seeOther(URI.create(back(request)));
        }
        Models.Rows rows = rows(v, TaskViews.uiParams(Form.parse(query(request.getHeaders().get("HX-Current-URL"))).values()), null, null);
        return Html.page("list", new Models.ListRegion(rows, v.csrf(), null,
                new Models.Toast("Added “" + created.title() + "”", created.id().toString(), null, v.csrf()), created.id().toString())).header("HX-Trigger", "quick-added");
    }

    /** The quick-add line as the API's create body, so it is checked by the same reader. */
    String quickBody(String text, Viewer v) {
        QuickAdd.Parsed p = QuickAdd.parse(text == null ? "" : text, ZonedDateTime.now(v.zone()));
        ObjectNode body = mapper.createObjectNode();
        if (!p.title().isEmpty()) {
            body.put("title", p.title());
        }
        body.put("timeZone", v.zone().getId());
        if (p.due() != null) {
            body.put("dueAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(p.due()));
            body.put("allDay", p.allDay());
        }
        if (p.priority() != null) {
            body.put("priority", p.priority().json());
        }
        if (!p.tags().isEmpty()) {
            ArrayNode t = body.putArray("tags");
            p.tags().forEach(t::add);
        }
        if (p.every() != null) {
            ObjectNode r = body.putObject("recurrence");
            r.put("every", p.every());
            if (p.interval() != null) {
                r.put("interval", p.interval());
            }
            if (p.on() != null) {
                ArrayNode on = r.putArray("on");
                p.on().forEach(on::add);
            }
        }
        return body.toString();
    }

    private TaskChanges readQuick(String json) {
        return TaskChanges.read(JsonBody.parse(mapper, json, TaskChanges.FIELDS), true);
    }

    @Post(uri = "/tasks/{id}/{action:complete|reopen|skip}", produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> act(HttpRequest<?> request, @PathVariable String id, @PathVariable String action, @Nullable @Body String raw) {
        Form form = Form.parse(raw);
        Viewer v = ui.requireWrite(request, form);
        UUID taskId = Ids.parse(id, "The task");
        Task t = switch (action) {
            case "complete" -> tasks.setCompleted(v.userId(), taskId, true, null);
            case "reopen" -> tasks.setCompleted(v.userId(), taskId, false, null);
            default -> tasks.skip(v.userId(), taskId, null);
        };
        if (!Html.htmx(request)) {
            return HttpResponse.seeOther(URI.create(back(request)));
        }
        Models.Toast toast = switch (action) {
            case "complete" -> new Models.Toast("Completed “" + t.title() + "”", id, "reopen", v.csrf());
            case "skip" -> new Models.Toast("Skipped “" + t.title() + "”", id, "reopen", v.csrf());
            default -> new Models.Toast("Reopened “" + t.title() + "”", id, null, v.csrf());
        };
        return Html.page("row", new Models.RowWithToast(views.rows(List.of(t), v.userId(), v.zone()).get(0), toast, v.csrf()));
    }

    @Post(uri = "/tasks/{id}/delete", produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> delete(HttpRequest<?> request, @PathVariable String id, @Nullable @Body String raw) {
        Form form = Form.parse(raw);
        Viewer v = ui.requireWrite(request, form);
        Integer version = form.get("version") == null ? null : Ids.version(form.get("version"));
        tasks.delete(v.userId(), Ids.parse(id, "The task"), version);
        if (!Html.htmx(request) && !"beacon".equals(form.get("via"))) {
            return HttpResponse.seeOther(URI.create("/"));
        }
        return HttpResponse.noContent();
    }

    /** Where a form without htmx returns to: the page it came from on this site, else the list. */
    static String back(HttpRequest<?> request) {
        String ref = request.getHeaders().get("Referer");
        if (ref != null) {
            URI u = URI.create(ref);
            String path = u.getRawPath();
            if (path != null && path.startsWith("/") && !path.startsWith("//")) {
                return path + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
            }
        }
        return "/";
    }

    private static String query(String url) {
        if (url == null) {
            return "";
        }
        int q = url.indexOf('?');
        return q < 0 ? "" : url.substring(q + 1);
    }
}
