package dev.todo.auth;

import java.time.ZoneId;
import java.util.Set;

/** IANA time-zone ids as clients send them ("Europe/Berlin"); fixed offsets are not zones. */
public final class Zones {

    private static final Set<String> AVAILABLE = ZoneId.getAvailableZoneIds();

    private Zones() {
    }

    public static boolean isValid(String id) {
        return id != null && AVAILABLE.contains(id);
    }

    public static String invalidMessage(String id) {
        return "must be an IANA time-zone id such as Europe/Berlin or America/New_York; got '" + id + "'";
    }
}
