package io.tiergate.worker.work;

import io.tiergate.schemas.events.StreamChunk;
import io.tiergate.schemas.events.Tier;
import io.tiergate.worker.backend.ChunkSink;
import io.tiergate.worker.backend.ModelResponse;
import java.time.Clock;
import java.time.Duration;

/**
 * One model call's answer as {@link StreamChunk}s (docs/gateway.md, "Streaming"): numbered 0, 1, 2…
 * within the attempt; the first piece is relayed at once (time to first token), later pieces are
 * gathered for up to {@link #GATHER} so a fast model does not write a record per token; the last
 * chunk ({@link #finish}) carries the finish reason and the call's usage. A call that fails sends no
 * last chunk: the gateway learns how the request ended from the next attempt's chunks or from the
 * final result. Used on the calling thread only.
 */
public final class AnswerStream implements ChunkSink {

    /** How long later pieces are gathered into one chunk. */
    public static final Duration GATHER = Duration.ofMillis(50);

    private static final AnswerStream OFF = new AnswerStream(null, "", 1, "", Tier.LOCAL, Clock.systemUTC());

    private final StreamRelay relay;
    private final String requestId;
    private final int attempt;
    private final String model;
    private final Tier tier;
    private final Clock clock;
    private final StringBuilder gathered = new StringBuilder();
    private int seq;
    private long lastSentNanos;

    AnswerStream(StreamRelay relay, String requestId, int attempt, String model, Tier tier, Clock clock) {
        this.relay = relay;
        this.requestId = requestId;
        this.attempt = attempt;
        this.model = model;
        this.tier = tier;
        this.clock = clock;
    }

    /** A stream that relays nothing (the request did not ask to stream). */
    public static AnswerStream off() {
        return OFF;
    }

    /** What the backend is handed: {@link ChunkSink#NONE} when off, so it calls as it would unstreamed. */
    public ChunkSink sink() {
        return relay == null ? ChunkSink.NONE : this;
    }

    @Override
    public void text(String piece) {
        if (relay == null || piece.isEmpty()) {
            return;
        }
        gathered.append(piece);
        if (seq == 0 || System.nanoTime() - lastSentNanos >= GATHER.toNanos()) {
            send(null, null);
        }
    }

    /** The call answered: the rest of the text with the finish reason and usage, as the last chunk. */
    public void finish(ModelResponse response) {
        if (relay == null) {
            return;
        }
        send(response.finishReason().orElse("stop"), response);
    }

    private void send(String finishReason, ModelResponse last) {
        StreamChunk.Builder chunk = StreamChunk.newBuilder()
                .setRequestId(requestId)
                .setAttempt(attempt)
                .setSeq(seq++)
                .setDelta(gathered.toString())
                .setFinishReason(finishReason)
                .setModel(model)
                .setTier(tier)
                .setProducedAt(clock.instant());
        if (last != null) {
            chunk.setInputTokens(last.usage().totalInput())
                    .setOutputTokens(last.usage().output());
        }
        gathered.setLength(0);
        lastSentNanos = System.nanoTime();
        relay.publish(chunk.build());
    }
}
