package dev.todo;

import dev.todo.db.LocalDefaults;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.EmbeddedApplication;
import io.micronaut.runtime.Micronaut;
import org.slf4j.LoggerFactory;

/**
 * Starts the service. Without a configured datasource it brings its own PostgreSQL and keeps its
 * data (and a generated signing secret) under {@code TODO_DATA_DIR}, default {@code ./data}.
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        LocalDefaults.Resolved local = LocalDefaults.resolve(System.getenv(), System.getProperties());
        if (local.database() != null) {
            local.database().exceptionally(e -> {
                LoggerFactory.getLogger(Application.class).error("The embedded PostgreSQL could not start", e);
                System.exit(1);
                return null;
            });
        }
        ApplicationContext context = Micronaut.build(args)
                .mainClass(Application.class)
                .properties(local.properties())
                .start();
        if (local.database() != null) {
            // Stop the server (which stops the context and its connection pool) before the database
            // goes away. Stopping through the server takes its locks in the same order as the
            // framework's own shutdown hook, so whichever hook runs second just waits for the first.
            EmbeddedApplication<?> server = context.getBean(EmbeddedApplication.class);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.stop();
                local.database().join().close();
            }, "embedded-postgres-stop"));
        }
    }
}
