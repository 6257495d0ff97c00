package io.tiergate.router.policy;

import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import java.util.List;
import java.util.Objects;

/**
 * One validated row of the task-type table: where a task type goes, its fallback chain (cloud models:
 * for a cloud rule the models to fall back to on failure, for a local rule the models to escalate
 * to) and, for local rules, the complexity above which the request goes to the first fallback.
 */
public record RouteRule(
        TaskType taskType, Tier tier, String model, List<String> fallbackModels, Double localComplexityThreshold) {

    public RouteRule {
        Objects.requireNonNull(taskType, "taskType");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(model, "model");
        fallbackModels = List.copyOf(fallbackModels);
    }

    public boolean local() {
        return tier == Tier.LOCAL;
    }
}
