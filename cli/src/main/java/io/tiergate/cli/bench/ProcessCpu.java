package io.tiergate.cli.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of named processes, read from the operating system ({@link ProcessHandle.Info#totalCpuDuration()},
 * /proc on Linux): a snapshot before a benchmark run and one after give each process's CPU per request,
 * which, unlike latency, hardly depends on what else the machine runs.
 */
public final class ProcessCpu {

    private final Map<String, Long> pids;

    /** @param pids process ids by the name the numbers are reported under, in report order */
    public ProcessCpu(Map<String, Long> pids) {
        this.pids = new LinkedHashMap<>(pids);
    }

    /** Each process's CPU time so far, in nanoseconds; a process that has exited or cannot be read counts -1. */
    public Map<String, Long> snapshot() {
        Map<String, Long> nanos = new LinkedHashMap<>();
        pids.forEach((name, pid) -> nanos.put(
                name,
                ProcessHandle.of(pid)
                        .flatMap(p -> p.info().totalCpuDuration())
                        .map(Duration::toNanos)
                        .orElse(-1L)));
        return nanos;
    }

    /**
     * Waits until these processes together use less than {@code maxCores} over a whole {@code window}
     * (start-up work done: JIT, state restored, clients connected), or until {@code timeout} passes.
     *
     * @return whether they went quiet within the timeout
     */
    public boolean awaitQuiet(double maxCores, Duration window, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Long> before = snapshot();
        while (true) {
            Thread.sleep(window.toMillis());
            Map<String, Long> after = snapshot();
            if (totalNanos(before, after) < maxCores * window.toNanos()) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            before = after;
        }
    }

    /** The CPU all processes used between two snapshots, in nanoseconds; one that could not be read counts 0. */
    public static long totalNanos(Map<String, Long> before, Map<String, Long> after) {
        long used = 0;
        for (var e : before.entrySet()) {
            long end = after.getOrDefault(e.getKey(), -1L);
            used += e.getValue() >= 0 && end >= e.getValue() ? end - e.getValue() : 0;
        }
        return used;
    }

    /**
     * Milliseconds of CPU per request between two snapshots, rounded to a microsecond; a process either
     * snapshot could not read is left out.
     */
    public static Map<String, Double> perRequestMs(Map<String, Long> before, Map<String, Long> after, int requests) {
        Map<String, Double> ms = new LinkedHashMap<>();
        before.forEach((name, start) -> {
            Long end = after.get(name);
            if (start >= 0 && end != null && end >= start && requests > 0) {
                ms.put(name, Math.round((end - start) / 1e3 / requests) / 1e3);
            }
        });
        return ms;
    }
}
