package io.tiergate.worker.runtime;

import io.tiergate.schemas.events.AttemptStarted;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The attempt-started records a worker knows (docs/delivery.md, "Write-ahead attempts"): read from
 * {@code inference.attempts} and its own writes, by request id, for {@code memory} after they were
 * started. What a worker taking a request over reads ({@link io.tiergate.worker.work.Takeover}).
 * Thread-safe.
 */
public final class StartedAttempts {

    private record Key(String requestId, int attempt, String topic, int partition, long offset) {}

    private final Duration memory;
    private final Map<String, List<AttemptStarted>> byRequest = new HashMap<>();
    private final Map<Key, AttemptStarted> seen = new HashMap<>();
    private final Deque<Key> byAge = new ArrayDeque<>();

    /** @param memory how long after its start an attempt is kept (the longest a request may stay in flight) */
    public StartedAttempts(Duration memory) {
        this.memory = Objects.requireNonNull(memory, "memory");
    }

    /** Adds {@code attempt}; a copy (the same record read back) is ignored. */
    public synchronized void add(AttemptStarted attempt, Instant now) {
        forgetStartedBefore(now.minus(memory));
        if (attempt.getStartedAt().isBefore(now.minus(memory))) {
            return;
        }
        Key key = new Key(
                attempt.getRequestId(),
                attempt.getAttempt(),
                attempt.getSourceTopic(),
                attempt.getSourcePartition(),
                attempt.getSourceOffset());
        if (seen.putIfAbsent(key, attempt) == null) {
            byRequest.computeIfAbsent(key.requestId(), k -> new ArrayList<>()).add(attempt);
            byAge.addLast(key);
        }
    }

    /** Every attempt known for {@code requestId}. */
    public synchronized List<AttemptStarted> of(String requestId) {
        return List.copyOf(byRequest.getOrDefault(requestId, List.of()));
    }

    public synchronized int size() {
        return seen.size();
    }

    /** Records arrive roughly in start order; one started late behind an old one is kept a little longer. */
    private void forgetStartedBefore(Instant cutoff) {
        while (!byAge.isEmpty()) {
            Key oldest = byAge.peekFirst();
            AttemptStarted a = seen.get(oldest);
            if (!a.getStartedAt().isBefore(cutoff)) {
                return;
            }
            byAge.removeFirst();
            seen.remove(oldest);
            List<AttemptStarted> list = byRequest.get(oldest.requestId());
            list.remove(a);
            if (list.isEmpty()) {
                byRequest.remove(oldest.requestId());
            }
        }
    }
}
