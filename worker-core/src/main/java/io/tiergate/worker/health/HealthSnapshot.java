package io.tiergate.worker.health;

import io.tiergate.schemas.events.CircuitState;
import java.util.Objects;

/** A worker's capacity and circuit state at one moment, as the router reads it. */
public record HealthSnapshot(int queueDepth, int queueLimit, CircuitState circuit) {

    public HealthSnapshot {
        Objects.requireNonNull(circuit, "circuit");
        if (queueDepth < 0 || queueLimit < 0) {
            throw new IllegalArgumentException("queue depth and limit must be >= 0");
        }
    }
}
