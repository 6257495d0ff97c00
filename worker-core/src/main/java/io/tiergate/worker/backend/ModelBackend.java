package io.tiergate.worker.backend;

import java.util.OptionalInt;

/**
 * The SPI a worker plugs a model client into: Ollama, OpenAI-compatible, Anthropic, simulated.
 * Implementations are thread-safe: the runtime calls them concurrently from its worker threads.
 * A call blocks its thread until the answer is complete (streams are consumed to the end, so the
 * final usage is known) or the call's timeout passes.
 */
public interface ModelBackend {

    /** The provider label of results and cost events ("openrouter", "anthropic", "ollama", "simulated"). */
    String provider();

    /** True for the simulated backend: everything it answers is labelled {@code simulated=true}. */
    default boolean simulated() {
        return false;
    }

    /**
     * The {@code max_tokens} this backend's endpoint sends when a call sets none (an endpoint's
     * {@code default-max-output-tokens}); empty: the model's cap from the price table. A worker never
     * sends more than the model's cap either way ({@link ModelCall#maxOutputTokens()}).
     */
    default OptionalInt defaultMaxOutputTokens() {
        return OptionalInt.empty();
    }

    /**
     * @throws ModelCallException for every failure of the model or the transport, typed by kind
     */
    ModelResponse call(ModelCall call) throws ModelCallException;

    /**
     * The same call, handing the answer's text to {@code chunks} as it arrives (docs/gateway.md,
     * "Streaming"): a backend that can stream asks its server for a stream whatever its endpoint's
     * {@code stream} setting. The returned response is the whole answer, as from {@link #call(ModelCall)}.
     * A backend that cannot stream hands nothing (this default): the answer then reaches the client
     * with the final result only.
     *
     * @throws ModelCallException as {@link #call(ModelCall)}; pieces handed before a failure stay handed
     */
    default ModelResponse call(ModelCall call, ChunkSink chunks) throws ModelCallException {
        return call(call);
    }
}
