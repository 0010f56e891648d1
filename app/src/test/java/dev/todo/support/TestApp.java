package dev.todo.support;

import dev.todo.db.EmbeddedDatabase;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One real server on a random port over one real PostgreSQL, shared by every HTTP test in the JVM.
 * Tests isolate themselves by signing up their own users.
 */
public final class TestApp {

    public static final String SECRET = "test-secret-test-secret-test-secret-0123456789";
    /** An override that removes a key of {@link #properties}, so that the application's own default applies. */
    public static final Object UNSET = new Object() {
        @Override
        public String toString() {
            return "UNSET";
        }
    };
    private static EmbeddedDatabase database;
    private static EmbeddedServer server;

    private TestApp() {
    }

    public static synchronized EmbeddedDatabase database() {
        if (database == null) {
            try {
                database = EmbeddedDatabase.start(Files.createTempDirectory("todo-test-pg"), false);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (server != null) {
                    server.getApplicationContext().close();
                }
                database.close();
            }));
        }
        return database;
    }

    public static synchronized EmbeddedServer server() {
        if (server == null) {
            ApplicationContext ctx = ApplicationContext.run(properties("todo"), "test");
            server = ctx.getBean(EmbeddedServer.class).start();
        }
        return server;
    }

    /** The pool of the context's default data source (unwrapped from Micronaut's transaction-aware proxy). */
    public static javax.sql.DataSource dataSource(io.micronaut.context.ApplicationContext ctx) {
        return ctx.getBean(io.micronaut.jdbc.DataSourceResolver.class).resolve(ctx.getBean(javax.sql.DataSource.class));
    }

    /** Properties for a context on a database of the shared server (created if missing). */
    public static Map<String, Object> properties(String databaseName) {
        return propertiesOn(database().ensureDatabase(databaseName));
    }

    /** Properties for a context on the database at {@code jdbcUrl} (a server of the caller's own). */
    public static Map<String, Object> propertiesOn(String jdbcUrl) {
        return Map.of(
                "micronaut.server.port", -1,
                "datasources.default.url", jdbcUrl,
                "datasources.default.username", EmbeddedDatabase.USER,
                "datasources.default.password", "",
                "todo.auth.jwt-secret", SECRET,
                "todo.auth.bcrypt-cost", 4,
                // tests sign up many users from one address; AuthThrottleApiTest checks the limits
                "todo.auth.limits.signups-per-minute", 0,
                "todo.auth.limits.logins-per-minute", 0);
    }

    /**
     * Starts a server of the test's own on the named database of the shared PostgreSQL (created if
     * missing), with {@link #properties} and then {@code overrides} ({@link #UNSET} removes a key),
     * and with {@code singletons} as beans. The caller closes it.
     */
    public static OwnServer ownServer(String databaseName, Map<String, Object> overrides, Object... singletons) {
        Map<String, Object> props = new HashMap<>(properties(databaseName));
        overrides.forEach((key, value) -> {
            if (value == UNSET) {
                props.remove(key);
            } else {
                props.put(key, value);
            }
        });
        return OwnServer.start(props, singletons);
    }

    /**
     * Signs a user up on the named database before the test's own server starts (a configured
     * administrator name is reserved, so the account must exist first); returns the user's id.
     */
    public static java.util.UUID preregister(String databaseName, String username, String password) {
        try (OwnServer s = ownServer(databaseName, Map.of())) {
            Api api = s.api().newUser(username, password);
            return java.util.UUID.fromString(api.get("/api/me").json().get("id").asText());
        }
    }

    public static Api api() {
        return new Api(server().getURI());
    }

    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
