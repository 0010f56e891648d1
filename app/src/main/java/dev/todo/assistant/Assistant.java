package dev.todo.assistant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.todo.auth.UserRepository;
import dev.todo.events.Via;
import dev.todo.web.ApiException;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The chat: a model behind an OpenAI-compatible endpoint that may only call {@link TaskTools}, as
 * the signed-in user. One turn runs model calls and tool calls in the order the model asks for
 * them until it answers in text. Calls that would change or remove more than
 * {@code confirm-above} existing tasks in one turn wait for the user's confirmation.
 */
@Singleton
public class Assistant {

    private static final Logger LOG = LoggerFactory.getLogger(Assistant.class);
    static final int MAX_MESSAGE = 4000;
    /** Messages of a conversation sent to the model: the newest, starting at a user's message. */
    static final int HISTORY = 60;
    static final Via VIA = new Via("assistant", null);
    /** The executor of the requests that wait on the model (micronaut.executors.assistant). */
    public static final String EXECUTOR = "assistant";
    /** Turns one user may have waiting on the model at once: each holds an {@link #EXECUTOR} thread for up to the timeout. */
    static final int MAX_TURNS_PER_USER = 2;

    /** One answer of the assistant: its text, the actions it took meanwhile, a confirmation it waits for. */
    public record Turn(UUID conversationId, String reply, List<JsonNode> actions, JsonNode confirmation, String error) {
    }

    private final AssistantSettings settings;
    private final TaskTools tools;
    private final Conversations conversations;
    private final UserRepository users;
    private final ObjectMapper mapper;
    private final ChatModel model;
    private final List<ToolSpecification> specifications;
    private final java.util.concurrent.ConcurrentHashMap<UUID, Integer> turns = new java.util.concurrent.ConcurrentHashMap<>();

    public Assistant(AssistantSettings settings, TaskTools tools, Conversations conversations, UserRepository users,
                     ObjectMapper mapper) {
        this.settings = settings;
        this.tools = tools;
        this.conversations = conversations;
        this.users = users;
        this.mapper = mapper;
        this.model = settings.configured() ? OpenAiChatModel.builder()
                .baseUrl(settings.baseUrl())
                .apiKey(settings.apiKey() == null || settings.apiKey().isBlank() ? "none" : settings.apiKey())
                .modelName(settings.model())
                .timeout(settings.timeout())
                .maxRetries(1)
                .build() : null;
        this.specifications = tools.tools().stream().map(t -> ToolSpecification.builder().name(t.name())
                .description(t.description()).parameters((JsonObjectSchema) element(t.inputSchema())).build()).toList();
    }

    public boolean configured() {
        return model != null;
    }

    public String modelName() {
        return settings.model();
    }

    /** Answers {@code message} in a new conversation ({@code conversationId} null) or an existing one. */
    public Turn chat(UUID user, UUID conversationId, String message) {
        requireConfigured();
        if (message == null || message.isBlank()) {
            throw ApiException.invalid("message", "is required");
        }
        if (message.length() > MAX_MESSAGE) {
            throw ApiException.invalid("message", "must be at most " + MAX_MESSAGE + " characters (got " + message.length() + ")");
        }
        Conversations.Conversation conv = conversationId == null
                ? new Conversations.Conversation(UUID.randomUUID(), user, title(message), "[]", mapper.createArrayNode(), null, 0, null, null)
                : conversations.get(user, conversationId);
        if (conv.pending() != null) {
            throw new ApiException(HttpStatus.CONFLICT, "confirmation-pending", "Confirmation pending",
                    "The assistant is waiting for you to confirm or decline an action in this conversation.", List.of());
        }
        List<ChatMessage> messages = new ArrayList<>(ChatMessageDeserializer.messagesFromJson(conv.messages()));
        messages.add(UserMessage.from(message.strip()));
        return run(user, conv, messages, false);
    }

    /** Runs (approve) or refuses the tool calls waiting for confirmation, then lets the model answer. */
    public Turn confirm(UUID user, UUID conversationId, String confirmationId, boolean approve) {
        requireConfigured();
        Conversations.Conversation conv = conversations.get(user, conversationId);
        if (conv.pending() == null || !conv.pending().path("id").asText().equals(confirmationId)) {
            throw ApiException.conflict("confirmationId", "There is no such action waiting for confirmation in this conversation.");
        }
        List<ChatMessage> messages = new ArrayList<>(ChatMessageDeserializer.messagesFromJson(conv.messages()));
        AiMessage asked = (AiMessage) messages.get(messages.size() - 1);
        conv = with(conv, conv.actions(), null);
        List<JsonNode> done = new ArrayList<>();
        if (approve) {
            execute(user, asked.toolExecutionRequests(), messages, conv.actions(), done);
        } else {
            for (ToolExecutionRequest call : asked.toolExecutionRequests()) {
                messages.add(ToolExecutionResultMessage.from(call,
                        "{\"error\":\"Declined\",\"detail\":\"The user declined this action; nothing was changed.\"}"));
            }
        }
        // the confirmation is settled (and approved calls done) even if the model fails next
        Turn next = run(user, conv, messages, true);
        List<JsonNode> all = new ArrayList<>(done);
        all.addAll(next.actions());
        return new Turn(next.conversationId(), next.reply(), all, next.confirmation(), next.error());
    }

    /** Carries out the undo call recorded with action {@code index} of the conversation. */
    public JsonNode undo(UUID user, UUID conversationId, int index) {
        Conversations.Conversation conv = conversations.get(user, conversationId);
        if (index < 0 || index >= conv.actions().size()) {
            throw ApiException.notFound("The action");
        }
        ObjectNode action = (ObjectNode) conv.actions().get(index);
        if (action.path("undone").asBoolean()) {
            throw new ApiException(HttpStatus.CONFLICT, "already-undone", "Already undone", "This action was undone before.", List.of());
        }
        JsonNode undo = action.get("undo");
        if (undo == null || undo.isNull()) {
            throw new ApiException(HttpStatus.CONFLICT, "no-undo", "Cannot be undone", "This action has no undo.", List.of());
        }
        TaskTools.Result r = tools.call(user, VIA, undo.get("tool").asText(), undo.get("arguments"));
        if (r.error()) {
            throw new ApiException(HttpStatus.CONFLICT, "undo-failed", "Undo failed", "The undo was refused: " + r.json(), List.of());
        }
        ArrayNode actions = conv.actions().deepCopy();
        ((ObjectNode) actions.get(index)).put("undone", true);
        conversations.save(with(conv, actions, conv.pending()));
        ObjectNode out = mapper.createObjectNode();
        out.set("action", actions.get(index));
        out.set("result", read(r.json()));
        return out;
    }

    private Turn run(UUID user, Conversations.Conversation conv, List<ChatMessage> messages, boolean mustSave) {
        if (turns.merge(user, 1, Integer::sum) > MAX_TURNS_PER_USER) {
            release(user);
            if (mustSave) {
                // a confirmation was settled: keep it, and let the model answer on the next message
                conversations.save(with(conv, messages, conv.actions(), null));
            }
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "assistant-busy", "Assistant busy",
                    "The assistant is still answering " + MAX_TURNS_PER_USER + " of your messages; wait for them.", List.of());
        }
        try {
            return runTurn(user, conv, messages, mustSave);
        } finally {
            release(user);
        }
    }

    private void release(UUID user) {
        turns.computeIfPresent(user, (u, n) -> n <= 1 ? null : n - 1);
    }

    private Turn runTurn(UUID user, Conversations.Conversation conv, List<ChatMessage> messages, boolean mustSave) {
        ArrayNode actions = conv.actions().deepCopy();
        List<JsonNode> taken = new ArrayList<>();
        int changed = 0;
        for (int step = 0; step < settings.maxSteps(); step++) {
            AiMessage answer;
            try {
                List<ChatMessage> request = new ArrayList<>();
                request.add(SystemMessage.from(instructions(user)));
                request.addAll(window(messages, HISTORY));
                answer = model.chat(ChatRequest.builder().messages(request).toolSpecifications(specifications).build()).aiMessage();
            } catch (RuntimeException e) {
                LOG.warn("The assistant's model endpoint failed for user {}: {}", user, e.toString());
                String why = "The assistant's model could not be reached or failed (" + reason(e) + ").";
                if (taken.isEmpty() && step == 0 && !mustSave) {
                    throw new ApiException(HttpStatus.BAD_GATEWAY, "assistant-unavailable", "Assistant unavailable",
                            why + " Nothing was changed; try again later.", List.of());
                }
                String reply = why + (taken.isEmpty() ? " Nothing was changed." : " The actions listed were done before it stopped.");
                messages.add(AiMessage.from(reply));
                Conversations.Conversation saved = conversations.save(with(conv, messages, actions, null));
                return new Turn(saved.id(), reply, taken, null, "assistant-unavailable");
            }
            messages.add(answer);
            if (!answer.hasToolExecutionRequests()) {
                String reply = answer.text() == null ? "" : answer.text();
                Conversations.Conversation saved = conversations.save(with(conv, messages, actions, null));
                return new Turn(saved.id(), reply, taken, null, null);
            }
            int wouldChange = answer.toolExecutionRequests().stream()
                    .mapToInt(c -> tools.tasksChanged(c.name(), read(c.arguments()))).sum();
            if (changed + wouldChange > settings.confirmAbove()) {
                ObjectNode pending = confirmation(answer.toolExecutionRequests(), changed + wouldChange);
                String reply = pending.get("summary").asText();
                Conversations.Conversation saved = conversations.save(with(conv, messages, actions, pending));
                return new Turn(saved.id(), reply, taken, pending, null);
            }
            changed += execute(user, answer.toolExecutionRequests(), messages, actions, taken);
        }
        String reply = "I stopped after " + settings.maxSteps() + " steps without finishing; tell me how to continue.";
        messages.add(AiMessage.from(reply));
        Conversations.Conversation saved = conversations.save(with(conv, messages, actions, null));
        return new Turn(saved.id(), reply, taken, null, "too-many-steps");
    }

    /** Runs the calls in order, feeding each result (or error) back; returns how many tasks they changed. */
    private int execute(UUID user, List<ToolExecutionRequest> calls, List<ChatMessage> messages, ArrayNode actions,
                        List<JsonNode> taken) {
        int changed = 0;
        for (ToolExecutionRequest call : calls) {
            JsonNode args = read(call.arguments());
            TaskTools.Result r = args == null
                    ? new TaskTools.Result(true, "{\"error\":\"Malformed request\",\"detail\":\"The arguments are not JSON.\"}", List.of())
                    : tools.call(user, VIA, call.name(), args);
            messages.add(ToolExecutionResultMessage.from(call, r.json()));
            if (!r.error()) {
                changed += tools.tasksChanged(call.name(), args);
            }
            for (TaskTools.Action a : r.actions()) {
                ObjectNode entry = mapper.valueToTree(a);
                entry.put("index", actions.size());
                entry.put("undone", false);
                actions.add(entry);
                taken.add(entry);
            }
        }
        return changed;
    }

    private ObjectNode confirmation(List<ToolExecutionRequest> calls, int tasks) {
        ObjectNode pending = mapper.createObjectNode();
        pending.put("id", UUID.randomUUID().toString());
        pending.put("tasks", tasks);
        ArrayNode list = pending.putArray("calls");
        for (ToolExecutionRequest call : calls) {
            ObjectNode c = list.addObject();
            c.put("tool", call.name());
            c.set("arguments", read(call.arguments()));
        }
        pending.put("summary", "This would change or remove " + tasks + " tasks (more than " + settings.confirmAbove()
                + " in one go), so I need your confirmation first: " + describe(calls) + ". Confirm or decline.");
        return pending;
    }

    private static String describe(List<ToolExecutionRequest> calls) {
        Map<String, Integer> count = new LinkedHashMap<>();
        calls.forEach(c -> count.merge(c.name(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        count.forEach((name, n) -> parts.add(n + " × " + name));
        return String.join(", ", parts);
    }

    private String instructions(UUID user) {
        ZoneId zone = ZoneId.of(users.findTimeZone(user).orElse("UTC"));
        ZonedDateTime now = ZonedDateTime.now(zone).withNano(0);
        return "You manage the user's tasks in a task app, only through the tools given. Now is "
                + now.toOffsetDateTime() + " (" + now.getDayOfWeek() + ", " + LocalDate.now(zone) + "), the user's time zone is "
                + zone.getId() + ". Give dates to tools as ISO-8601 with the offset of that zone. Look tasks up (list_tasks, "
                + "agenda) before changing them; never invent ids. When a tool answers with an error, tell the user what "
                + "was refused and why. Keep replies short and say what you did.";
    }

    /**
     * The newest messages, at most about {@code size}, starting at a user's message so that no tool
     * result is sent without the call it answers.
     */
    static List<ChatMessage> window(List<ChatMessage> all, int size) {
        if (all.size() <= size) {
            return all;
        }
        for (int i = all.size() - size; i < all.size(); i++) {
            if (all.get(i) instanceof UserMessage) {
                return all.subList(i, all.size());
            }
        }
        for (int i = all.size() - size - 1; i >= 0; i--) {
            if (all.get(i) instanceof UserMessage) {
                return all.subList(i, all.size());
            }
        }
        return all;
    }

    private void requireConfigured() {
        if (model == null) {
            throw notConfigured();
        }
    }

    public static ApiException notConfigured() {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "assistant-not-configured", "Assistant not set up",
                "The assistant is not set up on this server: its operator sets TODO_ASSISTANT_BASE_URL and "
                        + "TODO_ASSISTANT_MODEL (and TODO_ASSISTANT_API_KEY if the endpoint needs one).", List.of());
    }

    private Conversations.Conversation with(Conversations.Conversation c, List<ChatMessage> messages, ArrayNode actions, JsonNode pending) {
        return new Conversations.Conversation(c.id(), c.userId(), c.title(), ChatMessageSerializer.messagesToJson(messages),
                actions, pending, c.version(), c.createdAt(), c.updatedAt());
    }

    private Conversations.Conversation with(Conversations.Conversation c, ArrayNode actions, JsonNode pending) {
        return new Conversations.Conversation(c.id(), c.userId(), c.title(), c.messages(), actions, pending, c.version(),
                c.createdAt(), c.updatedAt());
    }

    private static String title(String message) {
        String t = message.strip().replaceAll("\\s+", " ");
        return t.length() > 80 ? t.substring(0, 79) + "…" : t;
    }

    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getClass().getSimpleName() + ": " + root.getMessage();
        return m.length() > 200 ? m.substring(0, 200) : m;
    }

    private JsonNode read(String json) {
        try {
            return json == null || json.isBlank() ? mapper.createObjectNode() : mapper.readTree(json);
        } catch (IOException e) {
            return null;
        }
    }

    /** The tool's input schema in LangChain4j's model (the subset {@link Schema} builds). */
    static JsonSchemaElement element(JsonNode s) {
        String description = s.path("description").asText(null);
        if (s.has("enum")) {
            List<String> values = new ArrayList<>();
            s.get("enum").forEach(v -> values.add(v.asText()));
            return JsonEnumSchema.builder().description(description).enumValues(values).build();
        }
        return switch (s.path("type").asText()) {
            case "object" -> {
                JsonObjectSchema.Builder b = JsonObjectSchema.builder().description(description);
                s.path("properties").fields().forEachRemaining(p -> b.addProperty(p.getKey(), element(p.getValue())));
                List<String> required = new ArrayList<>();
                s.path("required").forEach(r -> required.add(r.asText()));
                yield b.required(required).additionalProperties(false).build();
            }
            case "array" -> JsonArraySchema.builder().description(description).items(element(s.get("items"))).build();
            case "integer" -> JsonIntegerSchema.builder().description(description).build();
            case "boolean" -> JsonBooleanSchema.builder().description(description).build();
            default -> JsonStringSchema.builder().description(description).build();
        };
    }
}
