package io.tiergate.classifier.classify;

import io.tiergate.schemas.events.TaskType;
import java.util.List;

/**
 * The model's answer for one prompt.
 *
 * @param taskType the type the request is served as: the most likely type, or, when the top two are
 *     within the uncertainty margin, whichever of the two has the higher minimum tier
 * @param confidence the probability of {@code taskType}, 0..1
 * @param mostLikely the most likely type (equal to {@code taskType} unless {@code uncertain})
 * @param uncertain the top two types were close and the one with the higher minimum tier was chosen
 * @param embeddingUsed whether the sentence embedding was consulted
 * @param evidence what the decision rested on (model, probability, signals, strongest terms)
 */
public record TaskPrediction(
        TaskType taskType,
        double confidence,
        TaskType mostLikely,
        boolean uncertain,
        boolean embeddingUsed,
        List<String> evidence) {}
