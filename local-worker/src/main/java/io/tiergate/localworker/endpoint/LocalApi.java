package io.tiergate.localworker.endpoint;

/** The protocol a local endpoint speaks, and the provider label of what it answers. */
public enum LocalApi {
    /** Ollama's native API: {@code /api/chat}. */
    OLLAMA("ollama"),
    /** OpenAI chat completions: {@code /v1/chat/completions} (llama.cpp server, vLLM, LM Studio). */
    OPENAI_COMPATIBLE("openai-compatible");

    private final String provider;

    LocalApi(String provider) {
        this.provider = provider;
    }

    /** The provider name written into results and cost events. */
    public String provider() {
        return provider;
    }
}
