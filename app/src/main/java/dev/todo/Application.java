package dev.todo;

import dev.todo.db.LocalDefaults;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;

/**
 * Starts the service. Without a configured datasource it brings its own PostgreSQL and keeps its
 * data (and a generated signing secret) under {@code TODO_DATA_DIR}, default {@code ./data}.
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        LocalDefaults.Resolved local = LocalDefaults.resolve(System.getenv(), System.getProperties());
        ApplicationContext context = Micronaut.build(args)
                .mainClass(Application.class)
                .properties(local.properties())
                .start();
        if (local.database() != null) {
            // close the context (and its connection pool) before the database it uses goes away
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (context.isRunning()) {
                    context.close();
                }
                local.database().close();
            }, "embedded-postgres-stop"));
        }
    }
}
