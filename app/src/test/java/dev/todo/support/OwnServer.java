package dev.todo.support;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real server on a random port that a test starts for itself, for settings or beans the shared
 * server does not have (see {@link TestApp#ownServer}). Things registered with it (streams a test
 * opened, observers) are closed before it stops; closing it stops the whole application context.
 */
public final class OwnServer implements AutoCloseable {

    private final EmbeddedServer server;
    private final Api api;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private boolean closed;

    private OwnServer(EmbeddedServer server) {
        this.server = server;
        this.api = new Api(server.getURI());
    }

    static OwnServer start(Map<String, Object> properties, Object... singletons) {
        ApplicationContext ctx = ApplicationContext.builder(properties, "test").singletons(singletons).start();
        try {
            return new OwnServer(ctx.getBean(EmbeddedServer.class).start());
        } catch (RuntimeException | Error e) {
            ctx.close();
            throw e;
        }
    }

    public EmbeddedServer server() {
        return server;
    }

    public ApplicationContext context() {
        return server.getApplicationContext();
    }

    /** An anonymous client of this server. */
    public Api api() {
        return api;
    }

    public <T> T bean(Class<T> type) {
        return context().getBean(type);
    }

    /** The application's own connection pool (the database behind its transaction-aware proxy). */
    public DataSource dataSource() {
        return TestApp.dataSource(context());
    }

    /** Closes {@code resource} with this server, or earlier at {@link #closeResources()}; returns it. */
    public synchronized <T extends AutoCloseable> T register(T resource) {
        resources.add(resource);
        return resource;
    }

    /** Closes everything registered so far and keeps the server running (after each test, say). */
    public synchronized void closeResources() {
        RuntimeException failure = null;
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof RuntimeException re ? re : new IllegalStateException("closing " + r, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        resources.clear();
        if (failure != null) {
            throw failure;
        }
    }

    /** Closes what was registered, then the application context, which stops the server. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            closeResources();
        } finally {
            context().close();
        }
    }
}
