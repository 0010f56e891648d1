package dev.todo.events;

/**
 * Patterns over {@code todo.roles} (TODO_ROLES, a comma list) for {@code @Requires}: one artifact runs
 * as API, worker, scheduler or any mix, so they can be deployed and scaled separately.
 */
public final class Roles {

    public static final String API = "(.*,)?\\s*api\\s*(,.*)?";
    public static final String WORKER = "(.*,)?\\s*worker\\s*(,.*)?";
    public static final String SCHEDULER = "(.*,)?\\s*scheduler\\s*(,.*)?";

    private Roles() {
    }

    public static boolean includes(String roles, String role) {
        return roles != null && java.util.Arrays.stream(roles.split(",")).map(String::strip).anyMatch(role::equals);
    }
}
