package io.tiergate.worker.backend;

import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.TaskType;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One call to one model: what a {@link ModelBackend} needs, nothing Kafka. The request id and
 * attempt number identify the call (backends may send them as an idempotency key or a trace id,
 * never as anything a provider bills by).
 *
 * @param estimatedInputTokens the classifier's token estimate (used by the simulated backend)
 * @param maxOutputTokens null when the request sets no limit
 * @param timeout the whole call's deadline, connection to last byte
 */
public record ModelCall(
        String requestId,
        int attempt,
        String model,
        String systemPrompt,
        String prompt,
        Integer maxOutputTokens,
        TaskType taskType,
        long estimatedInputTokens,
        Duration timeout) {

    public ModelCall {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(taskType, "taskType");
        Objects.requireNonNull(timeout, "timeout");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt is 1-based, was " + attempt);
        }
    }

    /** The call of {@code model} for a routed request, as attempt {@code attempt}. */
    public static ModelCall of(RoutedRequest routed, String model, int attempt, Duration timeout) {
        InferenceRequest request = routed.getClassified().getRequest();
        return new ModelCall(
                request.getRequestId(),
                attempt,
                model,
                request.getSystemPrompt(),
                request.getPrompt(),
                request.getMaxOutputTokens(),
                routed.getClassified().getClassification().getTaskType(),
                routed.getClassified().getClassification().getEstimatedInputTokens(),
                timeout);
    }

    public Optional<String> system() {
        return Optional.ofNullable(systemPrompt).filter(s -> !s.isBlank());
    }

    public OptionalInt maxOutput() {
        return maxOutputTokens == null ? OptionalInt.empty() : OptionalInt.of(maxOutputTokens);
    }

    /** The same call against another model (a fallback) or as another attempt. */
    public ModelCall withModel(String otherModel, int otherAttempt) {
        return new ModelCall(
                requestId,
                otherAttempt,
                otherModel,
                systemPrompt,
                prompt,
                maxOutputTokens,
                taskType,
                estimatedInputTokens,
                timeout);
    }
}
