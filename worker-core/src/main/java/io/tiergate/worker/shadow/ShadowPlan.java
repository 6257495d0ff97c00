package io.tiergate.worker.shadow;

import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.schemas.topics.Topics;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where and against what a local worker's shadow traffic goes (docs/calibration.md, "Shadow
 * traffic").
 *
 * @param sampler which requests
 * @param referenceModel the cloud model that answers a shadow, unless {@code referenceModels} names
 *     one for the task type
 * @param referenceModels task type → reference model
 * @param scope the budget scope (a cost center name) shadow calls are billed and capped under
 * @param topic where shadow requests go ({@link Topics#INFERENCE_SHADOW}; tests remap)
 */
public record ShadowPlan(
        ShadowSampler sampler,
        String referenceModel,
        Map<TaskType, String> referenceModels,
        String scope,
        Topic<RoutedRequest> topic) {

    /** The default budget scope of shadow calls. */
    public static final String DEFAULT_SCOPE = "shadow";

    /** Shadows nothing. */
    public static final ShadowPlan OFF =
            new ShadowPlan(ShadowSampler.OFF, "none", Map.of(), DEFAULT_SCOPE, Topics.INFERENCE_SHADOW);

    public ShadowPlan {
        Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(referenceModel, "referenceModel");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(topic, "topic");
        referenceModels = Map.copyOf(referenceModels.isEmpty() ? Map.of() : new EnumMap<>(referenceModels));
        if (scope.isBlank() || scope.equals(Topics.GLOBAL_SCOPE)) {
            throw new IllegalArgumentException(
                    "the shadow budget scope must be a cost center name, not '" + scope + "'");
        }
    }

    public String referenceModel(TaskType type) {
        return referenceModels.getOrDefault(type, referenceModel);
    }

    public ShadowPlan withTopic(Topic<RoutedRequest> other) {
        return new ShadowPlan(sampler, referenceModel, referenceModels, scope, other);
    }
}
