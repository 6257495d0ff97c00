package io.tiergate.cli.stack;

import java.util.List;

/**
 * How the service JVMs are tuned. Five JVMs share the cores of one machine: a short run wants them
 * healthy fast; a long run or a benchmark wants the fully optimised code of the C2 compiler.
 */
public enum JvmProfile {
    /** C1 only: healthy in seconds, steady-state code 2-3x slower. For the demo and the tests. */
    QUICK_START(List.of("-Xms128m", "-Xmx768m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")),
    /** Full tiered compilation: slower start, the code a production service runs. For up and bench. */
    STEADY_STATE(List.of("-Xms256m", "-Xmx768m", "-XX:+UseSerialGC"));

    private final List<String> options;

    JvmProfile(List<String> options) {
        this.options = options;
    }

    public List<String> options() {
        return options;
    }
}
