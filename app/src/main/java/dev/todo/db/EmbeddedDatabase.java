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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A PostgreSQL server owned by this process, for running without any installed database.
 *
 * <p>It prefers the PostgreSQL 17 binaries bundled in the zonky jar. Those refuse to run as root
 * unless user namespaces are available; where they are not (root in a locked-down container),
 * a new data directory gets the distribution's PostgreSQL binaries, run as the {@code postgres}
 * user, instead. Each flavour keeps its own cluster because their major versions differ, and a
 * directory keeps using the flavour whose cluster it holds.
 *
 * <p>Crashes: the application locks the directory while it runs ({@link DataDirectoryLock}), so
 * the next start knows that a server still running on the cluster is an orphan and stops it
 * ({@link Postmaster#clearLeftovers}); a watchdog ends the server when the JVM dies
 * ({@link Postmaster#watchdog}); and a server that dies under the application is started again.
 * PostgreSQL's crash recovery restores every committed transaction (fsync is on for kept data).
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
    public static final String USER = "postgres";
    static final int BUNDLED_MAJOR = 17;
    static final String BUNDLED_DIR = "pg" + BUNDLED_MAJOR;
    static final String SYSTEM_DIR_PREFIX = "pg-system-";
    /** How long a left-over server gets to stop, per step (fast, then immediate shutdown). */
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(10);
    /** Waits before each attempt to restart a server that died under the application. */
    private static final List<Duration> RESTART_DELAYS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(8));

    /** Where the server stands, for the readiness check. */
    public enum State { RUNNING, RESTARTING, FAILED, STOPPED }

    /** A running postmaster and how to stop it. */
    private record Server(ProcessHandle postmaster, Runnable stop) {
    }

    @FunctionalInterface
    private interface Starter {
        Server start() throws IOException;
    }

    private final String host = "localhost";
    private final int port;
    private final String flavour;
    private final Path cluster;
    private final Starter starter;
    private final DataDirectoryLock lock;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object lifecycle = new Object();
    private volatile Server server;
    private volatile Process watchdog;
    private volatile State state = State.RUNNING;
    private volatile String problem;
    private volatile String lastOutage;
    private volatile Consumer<RuntimeException> onGiveUp = e -> { };
    private Thread monitor;

    private EmbeddedDatabase(int port, String flavour, Path cluster, Starter starter, Server server,
                             DataDirectoryLock lock) {
        this.port = port;
        this.flavour = flavour;
        this.cluster = cluster;
        this.starter = starter;
        this.server = server;
        this.lock = lock;
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
     * {@code mode}: {@code bundled}, {@code system}, or null to use the flavour whose cluster the
     * directory already holds (bundled, when it holds none, falling back to system if bundled
     * cannot run here). A directory that holds a cluster is never given a new, empty one instead:
     * if its cluster cannot be started the start fails and says why.
     *
     * <p>Before a cluster is started, whatever a crashed application left running on it is stopped
     * (this application's lock on the directory proves its owner is gone); PostgreSQL's crash
     * recovery then brings the data back to the last commit. The server listens on
     * {@code localhost:port}, so its URL is known before it has started.
     */
    public static EmbeddedDatabase start(Path dataRoot, boolean persistent, String mode, int port) {
        Path root = dataRoot.toAbsolutePath();
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create data directory " + root, e);
        }
        DataDirectoryLock lock = DataDirectoryLock.acquire(root);
        try {
            return startLocked(root, persistent, mode, port, lock);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static EmbeddedDatabase startLocked(Path root, boolean persistent, String mode, int port,
                                                DataDirectoryLock lock) {
        Path bundled = root.resolve(BUNDLED_DIR);
        boolean hasBundled = persistent && holdsCluster(bundled);
        List<Path> systemClusters = persistent ? systemClusters(root) : List.of();
        if ("system".equals(mode)) {
            if (hasBundled && systemClusters.isEmpty()) {
                throw refusal(root, "holds the data of the bundled PostgreSQL 17 in " + bundled
                        + ", which TODO_EMBEDDED_POSTGRES=system cannot open",
                        "unset TODO_EMBEDDED_POSTGRES to use it");
            }
            return startSystem(root, persistent, port, lock);
        }
        if (hasBundled || "bundled".equals(mode)) {
            if (!hasBundled && !systemClusters.isEmpty()) {
                throw refusal(root, "holds the data of the system PostgreSQL in " + systemClusters.get(0)
                        + ", which TODO_EMBEDDED_POSTGRES=bundled cannot open",
                        "unset TODO_EMBEDDED_POSTGRES to use it");
            }
            if (hasBundled && !systemClusters.isEmpty()) {
                LOG.warn("{} also holds {}, a cluster of the system PostgreSQL; the bundled one in {} is used, "
                        + "the other is left untouched", root, systemClusters, bundled);
            }
            try {
                return bundled(bundled, persistent, port, lock);
            } catch (RuntimeException e) {
                if (!hasBundled) {
                    throw new IllegalStateException("bundled PostgreSQL failed to start", e);
                }
                throw refusal(root, "holds your data in " + bundled + ", but the bundled PostgreSQL 17 could not "
                        + "start it: " + rootCause(e).getMessage() + ". No new empty database is created in its place",
                        "see PostgreSQL's own messages in " + logOf(bundled) + ", fix the cause and start again; "
                        + "the data is untouched");
            }
        }
        if (!systemClusters.isEmpty()) {
            return startSystem(root, persistent, port, lock);
        }
        // nothing exists yet: any flavour may create the cluster
        try {
            return bundled(bundled, persistent, port, lock);
        } catch (RuntimeException e) {
            LOG.warn("Bundled PostgreSQL could not start ({}); falling back to the system PostgreSQL binaries",
                    rootCause(e).getMessage());
            // the failed attempt may have created an empty cluster: it must not hide the real one later
            try {
                deleteRecursively(bundled);
            } catch (IOException ignored) {
                LOG.warn("cannot remove {}, left by the failed start; remove it by hand", bundled);
            }
            return startSystem(root, persistent, port, lock);
        }
    }

    private static IllegalStateException refusal(Path root, String what, String fix) {
        return new IllegalStateException("The data directory " + root + " " + what + ". To fix: " + fix
                + " (or set TODO_DATA_DIR to another directory to start with a new, empty one).");
    }

    /** Whether {@code dir} holds an initialised PostgreSQL cluster (initdb completed). */
    static boolean holdsCluster(Path dir) {
        return Files.exists(dir.resolve("PG_VERSION")) && Files.exists(dir.resolve("global/pg_control"));
    }

    private static List<Path> systemClusters(Path root) {
        try (Stream<Path> children = Files.list(root)) {
            return children.filter(p -> p.getFileName().toString().startsWith(SYSTEM_DIR_PREFIX))
                    .filter(EmbeddedDatabase::holdsCluster).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the data directory " + root, e);
        }
    }

    private static EmbeddedDatabase bundled(Path dataDir, boolean persistent, int port, DataDirectoryLock lock) {
        Starter starter = () -> startBundled(dataDir, persistent, port);
        return started(port, "bundled PostgreSQL 17", dataDir, starter, lock, persistent);
    }

    private static EmbeddedDatabase started(int port, String flavour, Path cluster, Starter starter,
                                            DataDirectoryLock lock, boolean clearFirst) {
        try {
            if (clearFirst && holdsCluster(cluster)) {
                Postmaster.clearLeftovers(cluster, STOP_DEADLINE);
            }
            Server server = starter.start();
            EmbeddedDatabase db = new EmbeddedDatabase(port, flavour, cluster, starter, server, lock);
            db.watch();
            return db;
        } catch (IOException e) {
            throw new IllegalStateException(flavour + " failed to start on " + cluster + ": " + e.getMessage(), e);
        }
    }

    /** The server's own log (pg_ctl's output and the postmaster's messages), beside its data directory. */
    static Path logOf(Path bundledCluster) {
        return bundledCluster.resolveSibling(bundledCluster.getFileName() + ".log");
    }

    /**
     * The server's settings, the same whichever binaries run it (values without spaces: the system
     * binaries get them as {@code -c name=value} options), for a server of the given major version.
     */
    static Map<String, String> settings(boolean persistent, int major) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("max_connections", "200");
        settings.put("shared_buffers", "128MB");
        settings.put("synchronous_commit", "on");
        // statistics soon after a table grows: the first minutes after a fresh start (or a bulk
        // import) are planned from them too, and a page planned without them joins its tags and
        // reminders as if it had one row (docs/benchmarks.md)
        settings.put("autovacuum_naptime", "10s");
        // the bundled library starts the server with fsync off (-F); kept data must survive a power cut
        settings.put("fsync", persistent ? "on" : "off");
        if (persistent && major >= 14 && System.getProperty("os.name", "").startsWith("Linux")) {
            // after a crash PostgreSQL first syncs its whole data directory; file by file that took
            // seconds here, one syncfs() call per file system takes a fraction (Linux, PostgreSQL 14 on)
            settings.put("recovery_init_sync_method", "syncfs");
        }
        return settings;
    }

    private static Server startBundled(Path dataDir, boolean persistent, int port) throws IOException {
        ProcessBuilder.Redirect log = ProcessBuilder.Redirect.appendTo(logOf(dataDir).toFile());
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setOutputRedirector(log)
                .setErrorRedirector(log)
                .setDataDirectory(dataDir)
                .setPort(port)
                // the owner stops it, after the application that uses it (see Application)
                .setRegisterShutdownHook(false)
                .setCleanDataDirectory(!persistent)
                // long enough for crash recovery after a crash under load; a server that cannot
                // start at all is noticed at once instead (see startWatched)
                .setPGStartupWait(Duration.ofSeconds(120));
        settings(persistent, BUNDLED_MAJOR).forEach(builder::setServerConfig);
        EmbeddedPostgres pg = startWatched(builder, logOf(dataDir));
        return new Server(postmasterOf(dataDir), () -> {
            try {
                pg.close();
            } catch (IOException e) {
                LOG.warn("stopping PostgreSQL failed", e);
            }
        });
    }

    /**
     * Starts the library's server while watching its log. The library polls the port for its whole
     * startup wait even when {@code pg_ctl} has already reported that the server could not start
     * (that made a start beside an orphaned server wait 60 s). When the log says so, the wait is
     * cut short (an interrupt ends it), the half-started instance is closed, and the failure is
     * reported with PostgreSQL's own reason.
     */
    private static EmbeddedPostgres startWatched(EmbeddedPostgres.Builder builder, Path log) throws IOException {
        long from = Files.exists(log) ? Files.size(log) : 0;
        Thread starting = Thread.currentThread();
        AtomicBoolean done = new AtomicBoolean();
        AtomicBoolean failed = new AtomicBoolean();
        Thread watch = new Thread(() -> {
            while (!done.get()) {
                if (newLog(log, from).contains("could not start server")) {
                    failed.set(true);
                    starting.interrupt();
                    return;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "embedded-postgres-start-watch");
        watch.setDaemon(true);
        watch.start();
        EmbeddedPostgres pg;
        try {
            pg = builder.start();
        } finally {
            done.set(true);
            watch.interrupt();
            try {
                watch.join();
            } catch (InterruptedException ignored) {
                // the join ends with the watch, which has been told to stop
            }
            // the watch's interrupt was for the library's wait, not for whoever called us
            Thread.interrupted();
        }
        if (failed.get()) {
            pg.close();
            String reason = newLog(log, from).lines().filter(l -> l.contains("FATAL") || l.contains("PANIC"))
                    .reduce((a, b) -> b).map(l -> l.replaceFirst("^.*?(FATAL|PANIC):\\s*", "")).orElse("see " + log);
            throw new IOException("PostgreSQL could not start: " + reason);
        }
        return pg;
    }

    private static String newLog(Path log, long from) {
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(log.toFile(), "r")) {
            long length = f.length();
            if (length <= from) {
                return "";
            }
            byte[] bytes = new byte[(int) Math.min(length - from, 1 << 20)];
            f.seek(from);
            f.readFully(bytes);
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static ProcessHandle postmasterOf(Path cluster) throws IOException {
        long pid = Postmaster.pidFileEntry(cluster)
                .orElseThrow(() -> new IOException("no postmaster.pid in " + cluster + " after the start"));
        return ProcessHandle.of(pid).orElseThrow(() -> new IOException("the postmaster " + pid + " ended right after its start"));
    }

    private static EmbeddedDatabase startSystem(Path dataRoot, boolean persistent, int port, DataDirectoryLock lock) {
        Path bin = systemBinaries();
        String version = bin.getParent().getFileName().toString();
        Path dataDir = dataRoot.resolve(SYSTEM_DIR_PREFIX + version).toAbsolutePath();
        if (persistent && !holdsCluster(dataDir)) {
            List<Path> others = systemClusters(dataRoot);
            if (!others.isEmpty()) {
                throw refusal(dataRoot, "holds the data of another PostgreSQL version in " + others
                        + ", which the installed PostgreSQL " + version + " cannot open",
                        "install that version's postgresql package, or upgrade the cluster with pg_upgrade");
            }
        }
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
            StringBuilder options = new StringBuilder("-p " + port + " -k " + socketDir + " -c listen_addresses=localhost");
            settings(persistent, parseVersion(version)).forEach((name, value) -> options.append(" -c ").append(name).append('=').append(value));
            Starter starter = () -> {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-o", options.toString(),
                        "-l", dataDir.resolve("server.log").toString(), "-w", "-t", "60", "start"), asRoot);
                ProcessHandle postmaster = postmasterOf(dataDir);
                return new Server(postmaster, () -> {
                    if (!Postmaster.alive(postmaster)) {
                        return; // died: nothing to stop, and pg_ctl would only complain
                    }
                    try {
                        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast",
                                "-w", "stop"), asRoot);
                    } catch (Exception e) {
                        LOG.warn("stopping PostgreSQL failed", e);
                    }
                });
            };
            return started(port, "system PostgreSQL " + version, dataDir, starter, lock, true);
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

    /** The PostgreSQL data directory in use. */
    public Path cluster() {
        return cluster;
    }

    /** The PID of the running postmaster. */
    public long postmasterPid() {
        return server.postmaster().pid();
    }

    public State state() {
        State now = state;
        // the monitor looks every 200 ms; a server that died since is not reported as running
        return now == State.RUNNING && !closed.get() && !Postmaster.alive(server.postmaster()) ? State.RESTARTING : now;
    }

    /** Why the server is not running, while it is not. */
    public String problem() {
        String now = problem;
        if (now == null && state() == State.RESTARTING) {
            return flavour + " (pid " + server.postmaster().pid() + ") ended unexpectedly";
        }
        return now;
    }

    /** The last time the server died under the application and what became of it; null if it never did. */
    public String lastOutage() {
        return lastOutage;
    }

    /** Called (once) when the server died and could not be started again. */
    public void onGiveUp(Consumer<RuntimeException> action) {
        this.onGiveUp = action;
    }

    /**
     * Guards the running server: a watchdog process ends it if this JVM dies (see
     * {@link Postmaster#watchdog}), and a monitor thread starts it again, on the same port and
     * data, if it dies while the application runs. Connections in the pool fail meanwhile and are
     * replaced; the readiness check reports the outage.
     */
    private void watch() throws IOException {
        startWatchdog();
        monitor = new Thread(this::monitor, "embedded-postgres-monitor");
        monitor.setDaemon(true);
        monitor.start();
    }

    private void startWatchdog() throws IOException {
        watchdog = Postmaster.watchdog(cluster, server.postmaster().pid());
    }

    private void stopWatchdog() {
        Process w = watchdog;
        if (w != null) {
            // signal it before its input closes: closing the pipe is what makes it stop the server
            w.destroy();
            try {
                w.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                w.getOutputStream().close();
            } catch (IOException ignored) {
                // nothing left to tell it
            }
        }
    }

    private void monitor() {
        while (!closed.get()) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            Server current = server;
            if (Postmaster.alive(current.postmaster()) || closed.get()) {
                continue;
            }
            problem = flavour + " (pid " + current.postmaster().pid() + ") ended unexpectedly";
            state = State.RESTARTING;
            LOG.error("{} on port {}; starting it again on {}", problem, port, cluster);
            if (!restart(current)) {
                return;
            }
        }
    }

    private boolean restart(Server dead) {
        RuntimeException last = null;
        for (Duration delay : RESTART_DELAYS) {
            try {
                // gives the dead server's processes time to end, and a crashing one room to breathe
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                return false;
            }
            synchronized (lifecycle) {
                if (closed.get()) {
                    return false;
                }
                long started = System.nanoTime();
                try {
                    stopWatchdog();
                    dead.stop().run();
                    Postmaster.clearLeftovers(cluster, STOP_DEADLINE);
                    server = starter.start();
                    startWatchdog();
                    state = State.RUNNING;
                    lastOutage = java.time.Instant.now() + ": " + problem + "; running again";
                    problem = null;
                    LOG.info("{} is running again on port {} (restarted in {} ms)", flavour, port,
                            (System.nanoTime() - started) / 1_000_000);
                    return true;
                } catch (IOException | RuntimeException e) {
                    last = e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
                    LOG.warn("starting {} again failed: {}", flavour, rootCause(e).getMessage());
                }
            }
        }
        state = State.FAILED;
        problem = flavour + " on " + cluster + " died and could not be started again: "
                + (last == null ? "" : rootCause(last).getMessage());
        LOG.error("{}. The data in it is safe; see PostgreSQL's messages above, fix the cause and start the application again.",
                problem);
        onGiveUp.accept(new IllegalStateException(problem, last));
        return false;
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed.getAndSet(true)) {
                return;
            }
            state = State.STOPPED;
            if (monitor != null) {
                monitor.interrupt();
            }
            stopWatchdog();
            server.stop().run();
            try {
                server.postmaster().onExit().get(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                LOG.warn("{} (pid {}) did not stop; the next start stops it", flavour, server.postmaster().pid());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            lock.close();
        }
    }
}
