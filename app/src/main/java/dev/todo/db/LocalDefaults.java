package dev.todo.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

/**
 * Decides, before the application context starts, what a process without configuration runs on:
 * an embedded PostgreSQL and a signing secret generated once and kept beside the data. With a
 * datasource URL configured (the cluster case) nothing is started and the secret is required.
 */
public final class LocalDefaults {

    private static final Logger LOG = LoggerFactory.getLogger(LocalDefaults.class);
    static final int MIN_SECRET_LENGTH = 32;

    private LocalDefaults() {
    }

    /**
     * The properties to start the context with, and the embedded database to stop with it (null
     * with an external database). The database starts in the background while the context
     * initialises; the connection pool waits for it.
     */
    public record Resolved(Map<String, Object> properties, CompletableFuture<EmbeddedDatabase> database) {
    }

    public static Resolved resolve(Map<String, String> env, Properties sys) {
        Map<String, Object> props = new HashMap<>();
        CompletableFuture<EmbeddedDatabase> db = null;
        boolean external = present(env.get("DATASOURCES_DEFAULT_URL")) || present(sys.getProperty("datasources.default.url"));
        String secret = firstPresent(env.get("TODO_AUTH_JWT_SECRET"), sys.getProperty("todo.auth.jwt-secret"));
        Path dataDir = Path.of(firstPresent(env.get("TODO_DATA_DIR"), sys.getProperty("todo.data-dir"), "data"));

        if (secret == null) {
            if (external) {
                throw new IllegalStateException("TODO_AUTH_JWT_SECRET must be set (at least " + MIN_SECRET_LENGTH
                        + " characters) when an external database is configured");
            }
            secret = persistedSecret(dataDir.resolve("jwt-secret"));
        }
        if (secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalStateException("TODO_AUTH_JWT_SECRET must be at least " + MIN_SECRET_LENGTH + " characters");
        }
        if (!external) {
            long started = System.nanoTime();
            int port = freePort();
            String mode = env.get("TODO_EMBEDDED_POSTGRES");
            db = CompletableFuture.supplyAsync(() -> {
                EmbeddedDatabase database = EmbeddedDatabase.start(dataDir, true, mode, port);
                database.ensureDatabase("todo");
                LOG.info("Embedded {} on port {} with data in {} (ready in {} ms)", database.flavour(), port,
                        dataDir.toAbsolutePath(), (System.nanoTime() - started) / 1_000_000);
                return database;
            }, runnable -> {
                Thread t = new Thread(runnable, "embedded-postgres-start");
                t.setDaemon(true);
                t.start();
            });
            props.put("datasources.default.url", "jdbc:postgresql://localhost:" + port + "/todo");
            props.put("datasources.default.username", EmbeddedDatabase.USER);
            props.put("datasources.default.password", "");
            // the pool's first connection waits for the database that is still starting
            props.put("datasources.default.initialization-fail-timeout", 120_000);
            // while the local server is down (and being started again), a request or readiness
            // check waiting for a connection gives up after 5 s rather than the pool's default 30 s
            props.put("datasources.default.connection-timeout", 5_000);
        }
        props.put("todo.auth.jwt-secret", secret);
        return new Resolved(props, db);
    }

    static String persistedSecret(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            byte[] bytes = new byte[48];
            new SecureRandom().nextBytes(bytes);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            Files.createDirectories(file.getParent());
            try {
                // owner-only from its creation: never readable by others, not even between creating and writing it
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the directory's own protection has to do
                Files.createFile(file);
            }
            Files.writeString(file, secret, StandardCharsets.UTF_8);
            LOG.info("Generated a signing secret in {}", file.toAbsolutePath());
            return secret;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or create the signing secret " + file, e);
        }
    }

    private static int freePort() {
        try {
            return EmbeddedDatabase.freePort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port for the embedded PostgreSQL", e);
        }
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    private static String firstPresent(String... values) {
        for (String v : values) {
            if (present(v)) {
                return v;
            }
        }
        return null;
    }
}
