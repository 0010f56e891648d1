package dev.todo.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server owned by this process, for running without any installed database.
 *
 * <p>It prefers the PostgreSQL 17 binaries bundled in the zonky jar. Those refuse to run as root
 * unless user namespaces are available; where they are not (root in a locked-down container),
 * it falls back to the distribution's PostgreSQL binaries run as the {@code postgres} user.
 * Each flavour keeps its own data directory because their major versions differ.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
    public static final String USER = "postgres";

    private final String host;
    private final int port;
    private final Runnable stopper;
    private final String flavour;

    private EmbeddedDatabase(String host, int port, String flavour, Runnable stopper) {
        this.host = host;
        this.port = port;
        this.flavour = flavour;
        this.stopper = stopper;
    }

    /**
     * Starts a server whose data lives under {@code dataRoot}. With {@code persistent} the data
     * directory is kept and reused on the next start; otherwise it is created fresh.
     */
    public static EmbeddedDatabase start(Path dataRoot, boolean persistent) {
        return start(dataRoot, persistent, System.getenv("TODO_EMBEDDED_POSTGRES"));
    }

    public static EmbeddedDatabase start(Path dataRoot, boolean persistent, String mode) {
        try {
            return start(dataRoot, persistent, mode, freePort());
        } catch (IOException e) {
            throw new IllegalStateException("no free port for PostgreSQL", e);
        }
    }

    /**
     * {@code mode}: {@code bundled}, {@code system}, or null to try bundled and fall back to system.
     * The server listens on {@code localhost:port}, so its URL is known before it has started.
     */
    public static EmbeddedDatabase start(Path dataRoot, boolean persistent, String mode, int port) {
        try {
            Files.createDirectories(dataRoot);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create data directory " + dataRoot, e);
        }
        if (!"system".equals(mode)) {
            try {
                return startBundled(dataRoot.resolve("pg17"), persistent, port);
            } catch (Exception e) {
                if ("bundled".equals(mode)) {
                    throw new IllegalStateException("bundled PostgreSQL failed to start", e);
                }
                LOG.warn("Bundled PostgreSQL could not start ({}); falling back to the system PostgreSQL binaries",
                        rootCause(e).getMessage());
            }
        }
        return startSystem(dataRoot, persistent, port);
    }

    private static EmbeddedDatabase startBundled(Path dataDir, boolean persistent, int port) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setPort(port)
                // the owner stops it, after the application that uses it (see Application)
                .setRegisterShutdownHook(false)
                .setCleanDataDirectory(!persistent)
                .setServerConfig("max_connections", "200")
                .setServerConfig("shared_buffers", "128MB")
                .setServerConfig("synchronous_commit", "on")
                .setPGStartupWait(java.time.Duration.ofSeconds(60));
        EmbeddedPostgres pg = builder.start();
        return new EmbeddedDatabase("localhost", pg.getPort(), "bundled PostgreSQL 17", () -> {
            try {
                pg.close();
            } catch (IOException e) {
                LOG.warn("stopping PostgreSQL failed", e);
            }
        });
    }

    private static EmbeddedDatabase startSystem(Path dataRoot, boolean persistent, int port) {
        Path bin = systemBinaries();
        String version = bin.getParent().getFileName().toString();
        Path dataDir = dataRoot.resolve("pg-system-" + version).toAbsolutePath();
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        try {
            if (!persistent) {
                deleteRecursively(dataDir);
            }
            Path socketDir = Files.createTempDirectory("todo-pg-sock");
            if (asRoot) {
                // the postgres user must be able to reach its data directory
                run(List.of("chmod", "o+x", dataRoot.toAbsolutePath().toString()), false);
            }
            if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
                Files.createDirectories(dataDir);
                if (asRoot) {
                    run(List.of("chown", "-R", "postgres:postgres", dataDir.toString()), false);
                }
                run(List.of(bin.resolve("initdb").toString(), "-D", dataDir.toString(), "-U", USER,
                        "-A", "trust", "-E", "UTF8", "--locale=C"), asRoot);
            }
            if (asRoot) {
                run(List.of("chown", "postgres:postgres", socketDir.toString()), false);
            }
            String options = "-p " + port + " -k " + socketDir + " -c listen_addresses=localhost"
                    + " -c max_connections=200 -c shared_buffers=128MB";
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-o", options,
                    "-l", dataDir.resolve("server.log").toString(), "-w", "-t", "60", "start"), asRoot);
            Runnable stop = () -> {
                try {
                    run(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast",
                            "-w", "stop"), asRoot);
                } catch (Exception e) {
                    LOG.warn("stopping PostgreSQL failed", e);
                }
            };
            return new EmbeddedDatabase("localhost", port, "system PostgreSQL " + version, stop);
        } catch (IOException e) {
            throw new IllegalStateException("system PostgreSQL failed to start from " + bin, e);
        }
    }

    private static Path systemBinaries() {
        Path root = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter(p -> Files.isExecutable(p.resolve("bin/pg_ctl")))
                    .max(Comparator.comparingInt(p -> parseVersion(p.getFileName().toString())))
                    .map(p -> p.resolve("bin"))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL binaries under " + root));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "no PostgreSQL binaries under /usr/lib/postgresql (install the postgresql package)", e);
        }
    }

    private static int parseVersion(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void run(List<String> command, boolean asPostgres) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (asPostgres) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(command);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output;
        try {
            output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + cmd);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + cmd, e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("command failed (" + p.exitValue() + "): " + cmd + "\n" + output);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** Creates the database if it does not exist yet and returns its JDBC URL. */
    public String ensureDatabase(String name) {
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("unsupported database name " + name);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, "");
             ResultSet rs = c.createStatement().executeQuery(
                     "select 1 from pg_database where datname = '" + name + "'")) {
            if (!rs.next()) {
                c.createStatement().execute("create database " + name);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return jdbcUrl(name);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    public String flavour() {
        return flavour;
    }

    @Override
    public void close() {
        stopper.run();
    }
}
