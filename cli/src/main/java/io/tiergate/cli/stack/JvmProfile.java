package io.tiergate.cli.stack;

import java.util.List;
import java.util.regex.Pattern;

/**
 * How the service JVMs are tuned. Five JVMs share the cores of one machine: a short run wants them
 * healthy fast; a long run or a benchmark wants the fully optimised code of the C2 compiler.
 */
public enum JvmProfile {
    /**
     * C1 only: healthy in seconds, steady-state code 2-3x slower. For the demo and the tests. The
     * embedded broker too: with C2, its compiler threads took most of a core through the demo's first
     * minute (docs/benchmarks.md, "The demo's routing tail").
     */
    QUICK_START(
            List.of("-Xms128m", "-Xmx768m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
            List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")),
    /**
     * Full tiered compilation: slower start, the code a production service runs. For up and bench.
     * The heap is its full size from the start, and what survives one young collection is promoted
     * at the next: over 14-20 minutes at 500 req/s (docs/benchmarks.md, "Session 10: the services'
     * collections over a quarter of an hour"), a heap left to start at 256 MB never grew, and the
     * router ran a 280 ms full collection every ~90 s (its dedupe and reservation state outlives the
     * young generation); with these two settings one full collection in ~9 minutes, half the
     * router's total pause time, and a routing p99 of 21 instead of 55 ms.
     */
    STEADY_STATE(List.of("-Xms768m", "-Xmx768m", "-XX:+UseSerialGC", "-XX:MaxTenuringThreshold=1"), List.of());

    private final List<String> options;
    private final List<String> brokerOptions;

    JvmProfile(List<String> options, List<String> brokerOptions) {
        this.options = options;
        this.brokerOptions = brokerOptions;
    }

    /** Options of the service JVMs. */
    public List<String> options() {
        return options;
    }

    /** Options the embedded broker's JVM gets on top of its defaults. */
    public List<String> brokerOptions() {
        return brokerOptions;
    }

    /** A garbage collector chosen on the command line, e.g. {@code -XX:+UseZGC}. */
    private static final Pattern GC_CHOICE = Pattern.compile("-XX:\\+Use\\w+GC");

    /** Tuning of the profile's own collector, which another collector does not share. */
    private static final Pattern GC_TUNING = Pattern.compile("-XX:MaxTenuringThreshold=\\d+");

    /**
     * The {@code options} a user's own JVM options leave standing: the user's win, and since a JVM
     * refuses to start with two collectors chosen, a collector in {@code userOptions} (JAVA_OPTS)
     * replaces the profile's rather than joining it, and the profile's tuning of its collector goes
     * with it.
     */
    public static List<String> yieldingTo(List<String> options, String userOptions) {
        if (!GC_CHOICE.matcher(userOptions).find()) {
            return options;
        }
        return options.stream()
                .filter(o ->
                        !GC_CHOICE.matcher(o).matches() && !GC_TUNING.matcher(o).matches())
                .toList();
    }
}
