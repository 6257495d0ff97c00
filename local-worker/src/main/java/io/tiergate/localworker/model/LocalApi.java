package io.tiergate.localworker.model;

/** The protocol a local endpoint speaks. */
public enum LocalApi {
  /** Ollama's native API: {@code /api/chat}. */
  OLLAMA,
  /** OpenAI chat completions: {@code /v1/chat/completions} (llama.cpp server, vLLM, LM Studio). */
  OPENAI_COMPATIBLE
}
