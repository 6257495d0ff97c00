package io.tiergate.localworker.model;

import java.time.Duration;
import java.util.Optional;

/**
 * What a local model answered, with what the server reported about the work.
 *
 * @param content the answer, with any thinking block removed
 * @param promptTokens input tokens the server evaluated (Ollama {@code prompt_eval_count}, OpenAI
 *     {@code usage.prompt_tokens}); 0 when the server did not say
 * @param outputTokens tokens generated (Ollama {@code eval_count}, OpenAI {@code usage.completion_tokens})
 * @param serverBusy how long the server worked on the call as it reports it (Ollama
 *     {@code total_duration}, llama.cpp {@code timings.prompt_ms + predicted_ms}); empty when it did not
 * @param loadDuration time the server spent loading the model (Ollama {@code load_duration}), part of serverBusy
 * @param wallTime measured from sending the request to the last byte
 * @param timeToFirstToken measured until the first content arrived (streaming only)
 */
public record LocalChatResponse(
    String content,
    String model,
    long promptTokens,
    long outputTokens,
    Optional<Duration> serverBusy,
    Optional<Duration> loadDuration,
    Duration wallTime,
    Optional<Duration> timeToFirstToken,
    String doneReason) {

  /** The time the machine was busy with this call: the server's own figure, else the wall time. */
  public Duration busyDuration() {
    return serverBusy.orElse(wallTime);
  }
}
