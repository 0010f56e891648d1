package dev.todo.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * CPU time used so far by this JVM, by a PostgreSQL server (its postmaster and the processes under it),
 * and by the whole machine (busy, and stolen by the hypervisor of a virtual machine), for benchmarks
 * that print what their requests cost. The machine's figures are 0 where /proc/stat is missing.
 */
record Cpu(long jvmNanos, long pgNanos, long machineBusyNanos, long machineAllNanos, long machineStolenNanos) {

    private static final long NANOS_PER_TICK = 10_000_000; // USER_HZ is 100 on Linux

    static Cpu now(long postmaster) {
        long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        ProcessHandle pm = ProcessHandle.of(postmaster).orElseThrow();
        long pg = Stream.concat(Stream.of(pm), pm.descendants())
                .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
        long busy = 0;
        long idle = 0;
        long stolen = 0;
        try {
            // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user)
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6]) + Long.parseLong(f[7]);
            idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            stolen = Long.parseLong(f[8]);
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: the machine's figures stay 0
        }
        return new Cpu(jvm, pg, busy * NANOS_PER_TICK, (busy + idle + stolen) * NANOS_PER_TICK, stolen * NANOS_PER_TICK);
    }

    Cpu minus(Cpu o) {
        return new Cpu(jvmNanos - o.jvmNanos, pgNanos - o.pgNanos, machineBusyNanos - o.machineBusyNanos,
                machineAllNanos - o.machineAllNanos, machineStolenNanos - o.machineStolenNanos);
    }

    /** Share of the machine's time it was busy. */
    double busyShare() {
        return machineAllNanos == 0 ? 0 : (double) machineBusyNanos / machineAllNanos;
    }

    /** Share of the machine's time the hypervisor took. */
    double stolenShare() {
        return machineAllNanos == 0 ? 0 : (double) machineStolenNanos / machineAllNanos;
    }
}
