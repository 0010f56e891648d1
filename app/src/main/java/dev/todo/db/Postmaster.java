package dev.todo.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * What runs, or ran, on a PostgreSQL data directory, seen from outside: the postmaster named in
 * {@code postmaster.pid} and any process still working in the directory. Used to clear what a
 * crashed application left behind before its cluster is started again.
 */
final class Postmaster {

    private static final Logger LOG = LoggerFactory.getLogger(Postmaster.class);
    private static final Path PROC = Path.of("/proc");
    private static final Duration FAST_SHUTDOWN_WAIT = Duration.ofSeconds(3);

    private Postmaster() {
    }

    /** The PID on the first line of the cluster's {@code postmaster.pid}, if there is one. */
    static OptionalLong pidFileEntry(Path cluster) {
        Path file = cluster.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Whether {@code pid} is a PostgreSQL process working on {@code cluster}: the postmaster and each
     * of its children run in the data directory, and the postmaster is started with {@code -D} naming it.
     */
    static boolean runsOn(long pid, Path cluster) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !alive(handle.get())) {
            return false;
        }
        Path cwd = PROC.resolve(Long.toString(pid)).resolve("cwd");
        if (Files.isDirectory(PROC)) {
            try {
                if (Files.isSameFile(cwd, cluster)) {
                    return true;
                }
            } catch (IOException e) {
                // not ours to inspect (another user's process) or gone: judge by the command line
            }
        }
        ProcessHandle.Info info = handle.get().info();
        boolean postgres = info.command().map(c -> c.endsWith("/postgres") || c.equals("postgres")).orElse(false);
        String[] args = info.arguments().orElse(new String[0]);
        for (int i = 0; postgres && i + 1 < args.length; i++) {
            if (args[i].equals("-D") && sameFile(Path.of(args[i + 1]), cluster)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Ends whatever still runs on {@code cluster} so that it can be started again: a postmaster left
     * by an application that died (fast shutdown, then immediate), and server processes whose
     * postmaster was killed (they hold its shared memory, so a new postmaster would refuse to start).
     * A {@code postmaster.pid} naming a dead process is left for PostgreSQL itself to judge; one whose
     * PID now belongs to an unrelated process is removed, as PostgreSQL would take it for a live server.
     */
    static void clearLeftovers(Path cluster, Duration deadline) {
        OptionalLong pid = pidFileEntry(cluster);
        if (pid.isPresent() && runsOn(pid.getAsLong(), cluster)) {
            long p = pid.getAsLong();
            LOG.warn("PostgreSQL (pid {}) is still running on {}, left by an application that ended without "
                    + "stopping it; stopping it before starting again", p, cluster);
            signal(p, "INT");
            // a fast shutdown writes a checkpoint; when that takes long, an immediate one leaves the
            // work to crash recovery at the start that follows, which replays only the WAL since
            if (!awaitGone(List.of(p), FAST_SHUTDOWN_WAIT)) {
                LOG.warn("PostgreSQL (pid {}) did not stop within {}; stopping it immediately", p, FAST_SHUTDOWN_WAIT);
                signal(p, "QUIT");
                if (!awaitGone(List.of(p), deadline)) {
                    throw new IllegalStateException("PostgreSQL (pid " + p + ") keeps running on " + cluster
                            + " and does not stop; stop it (kill " + p + ") and start again");
                }
            }
        }
        List<Long> stragglers = processesIn(cluster);
        if (!stragglers.isEmpty() && !awaitGone(stragglers, Duration.ofSeconds(3))) {
            LOG.warn("PostgreSQL processes {} still run on {} without their postmaster; stopping them", stragglers, cluster);
            stragglers.forEach(s -> signal(s, "QUIT"));
            if (!awaitGone(stragglers, deadline)) {
                throw new IllegalStateException("processes " + processesIn(cluster) + " keep running in " + cluster
                        + "; stop them and start again");
            }
        }
        pid = pidFileEntry(cluster);
        if (pid.isPresent() && alive(pid.getAsLong()) && !runsOn(pid.getAsLong(), cluster)) {
            try {
                Files.deleteIfExists(cluster.resolve("postmaster.pid"));
                LOG.info("Removed a stale postmaster.pid in {} (its PID {} is now another program)", cluster, pid.getAsLong());
            } catch (IOException e) {
                throw new IllegalStateException("cannot remove the stale " + cluster.resolve("postmaster.pid"), e);
            }
        }
    }

    /** Processes whose working directory is {@code cluster} (PostgreSQL's server processes); Linux only. */
    static List<Long> processesIn(Path cluster) {
        List<Long> found = new ArrayList<>();
        if (!Files.isDirectory(PROC)) {
            return found;
        }
        long self = ProcessHandle.current().pid();
        try (Stream<Path> entries = Files.list(PROC)) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit) || Long.parseLong(name) == self) {
                    continue;
                }
                try {
                    if (Files.isSameFile(p.resolve("cwd"), cluster)) {
                        found.add(Long.parseLong(name));
                    }
                } catch (IOException | SecurityException e) {
                    // gone meanwhile, or not ours to inspect
                }
            }
        } catch (IOException e) {
            LOG.debug("cannot list processes", e);
        }
        return found;
    }

    /**
     * Whether a process still runs. A killed process whose parent has not collected it yet (a
     * zombie: the postmaster's parent is init, which may take its time) counts as ended.
     */
    static boolean alive(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        Path stat = PROC.resolve(Long.toString(process.pid())).resolve("stat");
        try {
            String text = Files.readString(stat, StandardCharsets.UTF_8);
            int end = text.lastIndexOf(')');
            char state = end > 0 && end + 2 < text.length() ? text.charAt(end + 2) : 'R';
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            // no /proc (not Linux), or the process is gone
            return process.isAlive();
        }
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(Postmaster::alive).orElse(false);
    }

    static boolean awaitGone(List<Long> pids, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        while (pids.stream().anyMatch(Postmaster::alive)) {
            if (System.nanoTime() > end) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Sends a signal by name ({@code INT} fast shutdown, {@code QUIT} immediate shutdown for a postmaster). */
    static void signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor();
        } catch (IOException e) {
            LOG.warn("cannot signal process {}", pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Starts a watchdog that stops the postmaster {@code pid} as soon as this JVM is gone, however it
     * ended (SIGKILL and the OOM killer included): a tiny shell process reads its standard input, a
     * pipe whose only writer is this JVM. The kernel closes that pipe when the JVM dies, the read
     * returns end-of-file, and the watchdog sends the postmaster SIGINT (fast shutdown: it ends its
     * sessions, writes a checkpoint and exits). It does so only if the data directory's
     * {@code postmaster.pid} still names that very process, so a server started since (after a clean
     * stop, or by the next start) is left alone. Terminal signals are ignored so that a Ctrl-C lets
     * the application stop its server in order. The next start clears leftovers as well
     * ({@link #clearLeftovers}), in case the watchdog itself was killed.
     *
     * <p>The returned process must stay referenced for the JVM's lifetime: its standard input is the
     * pipe, and closing it stops the server.
     */
    static Process watchdog(Path cluster, long pid) throws IOException {
        String script = """
                trap '' INT HUP
                while read -r _; do :; done
                read -r running < "$1/postmaster.pid" 2>/dev/null || exit 0
                [ "$running" = "$2" ] || exit 0
                if [ -d /proc/self ] && ! [ /proc/"$2"/cwd -ef "$1" ]; then exit 0; fi
                kill -INT "$2" 2>/dev/null
                """;
        return new ProcessBuilder("sh", "-c", script, "postgres-watchdog", cluster.toString(), Long.toString(pid))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }
}
