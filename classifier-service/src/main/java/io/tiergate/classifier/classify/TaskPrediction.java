package io.tiergate.classifier.classify;

import io.tiergate.schemas.events.TaskType;
import java.util.List;

/**
 * The model's answer for one prompt.
 *
 * @param confidence the winning class's probability, 0..1
 * @param embeddingUsed whether the fast model was unsure and the sentence embedding was consulted
 * @param evidence what the decision rested on (model, probability, signals, strongest terms)
 */
public record TaskPrediction(TaskType taskType, double confidence, boolean embeddingUsed, List<String> evidence) {}
