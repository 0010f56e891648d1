package dev.todo.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.todo.auth.CurrentUser;
import dev.todo.web.JsonBody;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

@Controller("/api/tags")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class TagController {

    private static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");

    private final TagService tags;
    private final ObjectMapper mapper;

    public TagController(TagService tags, ObjectMapper mapper) {
        this.tags = tags;
        this.mapper = mapper;
    }

    @Get
    public Map<String, Object> list(Authentication auth) {
        return Map.of("items", tags.list(CurrentUser.id(auth)).stream().map(TagService.Tag::view).toList());
    }

    @Patch("/{name}")
    @Consumes({TaskController.MERGE_PATCH, MediaType.APPLICATION_JSON})
    public Map<String, Object> update(Authentication auth, @PathVariable String name, @Body String raw) {
        Update u = readUpdate(JsonBody.parse(mapper, raw, Set.of("name", "color")));
        return tags.update(CurrentUser.id(auth), name, u.newName(), u.color(), u.clearColor()).view();
    }

    /** A tag's new name and colour; {@code clearColor} for an explicit null. */
    public record Update(String newName, String color, boolean clearColor) {
    }

    /** Reads and checks a tag update (the API's PATCH body and the web UI's form alike). */
    public static Update readUpdate(JsonBody body) {
        String newName = body.string("name").map(String::strip).orElse(null);
        if (body.isNull("name")) {
            body.error("name", "cannot be null");
        } else if (newName != null) {
            String problem = TaskChanges.tagNameProblem(newName);
            if (problem != null) {
                body.error("name", problem);
            }
        }
        String color = body.string("color").orElse(null);
        if (color != null && !COLOR.matcher(color).matches()) {
            body.error("color", "must be a colour like #1e90ff; got '" + color + "'");
        }
        body.validate();
        return new Update(newName, color, body.isNull("color"));
    }

    @Delete("/{name}")
    public HttpResponse<Void> delete(Authentication auth, @PathVariable String name) {
        tags.delete(CurrentUser.id(auth), name);
        return HttpResponse.noContent();
    }
}
