package io.tiergate.worker.backend;

/**
 * Where a streaming call hands the answer's text as the model produces it (docs/gateway.md,
 * "Streaming"). Called on the calling thread, in order, with non-empty pieces; the pieces joined are
 * the answer's output. Must not throw and must not block for long: it sits inside the read loop of
 * the model's stream.
 */
@FunctionalInterface
public interface ChunkSink {

    /** Nobody listens: backends read the answer whichever way their endpoint is configured. */
    ChunkSink NONE = text -> {};

    void text(String piece);
}
