package io.tiergate.worker.kafka;

/**
 * Where a {@link TierWorker} asks whether to die the way {@code kill -9} would: for tests and chaos
 * drills that need a crash at an exact point. Production uses {@link #NONE}, which never says so.
 * The worker asks on its poll thread; implementations are thread-safe.
 */
public interface FaultInjection {

    /** Never kills: the production hook. */
    FaultInjection NONE = new FaultInjection() {};

    /**
     * Asked before each step that would fetch, publish or commit. True: the instance is dead from now
     * on — nothing more is committed, in-flight requests keep running but their outcomes are thrown
     * away, the producer closes without committing, the consumer closes without a final commit (a
     * static member stays in the group, as after {@code kill -9}), and the uncommitted requests go to
     * another instance.
     */
    default boolean killed() {
        return false;
    }

    /**
     * Asked in each transaction after its outputs were sent and before its offsets and commit. True:
     * the instance dies right there, its outputs flushed to the log and never committed (the broker
     * aborts the transaction when it times out, or at once when an instance with the same
     * transactional id starts).
     */
    default boolean killBeforeCommit() {
        return false;
    }
}
