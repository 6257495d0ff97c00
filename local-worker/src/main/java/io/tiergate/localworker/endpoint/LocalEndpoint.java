package io.tiergate.localworker.endpoint;

import io.tiergate.localworker.cost.TcoOverride;
import io.tiergate.worker.backend.ModelBackend;
import java.time.Duration;
import java.util.List;

/**
 * A local endpoint as the worker uses it: the backend chosen for it at start (a real protocol client
 * or the simulated backend), the models it serves, its TCO and call timeout.
 */
public record LocalEndpoint(
        String name,
        ModelBackend backend,
        String description,
        List<String> models,
        TcoOverride tco,
        Duration callTimeout) {

    public boolean simulated() {
        return backend.simulated();
    }

    public boolean serves(String model) {
        return models.contains(model);
    }
}
