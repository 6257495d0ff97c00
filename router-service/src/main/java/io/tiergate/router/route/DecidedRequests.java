package io.tiergate.router.route;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The request ids this decider decided recently, per routing.by-cost-center partition: a request
 * decided once is not decided again when an at-least-once hop (classifier, router intake, a
 * decider's retried batch) delivers it a second time (docs/budgets.md, "Duplicates"). A request
 * released from deferral is decided again — unless its request already has a final decision
 * (ROUTE or REJECT), which makes the release itself a duplicate.
 *
 * <p>Bounded: an id is remembered for {@code window} after its latest decision, and at most
 * {@code maxIdsPerPartition} ids per partition (the oldest are forgotten first). A duplicate
 * arriving after its id was forgotten is decided again. Used by the decider thread only.
 */
public final class DecidedRequests {

    /** A decision read back from the audit topic (what a rebuild needs of it). */
    public record Past(String requestId, int partition, boolean deferred, long decidedAtMs) {}

    /** Restores the memory of one id as it was before {@link #record} (for a batch that is decided again). */
    public record Undo(int partition, String requestId, Entry previous) {}

    /** What is remembered of one id: whether its latest decision was DEFER, and when it was made. */
    public record Entry(boolean deferred, long decidedAtMs) {}

    private final long windowMs;
    private final int maxIdsPerPartition;
    /** Per partition, ids in the order of their latest decision (oldest first). */
    private final Map<Integer, LinkedHashMap<String, Entry>> byPartition = new HashMap<>();

    public DecidedRequests(Duration window, int maxIdsPerPartition) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be > 0, was " + window);
        }
        if (maxIdsPerPartition < 1) {
            throw new IllegalArgumentException("maxIdsPerPartition must be >= 1, was " + maxIdsPerPartition);
        }
        this.windowMs = window.toMillis();
        this.maxIdsPerPartition = maxIdsPerPartition;
    }

    /**
     * Whether a record of {@code requestId} on {@code partition} is a duplicate of a decision made
     * within the window: a never-deferred record ({@code deferCount == 0}) is one if the id was
     * decided at all; a released record ({@code deferCount > 0}) only if the id's latest decision
     * was not DEFER (the request was already routed or rejected).
     */
    public boolean isDuplicate(int partition, String requestId, int deferCount, long nowMs) {
        LinkedHashMap<String, Entry> ids = byPartition.get(partition);
        if (ids == null) {
            return false;
        }
        expire(ids, nowMs);
        Entry e = ids.get(requestId);
        if (e == null || e.decidedAtMs() < nowMs - windowMs) {
            return false;
        }
        return deferCount == 0 || !e.deferred();
    }

    /** Remembers a decision whose records were handed to the producer; the returned token undoes it. */
    public Undo record(int partition, String requestId, boolean deferred, long decidedAtMs) {
        LinkedHashMap<String, Entry> ids = byPartition.computeIfAbsent(partition, p -> new LinkedHashMap<>());
        Entry previous = ids.remove(requestId); // re-inserted last: the map stays in decision order
        ids.put(requestId, new Entry(deferred, decidedAtMs));
        expire(ids, decidedAtMs);
        return new Undo(partition, requestId, previous);
    }

    /** Undoes {@link #record}s (in reverse order) of a batch whose records were not all written. */
    public void undo(List<Undo> undos) {
        for (int i = undos.size() - 1; i >= 0; i--) {
            Undo u = undos.get(i);
            LinkedHashMap<String, Entry> ids = byPartition.get(u.partition());
            if (ids == null) {
                continue;
            }
            if (u.previous() == null) {
                ids.remove(u.requestId());
            } else {
                ids.put(u.requestId(), u.previous());
            }
        }
    }

    /**
     * Replaces the memory of {@code partitions} with the decisions read back from the audit topic
     * (in log order; those of other partitions are ignored).
     *
     * @return the ids remembered for these partitions afterwards
     */
    public int rebuild(Collection<Integer> partitions, List<Past> past, long nowMs) {
        partitions.forEach(p -> byPartition.put(p, new LinkedHashMap<>()));
        past.stream()
                .filter(d -> partitions.contains(d.partition()) && d.decidedAtMs() >= nowMs - windowMs)
                .sorted((a, b) -> Long.compare(a.decidedAtMs(), b.decidedAtMs()))
                .forEach(d -> record(d.partition(), d.requestId(), d.deferred(), d.decidedAtMs()));
        int n = 0;
        for (Integer p : partitions) {
            LinkedHashMap<String, Entry> ids = byPartition.get(p);
            expire(ids, nowMs);
            n += ids.size();
        }
        return n;
    }

    /** Forgets partitions this instance no longer decides. */
    public void forget(Collection<Integer> partitions) {
        partitions.forEach(byPartition::remove);
    }

    public void forgetAll() {
        byPartition.clear();
    }

    /** Ids remembered for {@code partition}. */
    public int size(int partition) {
        LinkedHashMap<String, Entry> ids = byPartition.get(partition);
        return ids == null ? 0 : ids.size();
    }

    private void expire(LinkedHashMap<String, Entry> ids, long nowMs) {
        long cutoff = nowMs - windowMs;
        Iterator<Entry> it = ids.values().iterator();
        while (it.hasNext()) {
            Entry e = it.next();
            if (ids.size() > maxIdsPerPartition || e.decidedAtMs() < cutoff) {
                it.remove();
            } else {
                break;
            }
        }
    }
}
