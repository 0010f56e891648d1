package dev.todo;

import dev.todo.db.LocalDefaults;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.EmbeddedApplication;
import io.micronaut.runtime.Micronaut;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletionException;

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
            local.database().whenComplete((db, e) -> {
                if (e != null) {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    LoggerFactory.getLogger(Application.class).error("The embedded PostgreSQL could not start: {}",
                            cause.getMessage(), cause);
                    System.exit(1);
                } else {
                    db.onGiveUp(failure -> {
                        LoggerFactory.getLogger(Application.class).error("Stopping: {}", failure.getMessage());
                        System.exit(1);
                    });
                }
            });
        }
        Micronaut micronaut = Micronaut.build(args)
                .mainClass(Application.class)
                .properties(local.properties());
        if (local.database() != null) {
            // lets the readiness check see the embedded server (EmbeddedDatabaseHealth)
            micronaut.singletons(local);
        }
        ApplicationContext context = micronaut.start();
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
