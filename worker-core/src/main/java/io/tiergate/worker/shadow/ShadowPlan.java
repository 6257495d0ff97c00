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

    /**
     * From configuration as Micronaut gives it under {@code <where>} (docs/calibration.md, "Shadow
     * traffic"): {@code fractions.<TASK_TYPE>} (share in [0, 1]), {@code reference-model}, {@code
     * reference-models.<TASK_TYPE>}, {@code scope}. Task type keys in any case, {@code -} for {@code _}.
     *
     * @throws IllegalArgumentException naming the property when a key or value is not understood
     */
    public static ShadowPlan parse(
            String where,
            Map<String, ?> fractions,
            String referenceModel,
            Map<String, ?> referenceModels,
            String scope) {
        Map<TaskType, Double> f = new EnumMap<>(TaskType.class);
        fractions.forEach((key, value) -> {
            TaskType type = taskType(where + ".fractions", key);
            double share;
            try {
                share = Double.parseDouble(String.valueOf(value).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        where + ".fractions." + key + " must be a number in [0, 1], was '" + value + "'");
            }
            if (!(share >= 0 && share <= 1)) {
                throw new IllegalArgumentException(where + ".fractions." + key + " must be in [0, 1], was " + value);
            }
            f.put(type, share);
        });
        Map<TaskType, String> models = new EnumMap<>(TaskType.class);
        referenceModels.forEach((key, value) -> models.put(
                taskType(where + ".reference-models", key),
                String.valueOf(value).strip()));
        return new ShadowPlan(
                new ShadowSampler(f),
                referenceModel,
                models,
                scope == null || scope.isBlank() ? DEFAULT_SCOPE : scope.strip(),
                Topics.INFERENCE_SHADOW);
    }

    private static TaskType taskType(String where, String key) {
        try {
            return TaskType.valueOf(
                    key.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + "." + key + ": '" + key + "' is not a task type");
        }
    }

    public ShadowPlan withTopic(Topic<RoutedRequest> other) {
        return new ShadowPlan(sampler, referenceModel, referenceModels, scope, other);
    }
}
