package io.tiergate.gateway.chat;

import io.tiergate.schemas.events.InferenceRequest;

/**
 * A validated chat completion request: the event to publish and what the answer must look like.
 *
 * @param model the model the client asked for (echoed when the policy's model is not yet known)
 * @param includeUsage a stream ends with a usage chunk ({@code stream_options.include_usage})
 */
public record ChatRequest(InferenceRequest request, String model, boolean stream, boolean includeUsage) {}
