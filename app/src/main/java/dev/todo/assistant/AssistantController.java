package dev.todo.assistant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.UserMessage;
import dev.todo.auth.CurrentUser;
import dev.todo.web.ApiException;
import dev.todo.web.JsonBody;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The chat API a panel talks to: send a message, confirm or decline a large change, undo an
 * action, list and delete conversations. Every answer lists the actions taken, each with its undo.
 */
@Controller("/api/assistant")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(Assistant.EXECUTOR) // turns wait on the model
public class AssistantController {

    private final Assistant assistant;
    private final Conversations conversations;
    private final ObjectMapper mapper;

    public AssistantController(Assistant assistant, Conversations conversations, ObjectMapper mapper) {
        this.assistant = assistant;
        this.conversations = conversations;
        this.mapper = mapper;
    }

    /** Whether the assistant is set up, so a panel can say so before the user types. */
    @Get
    public Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("configured", assistant.configured());
        out.put("model", assistant.configured() ? assistant.modelName() : null);
        return out;
    }

    @Post("/chat")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> chat(Authentication auth, @Body String raw) {
        if (!assistant.configured()) {
            throw Assistant.notConfigured();
        }
        JsonBody body = JsonBody.parse(mapper, raw, Set.of("message", "conversationId"));
        String message = body.string("message").orElse(null);
        String conversation = body.string("conversationId").orElse(null);
        body.validate();
        UUID id = conversation == null ? null : dev.todo.web.Ids.parse(conversation, "The conversation");
        return view(assistant.chat(CurrentUser.id(auth), id, message));
    }

    @Post("/conversations/{id}/confirm")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> confirm(Authentication auth, @PathVariable String id, @Body String raw) {
        JsonBody body = JsonBody.parse(mapper, raw, Set.of("confirmationId", "approve"));
        String confirmation = body.string("confirmationId").orElse(null);
        Boolean approve = body.bool("approve").orElse(null);
        if (confirmation == null && !body.hasErrors()) {
            body.error("confirmationId", "is required");
        }
        if (approve == null && !body.hasErrors()) {
            body.error("approve", "is required: true to go ahead, false to decline");
        }
        body.validate();
        return view(assistant.confirm(CurrentUser.id(auth), conversationId(id), confirmation, approve));
    }

    @Post("/conversations/{id}/actions/{index}/undo")
    public JsonNode undo(Authentication auth, @PathVariable String id, @PathVariable String index) {
        return assistant.undo(CurrentUser.id(auth), conversationId(id), dev.todo.web.Ids.index(index, "The action"));
    }

    @Get("/conversations")
    public Map<String, Object> list(Authentication auth) {
        return Map.of("items", conversations.list(CurrentUser.id(auth), 100));
    }

    /** The conversation as a panel shows it: the user's and the assistant's texts, the actions, a pending confirmation. */
    @Get("/conversations/{id}")
    public Map<String, Object> get(Authentication auth, @PathVariable String id) {
        Conversations.Conversation c = conversations.get(CurrentUser.id(auth), conversationId(id));
        List<Map<String, String>> messages = texts(c);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", c.id());
        out.put("title", c.title());
        out.put("createdAt", c.createdAt());
        out.put("updatedAt", c.updatedAt());
        out.put("messages", messages);
        out.put("actions", c.actions());
        out.put("confirmation", c.pending());
        return out;
    }

    /** The user's and the assistant's texts of a conversation, in order (tool calls and results left out). */
    public static List<Map<String, String>> texts(Conversations.Conversation c) {
        List<Map<String, String>> messages = new ArrayList<>();
        for (ChatMessage m : ChatMessageDeserializer.messagesFromJson(c.messages())) {
            if (m instanceof UserMessage u && u.hasSingleText()) {
                messages.add(Map.of("role", "user", "text", u.singleText()));
            } else if (m instanceof AiMessage a && a.text() != null && !a.text().isBlank()) {
                messages.add(Map.of("role", "assistant", "text", a.text()));
            }
        }
        return messages;
    }

    @Delete("/conversations/{id}")
    public HttpResponse<Void> delete(Authentication auth, @PathVariable String id) {
        conversations.delete(CurrentUser.id(auth), conversationId(id));
        return HttpResponse.noContent();
    }

    private static UUID conversationId(String id) {
        return dev.todo.web.Ids.parse(id, "The conversation");
    }

    private static Map<String, Object> view(Assistant.Turn turn) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("conversationId", turn.conversationId());
        out.put("reply", turn.reply());
        out.put("actions", turn.actions());
        out.put("confirmation", turn.confirmation());
        if (turn.error() != null) {
            out.put("error", turn.error());
        }
        return out;
    }
}
