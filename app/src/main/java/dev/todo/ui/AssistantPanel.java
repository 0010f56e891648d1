package dev.todo.ui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.todo.assistant.Assistant;
import dev.todo.assistant.AssistantController;
import dev.todo.assistant.Conversations;
import dev.todo.web.ApiException;
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
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The assistant's chat panel: the signed-in user's conversations, the open one with its replies, the
 * actions taken (each with Undo) and a confirmation waiting for Approve or Decline. It calls the same
 * {@link Assistant} and {@link Conversations} services as {@code /api/assistant}. Forms post plainly
 * (303 back to the page) and, with htmx, get the panel's new contents in place.
 */
@Controller("/assistant")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(Assistant.EXECUTOR) // turns wait on the model
public class AssistantPanel {

    public record Message(String role, String text) {
        public boolean mine() {
            return "user".equals(role);
        }
    }

    public record Action(int index, String summary, boolean undone, boolean undoable) {
    }

    public record Pending(String id, String summary) {
    }

    public record Panel(String csrf, boolean configured, String notConfigured, List<Conversations.Summary> conversations,
                        String conversationId, String title, List<Message> messages, List<Action> actions, Pending pending,
                        String error, String said, boolean htmx) {
        public boolean current(UUID id) {
            return id.toString().equals(conversationId);
        }
    }

    public record Page(Models.Chrome chrome, Panel panel) {
    }

    private final Ui ui;
    private final TaskPages pages;
    private final Assistant assistant;
    private final Conversations conversations;

    public AssistantPanel(Ui ui, TaskPages pages, Assistant assistant, Conversations conversations) {
        this.ui = ui;
        this.pages = pages;
        this.assistant = assistant;
        this.conversations = conversations;
    }

    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<?> page(HttpRequest<?> request) {
        Viewer v = ui.require(request);
        String c = request.getParameters().get("c");
        UUID id = null;
        if (c != null) {
            try {
                id = conversations.find(v.userId(), UUID.fromString(c)).map(Conversations.Conversation::id).orElse(null);
            } catch (IllegalArgumentException e) {
                id = null; // not a conversation id: start a new one
            }
        }
        return Html.page("assistant", new Page(pages.chrome(v, "Assistant", "assistant"), panel(v, id, null, null, false)));
    }

    @Post(uri = "/chat", produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> chat(HttpRequest<?> request, @Nullable @Body String raw) {
        Form form = Form.parse(raw);
        Viewer v = ui.requireWrite(request, form);
        UUID id = conversation(form);
        return answer(request, v, id, () -> assistant.chat(v.userId(), id, form.raw("message")));
    }

    @Post(uri = "/confirm", produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> confirm(HttpRequest<?> request, @Nullable @Body String raw) {
        Form form = Form.parse(raw);
        Viewer v = ui.requireWrite(request, form);
        UUID id = conversation(form);
        return answer(request, v, id, () -> assistant.confirm(v.userId(), required(id), form.get("confirmation"),
                "true".equals(form.get("approve"))));
    }

    @Post(uri = "/undo", produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> undo(HttpRequest<?> request, @Nullable @Body String raw) {
        Form form = Form.parse(raw);
        Viewer v = ui.requireWrite(request, form);
        UUID id = conversation(form);
        String error = null;
        String said;
        try {
            int index = Integer.parseInt(form.get("action") == null ? "-1" : form.get("action"));
            JsonNode done = assistant.undo(v.userId(), required(id), index);
            said = "Undone: " + done.path("action").path("summary").asText();
        } catch (NumberFormatException e) {
            said = null;
            error = "There is no such action in this conversation.";
        } catch (ApiException e) {
            said = null;
            error = e.getMessage();
        }
        return respond(request, v, id, error, said);
    }

    @Post(uri = "/delete", produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> delete(HttpRequest<?> request, @Nullable @Body String raw) {
        Form form = Form.parse(raw);
        Viewer v = ui.requireWrite(request, form);
        UUID id = conversation(form);
        String error = null;
        try {
            conversations.delete(v.userId(), required(id));
        } catch (ApiException e) {
            error = e.getMessage();
        }
        String current = form.get("current");
        UUID stay = current == null || current.isBlank() || current.equals(String.valueOf(id)) ? null : parse(current);
        return respond(request, v, stay, error, error == null ? "Conversation deleted." : null);
    }

    private interface Step {
        Assistant.Turn run();
    }

    private HttpResponse<?> answer(HttpRequest<?> request, Viewer v, UUID id, Step step) {
        if (!assistant.configured()) {
            return respond(request, v, id, null, null);
        }
        try {
            Assistant.Turn t = step.run();
            String said = t.confirmation() != null ? t.confirmation().path("summary").asText()
                    : t.error() != null ? t.error() : t.reply();
            return respond(request, v, t.conversationId(), t.error(), said);
        } catch (ApiException e) {
            String message = e.errors().isEmpty() ? e.getMessage()
                    : String.join("; ", e.errors().stream().map(f -> f.field() + ": " + f.message()).toList());
            return respond(request, v, id, message, message);
        }
    }

    /** With htmx the panel's contents (200, so htmx swaps them in, errors shown inside); without, back to the page. */
    private HttpResponse<?> respond(HttpRequest<?> request, Viewer v, UUID id, String error, String said) {
        if (Html.htmx(request)) {
            return Html.page("assistantpanel", panel(v, id, error, said, true));
        }
        if (error != null) {
            return Html.page(HttpStatus.BAD_REQUEST, "assistant", new Page(pages.chrome(v, "Assistant", "assistant"), panel(v, id, error, null, false)));
        }
        return HttpResponse.seeOther(URI.create(id == null ? "/assistant" : "/assistant?c=" + id));
    }

    private Panel panel(Viewer v, UUID id, String error, String said, boolean htmx) {
        List<Conversations.Summary> list = conversations.list(v.userId(), 100);
        if (!assistant.configured()) {
            return new Panel(v.csrf(), false, Assistant.notConfigured().getMessage(), list, null, null, List.of(), List.of(), null,
                    error, said, htmx);
        }
        Conversations.Conversation c = id == null ? null : conversations.find(v.userId(), id).orElse(null);
        if (c == null) {
            return new Panel(v.csrf(), true, null, list, null, null, List.of(), List.of(), null, error, said, htmx);
        }
        List<Message> messages = AssistantController.texts(c).stream().map(m -> new Message(m.get("role"), m.get("text"))).toList();
        List<Action> actions = new ArrayList<>();
        for (int i = 0; i < c.actions().size(); i++) {
            JsonNode a = c.actions().get(i);
            actions.add(new Action(i, a.path("summary").asText(a.path("tool").asText()), a.path("undone").asBoolean(),
                    a.hasNonNull("undo")));
        }
        Pending pending = c.pending() == null ? null : new Pending(c.pending().path("id").asText(), c.pending().path("summary").asText());
        return new Panel(v.csrf(), true, null, list, c.id().toString(), c.title(), messages, actions, pending, error, said, htmx);
    }

    private static UUID conversation(Form form) {
        String c = form.get("conversation");
        return c == null || c.isBlank() ? null : parse(c);
    }

    private static UUID required(UUID id) {
        if (id == null) {
            throw ApiException.notFound("The conversation");
        }
        return id;
    }

    private static UUID parse(String s) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("The conversation");
        }
    }
}
