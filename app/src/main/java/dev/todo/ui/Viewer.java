package dev.todo.ui;

import java.time.ZoneId;
import java.util.UUID;

/** Who is looking at a page: the user, their zone (every time shown is in it) and the session's CSRF token. */
public record Viewer(UUID userId, String username, ZoneId zone, Sessions.Session session, String csrf) {
}
