package dev.todo.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * A seeded generator of malformed and hostile requests: wrong JSON types, huge and deeply nested
 * JSON, control characters, invalid UTF-8, odd headers and query strings, hostile RRULEs, and ids
 * that belong to another user. The same seed gives the same requests.
 */
final class HostileRequests {

    record Request(String method, String path, String contentType, byte[] body, List<String[]> headers, String kind) {
    }

    /** Routes, with {id} filled by an id chosen by the generator (often another user's). */
    static final List<String[]> ROUTES = List.of(
            new String[] {"POST", "/api/tasks"}, new String[] {"GET", "/api/tasks"}, new String[] {"GET", "/api/tasks/{task}"},
            new String[] {"PATCH", "/api/tasks/{task}"}, new String[] {"DELETE", "/api/tasks/{task}"},
            new String[] {"POST", "/api/tasks/{task}/complete"}, new String[] {"POST", "/api/tasks/{task}/reopen"},
            new String[] {"POST", "/api/tasks/{task}/skip"}, new String[] {"GET", "/api/tasks/{task}/occurrences"},
            new String[] {"GET", "/api/tags"}, new String[] {"PATCH", "/api/tags/{tag}"}, new String[] {"DELETE", "/api/tags/{tag}"},
            new String[] {"GET", "/api/activity"}, new String[] {"GET", "/api/stats/completed"},
            new String[] {"GET", "/api/notifications"}, new String[] {"POST", "/api/notifications/{any}/read"},
            new String[] {"POST", "/api/notifications/{any}/snooze"},
            new String[] {"GET", "/api/me"}, new String[] {"PATCH", "/api/me"},
            new String[] {"GET", "/api/tokens"}, new String[] {"POST", "/api/tokens"}, new String[] {"DELETE", "/api/tokens/{token}"},
            new String[] {"GET", "/api/webhooks"}, new String[] {"POST", "/api/webhooks"}, new String[] {"GET", "/api/webhooks/{webhook}"},
            new String[] {"DELETE", "/api/webhooks/{webhook}"}, new String[] {"GET", "/api/webhooks/{webhook}/deliveries"},
            new String[] {"GET", "/api/webhooks/{webhook}/deliveries/{any}"},
            new String[] {"POST", "/api/webhooks/{webhook}/deliveries/{any}/redeliver"},
            new String[] {"GET", "/api/admin/dead-letters"}, new String[] {"GET", "/api/admin/dead-letters/{any}"},
            new String[] {"POST", "/api/admin/dead-letters/{any}/replay"},
            new String[] {"POST", "/api/stream/tickets"},
            new String[] {"POST", "/api/auth/signup"}, new String[] {"POST", "/api/auth/login"});

    static final List<String> FIELDS = List.of("title", "description", "priority", "tags", "dueAt", "timeZone", "allDay", "completed",
            "recurrence", "reminders", "name", "url", "events", "secret", "expiresAt", "username", "password", "for", "rule", "from",
            "exdates", "every", "interval", "on", "before", "at");

    static final List<String> RRULES = List.of(
            "FREQ=YEARLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;BYMONTHDAY=" + range(1, 31) + ";BYHOUR=" + range(0, 23)
                    + ";BYMINUTE=" + range(0, 59) + ";BYSECOND=" + range(0, 59),
            "FREQ=DAILY;BYHOUR=" + range(0, 23) + ";BYMINUTE=" + range(0, 59) + ";BYSECOND=" + range(0, 59),
            "FREQ=MINUTELY;BYSECOND=" + range(0, 59), "FREQ=SECONDLY", "FREQ=MINUTELY", "FREQ=DAILY;COUNT=2147483647",
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=DAILY;INTERVAL=0", "FREQ=DAILY;UNTIL=99999999T999999Z",
            "FREQ=WEEKLY;BYDAY=" + "MO,".repeat(5000) + "TU", "FREQ=MONTHLY;BYSETPOS=-366;BYDAY=MO", "RRULE:FREQ=HOURLY;INTERVAL=2",
            "FREQ=YEARLY;BYWEEKNO=53;BYDAY=SU", "FREQ=MONTHLY;BYMONTHDAY=-31", "FREQ=DAILY;COUNT=1;UNTIL=20260101T000000Z", "", "FREQ=");

    private final Random random;
    private final List<String> foreignIds;
    private final List<String> ownIds;

    HostileRequests(long seed, List<String> foreignIds, List<String> ownIds) {
        this.random = new Random(seed);
        this.foreignIds = foreignIds;
        this.ownIds = ownIds;
    }

    static String range(int from, int to) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i <= to; i++) {
            s.append(i == from ? "" : ",").append(i);
        }
        return s.toString();
    }

    Request next() {
        String[] route = ROUTES.get(random.nextInt(ROUTES.size()));
        String path = route[1];
        while (path.contains("{")) {
            int a = path.indexOf('{');
            int b = path.indexOf('}', a);
            path = path.substring(0, a) + id() + path.substring(b + 1);
        }
        String kind;
        byte[] body = null;
        String contentType = "application/json";
        List<String[]> headers = new java.util.ArrayList<>();
        int pick = random.nextInt(12);
        switch (pick) {
            case 0 -> {
                kind = "wrong-types";
                body = json(wrongTypes());
            }
            case 1 -> {
                kind = "deep-json";
                int depth = 500 + random.nextInt(20_000);
                body = json(random.nextBoolean() ? "[".repeat(depth) + "]".repeat(depth)
                        : "{\"title\":" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) + "}");
            }
            case 2 -> {
                kind = "huge-json";
                body = json("{\"title\":\"" + "x".repeat(10_000 + random.nextInt(900_000)) + "\"}");
            }
            case 3 -> {
                kind = "control-characters";
                String field = FIELDS.get(random.nextInt(FIELDS.size()));
                body = json("{\"title\":\"ok\",\"" + field + "\":\"a" + control() + "b\"}");
            }
            case 4 -> {
                kind = "invalid-utf8";
                byte[] prefix = "{\"title\":\"".getBytes(StandardCharsets.UTF_8);
                byte[] bad = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE, (byte) 0xED, (byte) 0xA0, (byte) 0x80};
                byte[] suffix = "\"}".getBytes(StandardCharsets.UTF_8);
                body = new byte[prefix.length + bad.length + suffix.length];
                System.arraycopy(prefix, 0, body, 0, prefix.length);
                System.arraycopy(bad, 0, body, prefix.length, bad.length);
                System.arraycopy(suffix, 0, body, prefix.length + bad.length, suffix.length);
            }
            case 5 -> {
                kind = "hostile-rrule";
                String rule = RRULES.get(random.nextInt(RRULES.size()));
                body = json("{\"title\":\"rr\",\"dueAt\":\"2026-01-01T00:00:00Z\",\"recurrence\":{\"rule\":\"" + rule + "\""
                        + (random.nextBoolean() ? ",\"from\":\"completion\"" : "") + "}}");
            }
            case 6 -> {
                kind = "odd-headers";
                body = json("{\"title\":\"h\"}");
                contentType = List.of("text/plain", "application/xml", "application/json; charset=latin1", "", "*/*",
                        "multipart/form-data; boundary=x", "application/json;;;").get(random.nextInt(7));
                headers.add(new String[] {"If-Match", List.of("\"abc\"", "W/\"-1\"", "*", "\"99999999999999\"", "\u00e9").get(random.nextInt(5))});
                headers.add(new String[] {"Last-Event-ID", List.of("-1", "9".repeat(40), "abc", "").get(random.nextInt(4))});
            }
            case 7 -> {
                kind = "odd-query";
                path += "?" + query();
            }
            case 8 -> {
                kind = "unknown-fields";
                StringBuilder b = new StringBuilder("{\"title\":\"u\"");
                int n = 1 + random.nextInt(2000);
                for (int i = 0; i < n; i++) {
                    b.append(",\"f").append(i).append("\":").append(random.nextInt());
                }
                body = json(b.append('}').toString());
            }
            case 9 -> {
                kind = "duplicate-keys-and-numbers";
                body = json("{\"title\":\"a\",\"title\":\"b\",\"priority\":1e999999,\"interval\":-0.0,\"version\":" + "9".repeat(400) + "}");
            }
            case 10 -> {
                kind = "not-json";
                body = List.of("", "null", "[]", "\"s\"", "{", "}", "{\"title\":}", "true", "{'title':'x'}", "\u0000")
                        .get(random.nextInt(10)).getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                kind = "plausible";
                body = json("{\"title\":\"plausible " + random.nextInt(1000) + "\",\"priority\":\"high\",\"tags\":[\"t"
                        + random.nextInt(5) + "\"],\"dueAt\":\"2030-01-01T09:00:00Z\",\"name\":\"n" + random.nextInt(100)
                        + "\",\"timeZone\":\"Europe/Berlin\",\"for\":\"PT1H\",\"url\":\"http://127.0.0.1:1/hook\",\"events\":[\"*\"]}");
            }
        }
        if (route[0].equals("GET") || route[0].equals("DELETE")) {
            body = null;
        }
        return new Request(route[0], path, contentType, body, headers, kind);
    }

    private String id() {
        int r = random.nextInt(10);
        if (r < 5 && !foreignIds.isEmpty()) {
            return foreignIds.get(random.nextInt(foreignIds.size()));
        }
        if (r < 7 && !ownIds.isEmpty()) {
            return ownIds.get(random.nextInt(ownIds.size()));
        }
        return List.of(UUID.randomUUID().toString(), "not-a-uuid", "%00", "..%2F..%2Fetc", "0", "-1", "%E2%80%AE", "x".repeat(300),
                "00000000-0000-0000-0000-000000000000").get(random.nextInt(9));
    }

    private String control() {
        return String.format("\\u%04x", List.of(0, 1, 7, 8, 11, 12, 27, 127, 0x85, 0x9f).get(random.nextInt(10)));
    }

    private String wrongTypes() {
        StringBuilder b = new StringBuilder("{");
        int n = 1 + random.nextInt(6);
        for (int i = 0; i < n; i++) {
            String v = List.of("1", "-1", "1.5", "true", "null", "[]", "{}", "\"\"", "[1,2]", "{\"a\":1}", "\"2026-13-45T99:99:99Z\"",
                    "\"P-1D\"", "9223372036854775808", "\"" + "y".repeat(5000) + "\"").get(random.nextInt(14));
            b.append(i == 0 ? "" : ",").append('"').append(FIELDS.get(random.nextInt(FIELDS.size()))).append("\":").append(v);
        }
        return b.append('}').toString();
    }

    private String query() {
        List<String> names = List.of("limit", "cursor", "status", "sort", "q", "priority", "tag", "dueBefore", "dueAfter", "from", "to",
                "bucket", "taskId", "type", "count", "unread", "open", "seriesId", "noTags", "overdue", "bogus", "lastEventId", "ticket");
        List<String> values = List.of("-1", "0", "999999999999", "abc", "%00", "%FF%FE", "null", "", "1e9", "title,-title,title",
                "2026-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "%27%20or%201%3D1--", "eyJhIjoxfQ",
                "x".repeat(2000), "week", "true");
        StringBuilder q = new StringBuilder();
        int n = 1 + random.nextInt(5);
        for (int i = 0; i < n; i++) {
            q.append(i == 0 ? "" : "&").append(names.get(random.nextInt(names.size()))).append('=')
                    .append(values.get(random.nextInt(values.size())));
        }
        return q.toString();
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
