package io.tiergate.localworker.endpoint;

import java.util.Locale;

/** {@code tiergate.local-worker.backend}: how the worker finds its local model. */
public enum BackendMode {
    /** Probe each endpoint at start; an endpoint left at the default URL that does not answer is simulated. */
    AUTO,
    /** Ollama's native API, never simulated. */
    OLLAMA,
    /** An OpenAI-compatible local server, never simulated. */
    OPENAI_COMPATIBLE,
    /** The simulated backend, for demos and load tests. */
    SIMULATED;

    /** Parses {@code auto | ollama | openai-compatible | simulated} (case-insensitive). */
    public static BackendMode parse(String value) {
        String normalized = value.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return valueOf(normalized);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "tiergate.local-worker.backend must be one of auto, ollama, openai-compatible, simulated; was \""
                            + value + "\"");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
