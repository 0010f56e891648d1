package dev.todo;

import dev.todo.db.LocalDefaults;
import io.micronaut.runtime.Micronaut;

/**
 * Starts the service. Without a configured datasource it brings its own PostgreSQL and keeps its
 * data (and a generated signing secret) under {@code TODO_DATA_DIR}, default {@code ./data}.
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.build(args)
                .mainClass(Application.class)
                .properties(LocalDefaults.resolve(System.getenv(), System.getProperties()))
                .start();
    }
}
