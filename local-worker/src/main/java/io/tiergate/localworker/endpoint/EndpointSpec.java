package io.tiergate.localworker.endpoint;

import io.tiergate.localworker.cost.TcoOverride;
import java.util.List;
import java.util.Objects;

/**
 * One configured local endpoint before selection.
 *
 * @param api null: the backend mode's protocol (Ollama unless the mode says openai-compatible)
 * @param explicitUrl whether the URL was configured (not the default {@code http://127.0.0.1:11434});
 *     an explicitly configured endpoint is never replaced by the simulated backend
 * @param models the model ids this endpoint serves; empty: it serves whatever no other endpoint claims
 */
public record EndpointSpec(
        String name,
        LocalApi api,
        boolean explicitUrl,
        List<String> models,
        EndpointSettings settings,
        TcoOverride tco) {

    public EndpointSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(settings, "settings");
        models = List.copyOf(models);
        tco = tco == null ? TcoOverride.NONE : tco;
    }
}
