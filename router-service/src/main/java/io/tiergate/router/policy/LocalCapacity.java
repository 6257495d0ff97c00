package io.tiergate.router.policy;

/**
 * What the router knows about the local tier right now (from {@code worker.health}).
 *
 * @param known false when no fresh health record exists (the local tier is then assumed available)
 * @param overloaded every known local worker is at/over its queue limit or has its circuit open
 * @param circuitOpen every known local worker has its circuit open
 * @param queueWaitMs estimated wait before a new request starts on the least-loaded available worker
 *     ({@link Long#MAX_VALUE} when none is available)
 * @param summary human-readable, for rationales
 */
public record LocalCapacity(boolean known, boolean overloaded, boolean circuitOpen, long queueWaitMs, String summary) {

    public static LocalCapacity unknown() {
        return new LocalCapacity(false, false, false, 0, "no local worker health known (assumed available)");
    }
}
