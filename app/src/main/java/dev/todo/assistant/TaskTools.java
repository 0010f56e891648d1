package dev.todo.assistant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.todo.activity.ActivityController;
import dev.todo.auth.UserRepository;
import dev.todo.events.Via;
import dev.todo.reminders.NotificationService;
import dev.todo.reminders.Reminder;
import dev.todo.tasks.Task;
import dev.todo.tasks.TagService;
import dev.todo.tasks.TaskChanges;
import dev.todo.tasks.TaskQuery;
import dev.todo.tasks.TaskService;
import dev.todo.web.ApiException;
import dev.todo.web.FieldError;
import dev.todo.web.JsonBody;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.todo.assistant.Schema.array;
import static dev.todo.assistant.Schema.bool;
import static dev.todo.assistant.Schema.dateTime;
import static dev.todo.assistant.Schema.integer;
import static dev.todo.assistant.Schema.oneOf;
import static dev.todo.assistant.Schema.string;

/**
 * The task tools a model may call, defined once for MCP clients and the chat. Each one calls the
 * same services and parsing as the REST API, so a tool accepts and refuses exactly what the API
 * does, with the API's field messages. Results are compact JSON (empty and default fields left out).
 */
@Singleton
public class TaskTools {

    private static final Logger LOG = LoggerFactory.getLogger(TaskTools.class);
    static final int MAX_BATCH = 50;

    /** What a tool does to existing tasks: the chat asks the user before a large CHANGE. */
    public enum Effect { READ, ADD, CHANGE }

    /** One action taken, with the call that reverses it (null when none can). */
    public record Action(String tool, String taskId, String summary, Undo undo) {
    }

    public record Undo(String tool, Map<String, Object> arguments) {
    }

    /** The outcome of one call: its JSON text for the model, whether it failed, what it changed. */
    public record Result(boolean error, String json, List<Action> actions) {
    }

    public record Tool(String name, String title, String description, ObjectNode inputSchema, Effect effect) {
    }

    private record Done(Object value, List<Action> actions) {
        static Done read(Object value) {
            return new Done(value, List.of());
        }
    }

    @FunctionalInterface
    private interface Handler {
        Done call(UUID user, JsonNode args);
    }

    private record Entry(Tool tool, Handler handler) {
    }

    private final TaskService tasks;
    private final TagService tags;
    private final NotificationService notifications;
    private final UserRepository users;
    private final ActivityController stats;
    private final ObjectMapper mapper;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    public TaskTools(TaskService tasks, TagService tags, NotificationService notifications, UserRepository users,
                     ActivityController stats, ObjectMapper mapper) {
        this.tasks = tasks;
        this.tags = tags;
        this.notifications = notifications;
        this.users = users;
        this.stats = stats;
        this.mapper = mapper;
        define();
    }

    public List<Tool> tools() {
        return entries.values().stream().map(Entry::tool).toList();
    }

    public Tool tool(String name) {
        Entry e = entries.get(name);
        return e == null ? null : e.tool();
    }

    /**
     * Calls a tool as {@code user}; the events it writes carry {@code via}. A refusal (bad argument,
     * missing task, version conflict) is a result with {@code error} set, never an exception.
     */
    public Result call(UUID user, Via via, String name, JsonNode args) {
        Entry entry = entries.get(name);
        if (entry == null) {
            return error(new ApiException(io.micronaut.http.HttpStatus.NOT_FOUND, "unknown-tool", "Unknown tool",
                    "There is no tool named '" + name + "'; available are " + String.join(", ", entries.keySet()), List.of()));
        }
        JsonNode input = args == null || args.isNull() ? mapper.createObjectNode() : args;
        try {
            Done done = via.during(() -> entry.handler().call(user, input));
            return new Result(false, json(done.value()), done.actions());
        } catch (ApiException e) {
            return error(e);
        } catch (RuntimeException e) {
            LOG.warn("Tool {} failed for user {}", name, user, e);
            return new Result(true, json(Map.of("error", "Internal error", "detail",
                    "The server could not complete this call; nothing was changed.")), List.of());
        }
    }

    /** How many existing tasks a call would change or remove (0 for reads and additions). */
    public int tasksChanged(String name, JsonNode args) {
        Entry entry = entries.get(name);
        if (entry == null || entry.tool().effect() != Effect.CHANGE) {
            return 0;
        }
        JsonNode ids = args == null ? null : args.get("ids");
        return ids != null && ids.isArray() ? ids.size() : 1;
    }

    private Result error(ApiException e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", e.title());
        out.put("status", e.status().getCode());
        out.put("detail", e.getMessage());
        if (!e.errors().isEmpty()) {
            out.put("errors", e.errors());
        }
        return new Result(true, json(out), List.of());
    }

    String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- definitions -------------------------------------------------------------------------

    private void add(String name, String title, Effect effect, String description, ObjectNode schema, Handler handler) {
        entries.put(name, new Entry(new Tool(name, title, description, schema, effect), handler));
    }

    private static final String DATE_TIME = "ISO-8601 date-time with offset, e.g. 2026-03-29T18:00:00+02:00";

    private static Schema taskFields() {
        return Schema.object()
                .property("title", string("Short title of the task (1-500 characters)."))
                .property("description", string("Longer notes; null or empty removes them."))
                .property("priority", oneOf("Priority; default none.", "none", "low", "medium", "high", "urgent"))
                .property("tags", array("Tag names without '#', e.g. [\"home\"]; replaces all tags of the task.",
                        string("A tag name (1-50 characters)."), TaskChanges.MAX_TAGS))
                .property("dueAt", dateTime("When the task is due, " + DATE_TIME + ". null removes the due date."))
                .property("timeZone", string("IANA zone the task lives in, e.g. Europe/Berlin; default the user's zone."))
                .property("allDay", bool("True when only the date of dueAt counts (no time of day)."))
                .property("recurrence", Schema.object()
                        .property("every", oneOf("Simple form: the unit of repetition.", "day", "week", "month", "year"))
                        .property("interval", integer("Simple form: every N units; default 1.", 1, 1000))
                        .property("on", array("Simple form, weekly: days, e.g. [\"MO\",\"TH\"].",
                                oneOf("A weekday.", "MO", "TU", "WE", "TH", "FR", "SA", "SU"), 7))
                        .property("rule", string("Instead of the simple form: an RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=SU."))
                        .property("from", oneOf("Next occurrence counted from the due date (default) or from completion.", "due", "completion"))
                        .describe("Makes the task repeat (needs dueAt, the first occurrence). null stops it repeating."))
                .property("reminders", array("Reminders; replaces all reminders of the task.", Schema.object()
                        .property("before", string("ISO-8601 duration before dueAt, e.g. PT15M or P1D."))
                        .property("at", dateTime("An absolute time, " + DATE_TIME + "."))
                        .describe("Exactly one of before or at."), TaskChanges.MAX_REMINDERS));
    }

    private static ObjectNode idOnly(String what) {
        return Schema.object().property("id", string(what)).required("id").build();
    }

    private static ObjectNode idWithVersion(String what) {
        return Schema.object().property("id", string(what))
                .property("expectedVersion", integer("Optional: the task's version as last read; the call is refused if it changed since.", 1, Integer.MAX_VALUE))
                .required("id").build();
    }

    private void define() {
        add("add_task", "Add a task", Effect.ADD,
                "Creates one task for the user. Only title is required. Dates are ISO-8601 with an offset; when the user "
                        + "says a time without a zone, use the user's zone (see agenda's timeZone). Returns the new task.",
                Schema.object().with(taskFields()).required("title").build(),
                (user, args) -> {
                    Task t = tasks.create(user, TaskChanges.read(body(args, TaskChanges.FIELDS), true));
                    return new Done(compact(t), List.of(added(t)));
                });

        add("add_tasks", "Add several tasks", Effect.ADD,
                "Creates up to " + MAX_BATCH + " tasks in one call, each with the same fields as add_task. Each item is "
                        + "created or refused on its own: the result lists, per item in order, the task or the error.",
                Schema.object().property("tasks", array("The tasks to create.",
                        Schema.object().with(taskFields()).required("title").describe("A task, as for add_task."), MAX_BATCH))
                        .required("tasks").build(),
                (user, args) -> {
                    List<JsonNode> items = list(args, "tasks", Set.of("tasks"));
                    List<Map<String, Object>> out = new ArrayList<>();
                    List<Action> actions = new ArrayList<>();
                    for (int i = 0; i < items.size(); i++) {
                        Map<String, Object> item = new LinkedHashMap<>();
                        item.put("index", i);
                        try {
                            Task t = tasks.create(user, TaskChanges.read(body(items.get(i), TaskChanges.FIELDS), true));
                            item.put("task", compact(t));
                            actions.add(added(t));
                        } catch (ApiException e) {
                            item.put("error", e.getMessage());
                            item.put("errors", prefixed(e.errors(), "tasks[" + i + "]."));
                        }
                        out.add(item);
                    }
                    return new Done(Map.of("created", actions.size(), "failed", items.size() - actions.size(), "items", out), actions);
                });

        add("list_tasks", "List tasks", Effect.READ,
                "Lists the user's tasks with the filters of the REST API (GET /api/tasks), one page at a time. By default "
                        + "open tasks ordered by due date. Pass nextCursor of a result as cursor to get the next page.",
                Schema.object()
                        .property("q", string("Full-text search in title and description."))
                        .property("status", oneOf("Default open.", "open", "completed", "all"))
                        .property("priority", array("Only these priorities.", oneOf("A priority.", "none", "low", "medium", "high", "urgent"), 5))
                        .property("tag", array("Only tasks carrying all these tags.", string("A tag name."), 20))
                        .property("noTags", bool("Only tasks without tags."))
                        .property("dueBefore", dateTime("Due strictly before this instant, " + DATE_TIME + "."))
                        .property("dueAfter", dateTime("Due at or after this instant, " + DATE_TIME + "."))
                        .property("overdue", bool("Only open tasks whose due time has passed (true) or the others (false)."))
                        .property("hasDue", bool("Only tasks with (true) or without (false) a due date."))
                        .property("seriesId", string("Only occurrences of this recurring series."))
                        .property("sort", string("Comma list of dueAt, priority, createdAt, updatedAt, title; '-' prefix for descending."))
                        .property("limit", integer("Page size, default 50.", 1, TaskQuery.MAX_LIMIT))
                        .property("cursor", string("nextCursor of the previous page."))
                        .build(),
                (user, args) -> {
                    TaskService.Page page = tasks.list(user, TaskQuery.parse(queryParams(args)));
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("items", page.items().stream().map(this::compact).toList());
                    if (page.nextCursor() != null) {
                        out.put("nextCursor", page.nextCursor());
                    }
                    return Done.read(out);
                });

        add("get_task", "Get a task", Effect.READ, "Returns one task with all its fields, reminders and recurrence.",
                idOnly("The task's id."),
                (user, args) -> Done.read(compact(tasks.get(user, id(body(args, Set.of("id")), args)))));

        Set<String> updateFields = new HashSet<>(TaskChanges.FIELDS);
        updateFields.remove("completed");
        updateFields.addAll(Set.of("id", "expectedVersion"));
        add("update_task", "Change a task", Effect.CHANGE,
                "Changes the given fields of a task and leaves the others as they are (JSON merge patch: null removes "
                        + "description, dueAt or recurrence). To complete or reopen use complete_task / reopen_task.",
                Schema.object().property("id", string("The task's id."))
                        .property("expectedVersion", integer("Optional: the version last read; refused if the task changed since.", 1, Integer.MAX_VALUE))
                        .with(taskFields()).required("id").build(),
                (user, args) -> {
                    JsonBody body = body(args, updateFields);
                    UUID id = id(body, args);
                    Integer expected = body.integer("expectedVersion").orElse(null);
                    TaskChanges changes = TaskChanges.read(body, false);
                    Task before = tasks.get(user, id);
                    Task after = tasks.patch(user, id, changes, expected);
                    if (after.version() == before.version()) {
                        return Done.read(compact(after)); // nothing differed: nothing to report or undo
                    }
                    return new Done(compact(after), List.of(new Action("update_task", id.toString(),
                            "Changed \"" + after.title() + "\"", new Undo("update_task", revert(before, after)))));
                });

        add("complete_task", "Complete a task", Effect.CHANGE,
                "Marks a task done. For a recurring task the next occurrence is created automatically.",
                idWithVersion("The task's id."),
                (user, args) -> {
                    JsonBody body = body(args, Set.of("id", "expectedVersion"));
                    UUID id = id(body, args);
                    Task t = tasks.setCompleted(user, id, true, body.integer("expectedVersion").orElse(null));
                    return new Done(compact(t), List.of(new Action("complete_task", id.toString(),
                            "Completed \"" + t.title() + "\"", new Undo("reopen_task", Map.of("id", id.toString())))));
                });

        add("complete_tasks", "Complete several tasks", Effect.CHANGE,
                "Marks up to " + MAX_BATCH + " tasks done in one call; reports per id whether it worked.",
                Schema.object().property("ids", array("Ids of the tasks to complete.", string("A task id."), MAX_BATCH))
                        .required("ids").build(),
                (user, args) -> {
                    List<JsonNode> ids = list(args, "ids", Set.of("ids"));
                    List<Map<String, Object>> out = new ArrayList<>();
                    List<Action> actions = new ArrayList<>();
                    for (int i = 0; i < ids.size(); i++) {
                        Map<String, Object> item = new LinkedHashMap<>();
                        item.put("id", ids.get(i).asText());
                        try {
                            if (!ids.get(i).isTextual()) {
                                throw ApiException.invalid("ids[" + i + "]", "must be a string");
                            }
                            UUID id = dev.todo.web.Ids.parse(ids.get(i).asText(), "The task");
                            Task t = tasks.setCompleted(user, id, true, null);
                            item.put("completed", true);
                            actions.add(new Action("complete_task", id.toString(), "Completed \"" + t.title() + "\"",
                                    new Undo("reopen_task", Map.of("id", id.toString()))));
                        } catch (ApiException e) {
                            item.put("error", e.getMessage());
                        }
                        out.add(item);
                    }
                    return new Done(Map.of("completed", actions.size(), "failed", ids.size() - actions.size(), "items", out), actions);
                });

        add("reopen_task", "Reopen a task", Effect.CHANGE, "Marks a completed task as not done again.",
                idWithVersion("The task's id."),
                (user, args) -> {
                    JsonBody body = body(args, Set.of("id", "expectedVersion"));
                    UUID id = id(body, args);
                    Task t = tasks.setCompleted(user, id, false, body.integer("expectedVersion").orElse(null));
                    return new Done(compact(t), List.of(new Action("reopen_task", id.toString(),
                            "Reopened \"" + t.title() + "\"", new Undo("complete_task", Map.of("id", id.toString())))));
                });

        add("delete_task", "Delete a task", Effect.CHANGE,
                "Deletes a task for good. Prefer complete_task when the user did it.",
                idWithVersion("The task's id."),
                (user, args) -> {
                    JsonBody body = body(args, Set.of("id", "expectedVersion"));
                    UUID id = id(body, args);
                    Task t = tasks.get(user, id);
                    tasks.delete(user, id, body.integer("expectedVersion").orElse(null));
                    return new Done(Map.of("deleted", id.toString(), "title", t.title()), List.of(new Action("delete_task",
                            id.toString(), "Deleted \"" + t.title() + "\"", new Undo("add_task", recreate(t)))));
                });

        add("skip_occurrence", "Skip an occurrence", Effect.CHANGE,
                "Closes this occurrence of a recurring task without doing it; the next occurrence follows as usual.",
                idWithVersion("The id of the recurring task's current occurrence."),
                (user, args) -> {
                    JsonBody body = body(args, Set.of("id", "expectedVersion"));
                    UUID id = id(body, args);
                    Task t = tasks.skip(user, id, body.integer("expectedVersion").orElse(null));
                    return new Done(compact(t), List.of(new Action("skip_occurrence", id.toString(),
                            "Skipped this occurrence of \"" + t.title() + "\"", new Undo("reopen_task", Map.of("id", id.toString())))));
                });

        add("preview_occurrences", "Preview occurrences", Effect.READ,
                "The next due dates of a recurring task after its current occurrence, in the task's zone.",
                Schema.object().property("id", string("The recurring task's id."))
                        .property("count", integer("How many, default 5.", 1, 100)).required("id").build(),
                (user, args) -> {
                    JsonBody body = body(args, Set.of("id", "count"));
                    UUID id = id(body, args);
                    int count = body.integer("count").orElse(5);
                    if (count < 1 || count > 100) {
                        throw ApiException.invalid("count", "must be an integer between 1 and 100; got " + count);
                    }
                    var plan = tasks.occurrences(user, id, count);
                    var items = plan.items().stream()
                            .map(z -> DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(z.toOffsetDateTime())).toList();
                    // fewer than asked for: why the series ends there, as the REST API says it
                    return Done.read(plan.ended() == null ? Map.of("items", items) : Map.of("items", items, "ended", plan.ended()));
                });

        add("add_reminder", "Add a reminder", Effect.CHANGE,
                "Adds one reminder to a task, keeping its other reminders: either 'before' its due time or 'at' a time.",
                Schema.object().property("id", string("The task's id."))
                        .property("before", string("ISO-8601 duration before the due time, e.g. PT15M, PT1H, P1D."))
                        .property("at", dateTime("An absolute time, " + DATE_TIME + "."))
                        .required("id").build(),
                (user, args) -> {
                    JsonBody body = body(args, Set.of("id", "before", "at"));
                    UUID id = id(body, args);
                    Task t = tasks.get(user, id);
                    ObjectNode patch = mapper.createObjectNode();
                    ArrayNode list = patch.putArray("reminders");
                    t.reminders().forEach(r -> list.add(mapper.valueToTree(reminderSpec(r))));
                    ObjectNode added = list.addObject();
                    if (args.has("before")) {
                        added.set("before", args.get("before"));
                    }
                    if (args.has("at")) {
                        added.set("at", args.get("at"));
                    }
                    // the API's checks name reminders[n].before; the caller gave plain before/at
                    TaskChanges changes;
                    try {
                        changes = TaskChanges.read(body(patch, TaskChanges.FIELDS), false);
                    } catch (ApiException e) {
                        throw ApiException.invalid(e.errors().stream().map(f -> new FieldError(
                                f.field().replaceFirst("^reminders\\[\\d+]\\.", ""), f.message())).toList());
                    }
                    Task after = tasks.patch(user, id, changes, null);
                    Map<String, Object> previous = new LinkedHashMap<>();
                    previous.put("id", id.toString());
                    previous.put("reminders", t.reminders().stream().map(TaskTools::reminderSpec).toList());
                    return new Done(compact(after), List.of(new Action("add_reminder", id.toString(),
                            "Added a reminder to \"" + after.title() + "\"", new Undo("update_task", previous))));
                });

        add("list_notifications", "List notifications", Effect.READ,
                "The user's reminder notifications, newest first.",
                Schema.object().property("unread", bool("Only unread ones."))
                        .property("limit", integer("How many, default 20.", 1, 200)).build(),
                (user, args) -> {
                    JsonBody body = body(args, Set.of("unread", "limit"));
                    int limit = body.integer("limit").orElse(20);
                    if (limit < 1 || limit > 200) {
                        body.error("limit", "must be an integer between 1 and 200; got " + limit);
                    }
                    boolean unread = body.bool("unread").orElse(false);
                    body.validate();
                    return Done.read(Map.of("items", notifications.list(user, unread, limit).stream()
                            .map(n -> withoutEmpty(mapper.valueToTree(n.view()))).toList()));
                });

        add("list_tags", "List tags", Effect.READ, "The user's tags with their colour and number of open tasks.",
                Schema.object().build(),
                (user, args) -> {
                    body(args, Set.of()).validate();
                    return Done.read(Map.of("items", tags.list(user).stream().map(TagService.Tag::view).toList()));
                });

        add("completion_stats", "Completion statistics", Effect.READ,
                "How many tasks the user completed per day or week in the user's zone; default the last 7 days by day.",
                Schema.object().property("from", dateTime("Start, " + DATE_TIME + "; default 7 days ago."))
                        .property("to", dateTime("End (exclusive), " + DATE_TIME + "; default now."))
                        .property("bucket", oneOf("Default day.", "day", "week")).build(),
                (user, args) -> {
                    JsonBody body = body(args, Set.of("from", "to", "bucket"));
                    body.validate();
                    ZonedDateTime now = ZonedDateTime.now(zone(user));
                    String from = args.hasNonNull("from") ? args.get("from").asText()
                            : now.toLocalDate().minusDays(6).atStartOfDay(now.getZone()).toOffsetDateTime().toString();
                    String to = args.hasNonNull("to") ? args.get("to").asText() : now.toOffsetDateTime().toString();
                    io.micronaut.http.MutableHttpRequest<?> query = HttpRequest.GET("/api/stats/completed");
                    query.getParameters().add("from", from).add("to", to);
                    if (args.hasNonNull("bucket")) {
                        query.getParameters().add("bucket", args.get("bucket").asText());
                    }
                    return Done.read(stats.completed(Authentication.build(user.toString()), query));
                });

        add("agenda", "Agenda", Effect.READ,
                "The user's open tasks that are overdue (due before today), due today, and due in the next 7 days, "
                        + "in the user's time zone, with today's date and the zone. A good first call.",
                Schema.object().build(),
                (user, args) -> {
                    body(args, Set.of()).validate();
                    return Done.read(agenda(user));
                });
    }

    /** Open tasks overdue, due today and due in the 7 days after today, in the user's zone. */
    public Map<String, Object> agenda(UUID user) {
        ZoneId zone = zone(user);
        LocalDate today = LocalDate.now(zone);
        String startOfToday = today.atStartOfDay(zone).toOffsetDateTime().toString();
        String startOfTomorrow = today.plusDays(1).atStartOfDay(zone).toOffsetDateTime().toString();
        String weekEnd = today.plusDays(8).atStartOfDay(zone).toOffsetDateTime().toString();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("timeZone", zone.getId());
        out.put("today", today.toString());
        out.put("now", ZonedDateTime.now(zone).withNano(0).toOffsetDateTime().toString());
        out.put("overdue", section(user, Map.of("dueBefore", List.of(startOfToday))));
        out.put("dueToday", section(user, Map.of("dueAfter", List.of(startOfToday), "dueBefore", List.of(startOfTomorrow))));
        out.put("next7Days", section(user, Map.of("dueAfter", List.of(startOfTomorrow), "dueBefore", List.of(weekEnd))));
        return out;
    }

    private List<Map<String, Object>> section(UUID user, Map<String, List<String>> params) {
        Map<String, List<String>> p = new LinkedHashMap<>(params);
        p.put("limit", List.of(String.valueOf(TaskQuery.MAX_LIMIT)));
        return tasks.list(user, TaskQuery.parse(p)).items().stream().map(this::compact).toList();
    }

    // ---- arguments -------------------------------------------------------------------------

    private JsonBody body(JsonNode args, Set<String> allowed) {
        if (!args.isObject()) {
            throw ApiException.malformed("The arguments must be a JSON object.");
        }
        return JsonBody.parse(mapper, json(args), allowed);
    }

    private static UUID id(JsonBody body, JsonNode args) {
        String id = body.string("id").orElse(null);
        if (id == null && !body.hasErrors()) {
            body.error("id", "is required");
        }
        body.validate();
        return dev.todo.web.Ids.parse(id.strip(), "The task");
    }

    private List<JsonNode> list(JsonNode args, String field, Set<String> allowed) {
        JsonBody body = body(args, allowed);
        JsonNode v = args.get(field);
        if (v == null || v.isNull()) {
            body.error(field, "is required");
        } else if (!v.isArray()) {
            body.error(field, "must be an array");
        } else if (v.isEmpty() || v.size() > MAX_BATCH) {
            body.error(field, "must hold between 1 and " + MAX_BATCH + " items (got " + v.size() + ")");
        }
        body.validate();
        List<JsonNode> out = new ArrayList<>();
        v.forEach(out::add);
        return out;
    }

    /** Tool arguments as the query parameters of GET /api/tasks, for {@link TaskQuery#parse}. */
    private static Map<String, List<String>> queryParams(JsonNode args) {
        if (!args.isObject()) {
            throw ApiException.malformed("The arguments must be a JSON object.");
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        List<FieldError> errors = new ArrayList<>();
        args.fields().forEachRemaining(f -> {
            JsonNode v = f.getValue();
            if (v.isNull()) {
                return;
            }
            List<String> values = new ArrayList<>();
            if (v.isArray()) {
                v.forEach(item -> {
                    if (item.isValueNode()) {
                        values.add(item.asText());
                    } else {
                        errors.add(new FieldError(f.getKey(), "must be an array of strings"));
                    }
                });
            } else if (v.isValueNode()) {
                values.add(v.asText());
            } else {
                errors.add(new FieldError(f.getKey(), "must be a string, number or boolean"));
            }
            params.put(f.getKey(), values);
        });
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return params;
    }

    private ZoneId zone(UUID user) {
        return ZoneId.of(users.findTimeZone(user).orElseThrow(() -> ApiException.unauthorized("The account no longer exists.")));
    }

    private static List<FieldError> prefixed(List<FieldError> errors, String prefix) {
        return errors.stream().map(e -> new FieldError(prefix + e.field(), e.message())).toList();
    }

    // ---- results ---------------------------------------------------------------------------

    /** The task as the API shows it, without nulls, empty lists, false flags and bookkeeping dates. */
    Map<String, Object> compact(Task t) {
        ObjectNode view = mapper.valueToTree(t.view());
        view.remove(List.of("createdAt", "updatedAt", "timeZone"));
        if ("none".equals(view.path("priority").asText())) {
            view.remove("priority");
        }
        ArrayNode reminders = (ArrayNode) view.get("reminders");
        if (reminders != null) {
            reminders.forEach(r -> ((ObjectNode) r).remove(List.of("id", "firedAt", "late")));
        }
        return withoutEmpty(view);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> withoutEmpty(JsonNode node) {
        ObjectNode copy = ((ObjectNode) node).deepCopy();
        prune(copy);
        return mapper.convertValue(copy, Map.class);
    }

    private static void prune(JsonNode node) {
        if (node instanceof ObjectNode o) {
            List<String> drop = new ArrayList<>();
            o.fields().forEachRemaining(f -> {
                JsonNode v = f.getValue();
                prune(v);
                if (v.isNull() || (v.isBoolean() && !v.booleanValue()) || (v.isContainerNode() && v.isEmpty())) {
                    drop.add(f.getKey());
                }
            });
            o.remove(drop);
        } else if (node instanceof ArrayNode a) {
            a.forEach(TaskTools::prune);
        }
    }

    private Action added(Task t) {
        return new Action("add_task", t.id().toString(), "Added \"" + t.title() + "\"",
                new Undo("delete_task", Map.of("id", t.id().toString())));
    }

    private static Map<String, Object> reminderSpec(Reminder r) {
        return r.before() != null ? Map.of("before", r.before().toString()) : Map.of("at", r.at().toString());
    }

    /** update_task arguments that put back the fields a change altered. */
    private Map<String, Object> revert(Task before, Task after) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("id", before.id().toString());
        Map<String, Object> old = fields(before);
        Map<String, Object> now = fields(after);
        old.forEach((k, v) -> {
            if (!java.util.Objects.equals(v, now.get(k))) {
                args.put(k, v);
            }
        });
        return args;
    }

    /** A task's content in the shape add_task and update_task accept. */
    private static Map<String, Object> fields(Task t) {
        Task.View v = t.view();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("title", v.title());
        f.put("description", v.description());
        f.put("priority", v.priority());
        f.put("tags", v.tags());
        f.put("dueAt", v.dueAt());
        f.put("timeZone", v.timeZone());
        f.put("allDay", v.allDay());
        Map<String, Object> recurrence = null;
        if (v.recurrence() != null) {
            recurrence = new LinkedHashMap<>();
            recurrence.put("rule", v.recurrence().rule());
            recurrence.put("from", v.recurrence().from());
            if (!v.recurrence().exdates().isEmpty()) {
                recurrence.put("exdates", v.recurrence().exdates());
            }
        }
        f.put("recurrence", recurrence);
        f.put("reminders", t.reminders().stream().map(TaskTools::reminderSpec).toList());
        return f;
    }

    /** add_task arguments that create the task again (with a new id). */
    private static Map<String, Object> recreate(Task t) {
        Map<String, Object> args = new LinkedHashMap<>();
        fields(t).forEach((k, v) -> {
            if (v != null && !(v instanceof List<?> l && l.isEmpty()) && !Boolean.FALSE.equals(v)) {
                args.put(k, v);
            }
        });
        if (t.completed()) {
            args.put("completed", true);
        }
        return args;
    }
}
