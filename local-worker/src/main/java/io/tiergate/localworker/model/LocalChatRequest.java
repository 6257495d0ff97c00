package io.tiergate.localworker.model;

import java.util.Objects;

/**
 * One prompt for a local model: the model id as the local server names it (for Ollama
 * {@code model:tag}), an optional system prompt, the user prompt and an optional output cap.
 */
public record LocalChatRequest(String model, String systemPrompt, String prompt, Integer maxOutputTokens) {

  public LocalChatRequest {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(prompt, "prompt");
  }
}
