package io.tiergate.worker.runtime;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The first record of each request a worker has in hand, per partition: a second record of the
 * same request arriving while the first is still in hand is a duplicate from an at-least-once hop,
 * and is not served (docs/delivery.md, "Write-ahead attempts"). Both records are on one partition
 * (same key, same topic), so the duplicate commits only after the first. Poll thread only.
 *
 * @param <P> the partition type
 */
public final class InHandRequests<P> {

    private record Key<P>(P partition, String requestId) {}

    private final Map<Key<P>, Long> first = new HashMap<>();

    /**
     * Notes the record at {@code offset}.
     *
     * @return the offset of an earlier record of the same request still in hand, if any
     */
    public Optional<Long> track(P partition, String requestId, long offset) {
        Objects.requireNonNull(requestId, "requestId");
        Long earlier = first.putIfAbsent(new Key<>(partition, requestId), offset);
        return earlier == null || earlier >= offset ? Optional.empty() : Optional.of(earlier);
    }

    /** The record at {@code offset} left the worker's hands (committed or dropped). */
    public void release(P partition, String requestId, long offset) {
        first.remove(new Key<>(partition, requestId), offset);
    }

    /** Everything of {@code partition} left the worker's hands. */
    public void releaseAll(P partition) {
        first.keySet().removeIf(k -> Objects.equals(k.partition(), partition));
    }

    public int size() {
        return first.size();
    }
}
