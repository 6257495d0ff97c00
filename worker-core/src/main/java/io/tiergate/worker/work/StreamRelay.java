package io.tiergate.worker.work;

import io.tiergate.schemas.events.StreamChunk;

/**
 * Hands the pieces of streamed answers on to {@code inference.stream} (docs/gateway.md, "Streaming").
 * A relay, not a record: {@link #publish} returns at once, outside the worker's transaction, and a
 * piece that cannot be written is lost (the final result still carries the whole answer). The Kafka
 * implementation is {@code kafka.StreamChunkPublisher}.
 */
@FunctionalInterface
public interface StreamRelay {

    /** Relays nothing: a worker without a stream producer, unit tests. */
    StreamRelay NONE = chunk -> {};

    void publish(StreamChunk chunk);
}
