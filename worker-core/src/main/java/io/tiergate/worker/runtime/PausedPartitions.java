package io.tiergate.worker.runtime;

import java.util.HashSet;
import java.util.Set;

/**
 * Back-pressure without leaving the group (docs/delivery.md, "How" 7): when a worker has as many
 * requests in hand as it may, it pauses its partitions and keeps polling, so a slow model call never
 * exceeds {@code max.poll.interval.ms}; when a slot frees up it resumes them. This class decides which
 * partitions to pause or resume; the caller applies that to its consumer. One thread.
 *
 * @param <P> the partition (a Kafka {@code TopicPartition} in the worker)
 */
public final class PausedPartitions<P> {

    /** What to pause and what to resume now (either may be empty). */
    public record Change<P>(Set<P> pause, Set<P> resume) {
        public Change {
            pause = Set.copyOf(pause);
            resume = Set.copyOf(resume);
        }
    }

    private final Set<P> paused = new HashSet<>();

    /**
     * @param owned the partitions assigned now (a revoked partition is forgotten, never resumed)
     * @param hold true while nothing more may be fetched: full, or stopping
     */
    public Change<P> update(Set<P> owned, boolean hold) {
        paused.retainAll(owned);
        if (hold) {
            Set<P> toPause = new HashSet<>(owned);
            toPause.removeAll(paused);
            paused.addAll(toPause);
            return new Change<>(toPause, Set.of());
        }
        Set<P> toResume = Set.copyOf(paused);
        paused.clear();
        return new Change<>(Set.of(), toResume);
    }
}
