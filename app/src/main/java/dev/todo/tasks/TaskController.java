package dev.todo.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.todo.auth.CurrentUser;
import dev.todo.auth.TokenController;
import dev.todo.web.ApiException;
import dev.todo.web.QueryParams;
import dev.todo.web.JsonBody;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

@Controller("/api/tasks")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class TaskController {

    static final String MERGE_PATCH = "application/merge-patch+json";

    private final TaskService service;
    private final ObjectMapper mapper;

    public TaskController(TaskService service, ObjectMapper mapper) {
        this.service = service;
        this.mapper = mapper;
    }

    @Post
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<Task.View> create(Authentication auth, @Body String raw) {
        TaskChanges changes = TaskChanges.read(JsonBody.parse(mapper, raw, TaskChanges.FIELDS), true);
        Task task = service.create(CurrentUser.id(auth), changes);
        return HttpResponse.created(task.view(), URI.create("/api/tasks/" + task.id())).header(HttpHeaders.ETAG, task.etag());
    }

    @Get
    public Map<String, Object> list(Authentication auth, HttpRequest<?> request) {
        TaskQuery query = TaskQuery.parse(request.getParameters().asMap());
        TaskService.Page page = service.list(CurrentUser.id(auth), query);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", page.items().stream().map(Task::view).toList());
        out.put("nextCursor", page.nextCursor());
        return out;
    }

    @Get("/{id}")
    public HttpResponse<Task.View> get(Authentication auth, @PathVariable String id) {
        return withEtag(service.get(CurrentUser.id(auth), taskId(id)));
    }

    @Patch("/{id}")
    @Consumes({MERGE_PATCH, MediaType.APPLICATION_JSON})
    public HttpResponse<Task.View> patch(Authentication auth, @PathVariable String id, @Body String raw,
                                                   @Nullable @Header(HttpHeaders.IF_MATCH) String ifMatch) {
        UUID taskId = taskId(id);
        Integer expected = expectedVersion(ifMatch);
        TaskChanges changes = TaskChanges.read(JsonBody.parse(mapper, raw, TaskChanges.FIELDS), false);
        return withEtag(service.patch(CurrentUser.id(auth), taskId, changes, expected));
    }

    @Post("/{id}/complete")
    public HttpResponse<Task.View> complete(Authentication auth, @PathVariable String id,
                                                      @Nullable @Header(HttpHeaders.IF_MATCH) String ifMatch) {
        return withEtag(service.setCompleted(CurrentUser.id(auth), taskId(id), true, expectedVersion(ifMatch)));
    }

    @Post("/{id}/reopen")
    public HttpResponse<Task.View> reopen(Authentication auth, @PathVariable String id,
                                                    @Nullable @Header(HttpHeaders.IF_MATCH) String ifMatch) {
        return withEtag(service.setCompleted(CurrentUser.id(auth), taskId(id), false, expectedVersion(ifMatch)));
    }

    @Post("/{id}/skip")
    public HttpResponse<Task.View> skip(Authentication auth, @PathVariable String id,
                                        @Nullable @Header(HttpHeaders.IF_MATCH) String ifMatch) {
        return withEtag(service.skip(CurrentUser.id(auth), taskId(id), expectedVersion(ifMatch)));
    }

    @Get("/{id}/occurrences")
    public Map<String, Object> occurrences(Authentication auth, @PathVariable String id, HttpRequest<?> request) {
        UUID taskId = taskId(id);
        QueryParams params = QueryParams.of(request, Set.of("count"));
        int count = params.integer("count", 1, 100, 10);
        params.throwIfInvalid();
        var plan = service.occurrences(CurrentUser.id(auth), taskId, count);
        var items = plan.items().stream()
                .map(t -> java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.toOffsetDateTime())).toList();
        // fewer than asked for: why the series ends there
        return plan.ended() == null ? Map.of("items", items) : Map.of("items", items, "ended", plan.ended());
    }

    @Delete("/{id}")
    public HttpResponse<Void> delete(Authentication auth, @PathVariable String id,
                                     @Nullable @Header(HttpHeaders.IF_MATCH) String ifMatch) {
        service.delete(CurrentUser.id(auth), taskId(id), expectedVersion(ifMatch));
        return HttpResponse.noContent();
    }

    private static MutableHttpResponse<Task.View> withEtag(Task task) {
        return HttpResponse.ok(task.view()).header(HttpHeaders.ETAG, task.etag());
    }

    private static UUID taskId(String id) {
        return dev.todo.web.Ids.parse(id, "The task");
    }

    /** Accepts {@code "7"}, {@code W/"7"} or {@code *} (any version); null when the header is absent. */
    static Integer expectedVersion(String ifMatch) {
        return dev.todo.web.Etags.expectedVersion(ifMatch);
    }
}
