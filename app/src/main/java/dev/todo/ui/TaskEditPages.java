package dev.todo.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.todo.activity.ActivityController;
import dev.todo.activity.ActivityService;
import dev.todo.auth.Zones;
import dev.todo.recurrence.OccurrencePlanner;
import dev.todo.recurrence.Recurrence;
import dev.todo.reminders.Reminder;
import dev.todo.tasks.TagService;
import dev.todo.tasks.Task;
import dev.todo.tasks.TaskChanges;
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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The edit page: every field of a task, the recurrence editor with a live preview, reminders and the
 * task's history. A save is the API's merge patch, read by {@link TaskChanges} and guarded by the
 * version the page was loaded with (the API's If-Match): an edit saved elsewhere meanwhile is
 * reported, not overwritten.
 */
@Controller("/tasks/{id}")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class TaskEditPages {

    static final List<String> ZONES = ZoneId.getAvailableZoneIds().stream().filter(z -> z.contains("/") && !z.startsWith("Etc/")
            && !z.startsWith("SystemV/")).sorted().toList();
    private static final DateTimeFormatter OCCURRENCE = DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter OCCURRENCE_DAY = DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.ENGLISH);

    private final Ui ui;
    private final TaskService tasks;
    private final TagService tags;
    private final ActivityService activity;
    private final TaskPages pages;
    private final ObjectMapper mapper;

    public TaskEditPages(Ui ui, TaskService tasks, TagService tags, ActivityService activity, TaskPages pages, ObjectMapper mapper) {
        this.ui = ui;
        this.tasks = tasks;
        this.tags = tags;
        this.activity = activity;
        this.pages = pages;
        this.mapper = mapper;
    }

    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<?> edit(HttpRequest<?> request, @PathVariable String id) {
        Viewer v = ui.require(request);
        Task t = tasks.get(v.userId(), Ids.parse(id, "The task"));
        String saved = request.getParameters().get("saved") != null ? "Saved." : null;
        return Html.page("edit", page(v, t, values(t), Map.of(), null, saved));
    }

    @Post(produces = MediaType.TEXT_HTML)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> save(HttpRequest<?> request, @PathVariable String id, @Nullable @Body String raw) {
        Form form = Form.parse(raw);
        Viewer v = ui.requireWrite(request, form);
        UUID taskId = Ids.parse(id, "The task");
        Integer version = form.get("version") == null ? null : Ids.version(form.get("version"));
        Map<String, String> typed = typed(form);
        try {
            TaskChanges changes = TaskChanges.read(JsonBody.parse(mapper, patch(form, v.zone()), TaskChanges.FIELDS), false);
            tasks.patch(v.userId(), taskId, changes, version);
        } catch (ApiException e) {
            Task current = tasks.get(v.userId(), taskId);
            if (e.status() == HttpStatus.PRECONDITION_FAILED) {
                EditPage.Conflict conflict = new EditPage.Conflict(current.version(),
                        "This task was changed in another tab or device after you opened it. Your changes are not saved yet:"
                                + " review them and save again to replace the other change, or reload to see it.");
                typed.put("version", Integer.toString(current.version()));
                return Html.page(HttpStatus.CONFLICT, "edit", page(v, current, typed, Map.of(), conflict, null));
            }
            typed.put("version", version == null ? Integer.toString(current.version()) : version.toString());
            return Html.page(HttpStatus.BAD_REQUEST, "edit", page(v, current, typed, fieldErrors(e), null, null));
        }
        return HttpResponse.seeOther(URI.create("/tasks/" + taskId + "?saved"));
    }

    /** The next five dates of the recurrence as the form now describes it. */
    @Get(uri = "/preview", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> preview(HttpRequest<?> request, @PathVariable String id) {
        Viewer v = ui.require(request);
        tasks.get(v.userId(), Ids.parse(id, "The task")); // only the owner previews
        Form form = new Form(request.getParameters().asMap());
        return Html.page("preview", preview(form, v.zone()));
    }

    EditPage.Preview preview(Form form, ZoneId viewerZone) {
        String repeat = form.get("repeat");
        if (repeat == null || repeat.equals("none")) {
            return new EditPage.Preview(List.of(), "Does not repeat.", false);
        }
        try {
            JsonNode patch = mapper.readTree(patch(form, viewerZone));
            ObjectNode only = mapper.createObjectNode();
            for (String f : List.of("dueAt", "timeZone", "allDay", "recurrence")) {
                if (patch.has(f)) {
                    only.set(f, patch.get(f));
                }
            }
            TaskChanges c = TaskChanges.read(JsonBody.parse(mapper, only.toString(), TaskChanges.FIELDS), false);
            if (c.dueAt() == null) {
                return new EditPage.Preview(List.of(), "A repeating task needs a due date: set one to see its dates.", true);
            }
            ZoneId zone = ZoneId.of(c.timeZone());
            boolean allDay = Boolean.TRUE.equals(c.allDay());
            Instant due = TaskChanges.normalizeDue(c.dueAt(), c.timeZone(), allDay);
            Recurrence r = c.recurrence();
            List<ZonedDateTime> next = OccurrencePlanner.after(Recurrence.parseRule(r.rule(), "recurrence.rule"), r.exdates(),
                    due.atZone(zone), due, 5);
            List<String> dates = new ArrayList<>();
            dates.add((allDay ? OCCURRENCE_DAY : OCCURRENCE).format(due.atZone(zone)) + " (this one)");
            next.forEach(d -> dates.add((allDay ? OCCURRENCE_DAY : OCCURRENCE).format(d)));
            return new EditPage.Preview(dates, next.isEmpty() ? "No later dates: the rule ends here." : "RRULE " + r.rule(), false);
        } catch (ApiException e) {
            return new EditPage.Preview(List.of(), String.join("; ", fieldErrors(e).values()), true);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The form as the API's merge patch (JSON), so it is read by the same code as a PATCH /api/tasks/{id}. */
    String patch(Form form, ZoneId viewerZone) {
        ObjectNode body = mapper.createObjectNode();
        body.put("title", form.raw("title") == null ? "" : form.raw("title").strip());
        String description = form.raw("description");
        body.put("description", description == null ? "" : description.replace("\r\n", "\n"));
        if (form.get("priority") != null) {
            body.put("priority", form.get("priority"));
        }
        ArrayNode tagArray = body.putArray("tags");
        for (String t : tagList(form.raw("tags"))) {
            tagArray.add(t);
        }
        String zoneText = form.get("timeZone") == null ? viewerZone.getId() : form.get("timeZone");
        body.put("timeZone", zoneText);
        ZoneId zone = Zones.isValid(zoneText) ? ZoneId.of(zoneText) : viewerZone;
        String date = form.get("dueDate");
        String time = form.get("dueTime");
        boolean allDay = form.checked("allDay") || time == null;
        if (date == null) {
            body.putNull("dueAt");
        } else {
            try {
                LocalDate d = LocalDate.parse(date);
                LocalTime lt = allDay ? LocalTime.MIDNIGHT : LocalTime.parse(time);
                body.put("dueAt", d.atTime(lt).atZone(zone).toOffsetDateTime().toString());
                body.put("allDay", allDay);
            } catch (DateTimeParseException e) {
                body.put("dueAt", date + (time == null ? "" : "T" + time)); // refused by the reader with its own message
            }
        }
        String repeat = form.get("repeat");
        if (repeat == null || repeat.equals("none")) {
            body.putNull("recurrence");
        } else {
            ObjectNode r = body.putObject("recurrence");
            if (repeat.equals("custom")) {
                r.put("rule", form.get("rule") == null ? "" : form.get("rule"));
            } else {
                r.put("every", repeat);
                String interval = form.get("interval");
                if (interval != null && !interval.equals("1")) {
                    try {
                        r.put("interval", Integer.parseInt(interval));
                    } catch (NumberFormatException e) {
                        r.put("interval", interval); // refused by the reader: "must be an integer"
                    }
                }
                if (repeat.equals("week") && !form.all("on").isEmpty()) {
                    ArrayNode on = r.putArray("on");
                    form.all("on").forEach(on::add);
                }
            }
            r.put("from", "completion".equals(form.get("from")) ? "completion" : "due");
        }
        ArrayNode reminders = body.putArray("reminders");
        List<String> kinds = form.all("rkind");
        for (int i = 0; i < kinds.size(); i++) {
            String kind = kinds.get(i);
            if ("before".equals(kind)) {
                String amount = at(form.all("ramount"), i);
                String unit = at(form.all("runit"), i);
                String iso = amount == null || amount.isBlank() ? "" : switch (unit == null ? "minutes" : unit) {
                    case "days" -> "P" + amount.strip() + "D";
                    case "hours" -> "PT" + amount.strip() + "H";
                    default -> "PT" + amount.strip() + "M";
                };
                reminders.addObject().put("before", iso);
            } else if ("at".equals(kind)) {
                String at = at(form.all("rat"), i);
                try {
                    reminders.addObject().put("at", LocalDateTime.parse(at).atZone(zone).toOffsetDateTime().toString());
                } catch (RuntimeException e) {
                    reminders.addObject().put("at", at == null ? "" : at);
                }
            }
        }
        return body.toString();
    }

    private static String at(List<String> list, int i) {
        return i < list.size() ? list.get(i) : null;
    }

    static List<String> tagList(String raw) {
        List<String> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        for (String part : raw.split("[,\\s]+")) {
            String t = part.startsWith("#") ? part.substring(1) : part;
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    /** Each error under the form field that shows it. */
    static Map<String, String> fieldErrors(ApiException e) {
        Map<String, String> out = new LinkedHashMap<>();
        for (FieldError f : e.errors()) {
            String field = f.field();
            String key = field.startsWith("tags") ? "tags"
                    : field.equals("dueAt") || field.equals("allDay") ? "due"
                    : field.startsWith("recurrence") ? "recurrence"
                    : field.startsWith("reminders") ? "reminders"
                    : Set.of("title", "description", "priority", "timeZone").contains(field) ? field : "form";
            String text = key.equals("recurrence") || key.equals("reminders") || key.equals("form") ? field + ": " + f.message() : f.message();
            out.merge(key, text, (a, b) -> a + "; " + b);
        }
        if (out.isEmpty()) {
            out.put("form", e.getMessage());
        }
        return out;
    }

    /** The stored task as form values. */
    Map<String, String> values(Task t) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("title", t.title());
        v.put("description", t.description() == null ? "" : t.description());
        v.put("priority", t.priority().json());
        v.put("tags", String.join(", ", t.tags()));
        v.put("timeZone", t.timeZone());
        if (t.dueAt() != null) {
            ZonedDateTime due = t.dueAt().atZone(ZoneId.of(t.timeZone()));
            v.put("dueDate", due.toLocalDate().toString());
            if (!t.allDay()) {
                v.put("dueTime", due.toLocalTime().withSecond(0).withNano(0).toString());
            }
        }
        v.put("allDay", t.allDay() ? "true" : null);
        v.put("version", Integer.toString(t.version()));
        v.put("repeat", "none");
        v.put("interval", "1");
        v.put("from", "due");
        if (t.series() != null && t.series().recurrence() != null) {
            Recurrence r = t.series().recurrence();
            v.put("rule", r.rule());
            v.put("from", r.from().json());
            Map<String, String> parts = new LinkedHashMap<>();
            for (String p : r.rule().split(";")) {
                String[] kv = p.split("=", 2);
                parts.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
            String every = switch (parts.getOrDefault("FREQ", "")) {
                case "DAILY" -> "day";
                case "WEEKLY" -> "week";
                case "MONTHLY" -> "month";
                case "YEARLY" -> "year";
                default -> null;
            };
            Set<String> simple = Set.of("FREQ", "INTERVAL", "BYDAY");
            boolean isSimple = every != null && simple.containsAll(parts.keySet())
                    && (!parts.containsKey("BYDAY") || (every.equals("week") && parts.get("BYDAY").matches("(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*")));
            v.put("repeat", isSimple ? every : "custom");
            if (isSimple) {
                v.put("interval", parts.getOrDefault("INTERVAL", "1"));
                v.put("on", parts.getOrDefault("BYDAY", ""));
            }
        }
        return v;
    }

    /** What was typed, to show again after a refused save. */
    static Map<String, String> typed(Form form) {
        Map<String, String> v = new LinkedHashMap<>();
        for (String f : List.of("title", "description", "priority", "tags", "timeZone", "dueDate", "dueTime", "repeat", "interval",
                "from", "rule", "version")) {
            v.put(f, f.equals("description") || f.equals("title") ? form.raw(f) : form.get(f));
        }
        v.put("allDay", form.checked("allDay") ? "true" : null);
        v.put("on", String.join(",", form.all("on")));
        List<String> kinds = form.all("rkind");
        v.put("reminders", Integer.toString(kinds.size()));
        for (int i = 0; i < kinds.size(); i++) {
            v.put("rkind" + i, kinds.get(i));
            v.put("ramount" + i, at(form.all("ramount"), i));
            v.put("runit" + i, at(form.all("runit"), i));
            v.put("rat" + i, at(form.all("rat"), i));
        }
        return v;
    }

    private EditPage page(Viewer v, Task t, Map<String, String> values, Map<String, String> errors, EditPage.Conflict conflict, String saved) {
        Set<String> on = new LinkedHashSet<>();
        String onText = values.get("on");
        if (onText != null && !onText.isBlank()) {
            on.addAll(List.of(onText.split(",")));
        }
        List<EditPage.ReminderRow> reminders = new ArrayList<>();
        if (values.containsKey("reminders")) {
            int n = Integer.parseInt(values.get("reminders"));
            for (int i = 0; i < n; i++) {
                reminders.add(new EditPage.ReminderRow(i, values.get("rkind" + i), values.get("ramount" + i), values.get("runit" + i),
                        values.get("rat" + i)));
            }
        } else {
            ZoneId zone = ZoneId.of(t.timeZone());
            for (Reminder r : t.reminders()) {
                if (r.before() != null) {
                    Duration d = r.before();
                    String[] au = d.toMinutes() % (24 * 60) == 0 && d.toMinutes() > 0 ? new String[] {Long.toString(d.toDays()), "days"}
                            : d.toMinutes() % 60 == 0 && d.toMinutes() > 0 ? new String[] {Long.toString(d.toHours()), "hours"}
                            : new String[] {Long.toString(d.toMinutes()), "minutes"};
                    reminders.add(new EditPage.ReminderRow(reminders.size(), "before", au[0], au[1], null));
                } else if (r.at() != null) {
                    reminders.add(new EditPage.ReminderRow(reminders.size(), "at", null, null,
                            r.at().atZone(zone).toLocalDateTime().withSecond(0).withNano(0).toString()));
                }
            }
        }
        reminders.add(new EditPage.ReminderRow(reminders.size(), "none", "15", "minutes", null)); // a free row for a new one
        Form asForm = new Form(toForm(values));
        EditPage.Preview preview = preview(asForm, v.zone());
        Instant now = Instant.now();
        List<EditPage.ActivityRow> history = activity.page(v.userId(), t.id(), null, null, null, null, 30).items().stream()
                .map(e -> new EditPage.ActivityRow(describe(e), When.relative(e.time(), false, v.zone(), now), When.exact(e.time(), false, v.zone())))
                .toList();
        Map<String, String> colors = tags.colors(v.userId());
        List<Models.TagChip> known = tags.list(v.userId()).stream()
                .map(g -> new Models.TagChip(g.name(), colors.get(g.name().toLowerCase(Locale.ROOT)), null)).toList();
        return new EditPage(pages.chrome(v, "Edit “" + t.title() + "”", "tasks"), t.id().toString(),
                Integer.parseInt(values.getOrDefault("version", Integer.toString(t.version()))), values, on, reminders, errors, conflict,
                saved, preview, history, known, ZONES, t.completed());
    }

    private static Map<String, List<String>> toForm(Map<String, String> values) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        values.forEach((k, val) -> {
            if (val != null) {
                out.put(k, k.equals("on") ? List.of(val.split(",")) : List.of(val));
            }
        });
        return out;
    }

    static String describe(ActivityController.Entry e) {
        String type = e.type();
        return switch (type) {
            case "task.created" -> "Created";
            case "task.completed" -> "Completed";
            case "task.reopened" -> "Reopened";
            case "task.skipped" -> "Skipped this occurrence";
            case "task.deleted" -> "Deleted";
            case "task.updated" -> {
                JsonNode changes = e.data().path("changes");
                List<String> names = new ArrayList<>();
                changes.fieldNames().forEachRemaining(n -> names.add(switch (n) {
                    case "dueAt" -> "due date";
                    case "timeZone" -> "time zone";
                    case "allDay" -> "all day";
                    default -> n;
                }));
                yield names.isEmpty() ? "Edited" : "Changed " + String.join(", ", names);
            }
            default -> type;
        };
    }
}
