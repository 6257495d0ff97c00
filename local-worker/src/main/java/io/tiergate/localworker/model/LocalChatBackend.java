package io.tiergate.localworker.model;

/**
 * A local model server the worker talks to: Ollama's native API, an OpenAI-compatible local server,
 * or the simulated backend. Implementations are thread-safe; concurrency is limited by the caller.
 */
public interface LocalChatBackend {

  /** The provider name written into results and cost events: ollama, openai-compatible, simulated. */
  String provider();

  /** True for the simulated backend: results and cost events carry {@code simulated=true}. */
  boolean simulated();

  /** Where it is, for logs and health details (never carries secrets). */
  String describe();

  LocalChatResponse chat(LocalChatRequest request) throws LocalModelException;
}
