package dev.todo.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.todo.tasks.TagController;
import dev.todo.tasks.TagService;
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
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/** Tags with their open-task counts: rename (into an existing name: merge), recolour, delete. */
@Controller("/tags")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class TagPages {

    public record Row(String name, String color, long openTasks, String href) {
    }

    public record Page(Models.Chrome chrome, List<Row> tags, String message, String errorTag, String error) {
    }

    private final Ui ui;
    private final TagService tags;
    private final TaskPages pages;
    private final ObjectMapper mapper;

    public TagPages(Ui ui, TagService tags, TaskPages pages, ObjectMapper mapper) {
        this.ui = ui;
        this.tags = tags;
        this.pages = pages;
        this.mapper = mapper;
    }

    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<?> page(HttpRequest<?> request) {
        Viewer v = ui.require(request);
        return Html.page("tags", page(v, request.getParameters().get("done"), null, null));
    }

    @Post(produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> change(HttpRequest<?> request, @Nullable @Body String raw) {
        Form form = Form.parse(raw);
        Viewer v = ui.requireWrite(request, form);
        String tag = form.raw("tag");
        if (tag == null) {
            throw ApiException.invalid("tag", "is required");
        }
        String done;
        try {
            if ("delete".equals(form.get("action"))) {
                tags.delete(v.userId(), tag);
                done = "Deleted #" + tag + "; its tasks keep their other tags.";
            } else {
                ObjectNode body = mapper.createObjectNode();
                String name = form.get("name");
                if (name != null && !name.equals(tag)) {
                    body.put("name", name.startsWith("#") ? name.substring(1) : name);
                }
                if (form.get("color") != null && !form.checked("noColor")) {
                    body.put("color", form.get("color"));
                } else if (form.checked("noColor")) {
                    body.putNull("color");
                }
                TagController.Update u = TagController.readUpdate(JsonBody.parse(mapper, body.toString(), Set.of("name", "color")));
                TagService.Tag t = tags.update(v.userId(), tag, u.newName(), u.color(), u.clearColor());
                done = t.name().equalsIgnoreCase(tag) ? "Saved #" + t.name() + "." : "#" + tag + " is now #" + t.name() + ".";
            }
        } catch (ApiException e) {
            String message = e.errors().isEmpty() ? e.getMessage()
                    : String.join("; ", e.errors().stream().map(f -> f.field() + ": " + f.message()).toList());
            return Html.page(HttpStatus.BAD_REQUEST, "tags", page(v, null, tag, message));
        }
        return HttpResponse.seeOther(URI.create("/tags?done=" + URLEncoder.encode(done, StandardCharsets.UTF_8)));
    }

    private Page page(Viewer v, String message, String errorTag, String error) {
        List<Row> rows = tags.list(v.userId()).stream().map(t -> new Row(t.name(), t.color(), t.openTasks(),
                "/?tag=" + URLEncoder.encode(t.name(), StandardCharsets.UTF_8))).toList();
        return new Page(pages.chrome(v, "Tags", "tags"), rows, message, errorTag, error);
    }
}
