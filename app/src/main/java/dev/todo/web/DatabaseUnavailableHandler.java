package dev.todo.web;

import dev.todo.db.DatabaseUnavailable;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.transaction.exceptions.TransactionException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request that meets the database down or restarting is answered 503 with Retry-After, so clients
 * and load balancers retry instead of reporting a server fault. Any other data-access failure stays a 500.
 */
public final class DatabaseUnavailableHandler {

    private DatabaseUnavailableHandler() {
    }


    private static final Logger LOG = LoggerFactory.getLogger(DatabaseUnavailableHandler.class);
    static final String RETRY_AFTER_SECONDS = "2";

    static HttpResponse<?> respond(HttpRequest<?> request, RuntimeException e) {
        if (DatabaseUnavailable.causes(e)) {
            LOG.warn("database unavailable on {} {}: {}", request.getMethod(), request.getPath(), e.getMessage());
            return Problems.respond(HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", RETRY_AFTER_SECONDS),
                    Problems.body(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable", "Service Unavailable",
                            "The database is not reachable at the moment. Try again shortly.", null, request));
        }
        LOG.error("Unexpected error on {} {}", request.getMethod(), request.getPath(), e);
        return Problems.respond(HttpResponse.status(HttpStatus.INTERNAL_SERVER_ERROR),
                Problems.body(HttpStatus.INTERNAL_SERVER_ERROR, null, "Internal Server Error",
                        "The server could not complete the request.", null, request));
    }

    @Produces
    @Singleton
    @Requires(classes = ExceptionHandler.class)
    public static class Transactions implements ExceptionHandler<TransactionException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, TransactionException e) {
            return respond(request, e);
        }
    }

    @Produces
    @Singleton
    @Requires(classes = ExceptionHandler.class)
    public static class Connections implements ExceptionHandler<io.micronaut.data.connection.exceptions.ConnectionException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, io.micronaut.data.connection.exceptions.ConnectionException e) {
            return respond(request, e);
        }
    }

    @Produces
    @Singleton
    @Requires(classes = ExceptionHandler.class)
    public static class DataAccess implements ExceptionHandler<DataAccessException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, DataAccessException e) {
            return respond(request, e);
        }
    }
}
