package io.tiergate.e2e;

import java.util.Map;

/** Environment for the services in tests: simulated model backends, sped up so a run takes seconds. */
final class SimulatedBackends {

    private SimulatedBackends() {}

    static Map<String, String> env() {
        return env(50);
    }

    /** Wall time = the model profiles' time / {@code speedUp}. */
    static Map<String, String> env(int speedUp) {
        return Map.of("TIERGATE_LOCAL_BACKEND", "simulated", "TIERGATE_SIMULATION_SPEED_UP", Integer.toString(speedUp));
    }
}
