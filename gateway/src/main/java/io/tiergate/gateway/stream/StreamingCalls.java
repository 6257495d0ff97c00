package io.tiergate.gateway.stream;

import io.tiergate.schemas.events.StreamChunk;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.reactivestreams.Publisher;

/**
 * The streaming calls this instance relays, by request id (docs/gateway.md, "Streaming"). Like
 * {@code PendingCalls}, every instance reads every chunk and decodes only those of calls it holds;
 * an entry lives from before its request is produced until its call ends (result, error, timeout,
 * the client leaving), so it is bounded by the pending calls.
 */
public final class StreamingCalls {

    private final Map<String, ChunkRelay> calls = new ConcurrentHashMap<>();

    /** A relay and the server-sent events it produces ({@code data: …} and a blank line each, in order). */
    public record Live(ChunkRelay relay, Publisher<String> events) {}

    /**
     * Starts relaying {@code requestId}'s chunks. The events are buffered until the response
     * subscribes; {@code onCancel} runs when the subscriber cancels (the client left).
     */
    public Live open(String requestId, boolean includeUsage, Runnable onCancel) {
        EventQueue events = new EventQueue(() -> {
            calls.remove(requestId);
            onCancel.run();
        });
        ChunkRelay relay = new ChunkRelay(
                requestId, includeUsage, ChunkRelay.events(data -> events.push("data: " + data + "\n\n"), () -> {
                    calls.remove(requestId);
                    events.complete();
                }));
        if (calls.putIfAbsent(requestId, relay) != null) {
            throw new IllegalStateException("request id " + requestId + " is already streaming");
        }
        return new Live(relay, events);
    }

    /** Forgets a call that ended without relaying anything. */
    public void forget(String requestId) {
        calls.remove(requestId);
    }

    /** Whether a chunk keyed {@code requestId} is worth decoding here. */
    public boolean waitingFor(String requestId) {
        return requestId != null && calls.containsKey(requestId);
    }

    public void onChunk(StreamChunk chunk) {
        ChunkRelay relay = calls.get(chunk.getRequestId());
        if (relay != null) {
            relay.onChunk(chunk);
        }
    }

    /** Whether {@code requestId}'s call is open and has relayed its first chunk. */
    public boolean relaying(String requestId) {
        ChunkRelay relay = calls.get(requestId);
        return relay != null && relay.started().isDone();
    }

    /** Whether {@code requestId}'s call is open and has relayed its answer's last chunk (only the result is to come). */
    public boolean relayedLastChunk(String requestId) {
        ChunkRelay relay = calls.get(requestId);
        return relay != null && relay.relayedLastChunk();
    }

    /** Calls relaying now. */
    public int size() {
        return calls.size();
    }
}
