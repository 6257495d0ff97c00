package io.tiergate.worker.backend;

import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.TaskType;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One call to one model: what a {@link ModelBackend} needs, nothing Kafka. The request id and
 * attempt number identify the call (backends may send them as an idempotency key or a trace id,
 * never as anything a provider bills by).
 *
 * @param estimatedInputTokens the classifier's token estimate (used by the simulated backend)
 * @param maxOutputTokens the call's {@code max_tokens}: a worker's calls always set it (the request's
 *     limit, else the endpoint's default, else the model's cap; never above the cap); null only for
 *     calls built by hand, which a backend sends with its own default
 * @param timeout the whole call's deadline, connection to last byte
 * @param conversation the chat's turns and tools when the request is a chat; {@link Conversation#NONE}
 *     for a single prompt (then {@code systemPrompt} and {@code prompt} are what is sent)
 * @param attributes the request's attributes ({@code InferenceRequest.attributes}): never sent to a
 *     provider; read by the output checks and by the simulated backend
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
        Duration timeout,
        Conversation conversation,
        Map<String, String> attributes) {

    /**
     * What a backend sends as {@code max_tokens} when neither the call nor its endpoint sets a limit
     * (a model the price table does not list, a call built by hand): every call carries one.
     */
    public static final int FALLBACK_MAX_OUTPUT_TOKENS = 4096;

    public ModelCall {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(taskType, "taskType");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(conversation, "conversation");
        attributes = Map.copyOf(Objects.requireNonNull(attributes, "attributes"));
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt is 1-based, was " + attempt);
        }
    }

    /** A call without request attributes. */
    public ModelCall(
            String requestId,
            int attempt,
            String model,
            String systemPrompt,
            String prompt,
            Integer maxOutputTokens,
            TaskType taskType,
            long estimatedInputTokens,
            Duration timeout,
            Conversation conversation) {
        this(
                requestId,
                attempt,
                model,
                systemPrompt,
                prompt,
                maxOutputTokens,
                taskType,
                estimatedInputTokens,
                timeout,
                conversation,
                Map.of());
    }

    /** A single-prompt call (no conversation). */
    public ModelCall(
            String requestId,
            int attempt,
            String model,
            String systemPrompt,
            String prompt,
            Integer maxOutputTokens,
            TaskType taskType,
            long estimatedInputTokens,
            Duration timeout) {
        this(
                requestId,
                attempt,
                model,
                systemPrompt,
                prompt,
                maxOutputTokens,
                taskType,
                estimatedInputTokens,
                timeout,
                Conversation.NONE,
                Map.of());
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
                timeout,
                Conversation.of(request),
                request.getAttributes() == null ? Map.of() : request.getAttributes());
    }

    public Optional<String> system() {
        return Optional.ofNullable(systemPrompt).filter(s -> !s.isBlank());
    }

    public OptionalInt maxOutput() {
        return maxOutputTokens == null ? OptionalInt.empty() : OptionalInt.of(maxOutputTokens);
    }

    /** The {@code max_tokens} to send: the call's, else {@code endpointDefault}, else {@link #FALLBACK_MAX_OUTPUT_TOKENS}. */
    public int outputLimit(OptionalInt endpointDefault) {
        if (maxOutputTokens != null) {
            return maxOutputTokens;
        }
        return endpointDefault.orElse(FALLBACK_MAX_OUTPUT_TOKENS);
    }

    /** The same call with {@code limit} as its {@code max_tokens}. */
    public ModelCall withMaxOutputTokens(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("maxOutputTokens must be >= 1, was " + limit);
        }
        return new ModelCall(
                requestId,
                attempt,
                model,
                systemPrompt,
                prompt,
                limit,
                taskType,
                estimatedInputTokens,
                timeout,
                conversation,
                attributes);
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
                timeout,
                conversation,
                attributes);
    }

    /** The same call continuing {@code chat}. */
    public ModelCall withConversation(Conversation chat) {
        return new ModelCall(
                requestId,
                attempt,
                model,
                systemPrompt,
                prompt,
                maxOutputTokens,
                taskType,
                estimatedInputTokens,
                timeout,
                chat,
                attributes);
    }
}
