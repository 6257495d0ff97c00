package io.tiergate.router.defer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a deferral releaser holds of each deferred request (docs/budgets.md, "Deferral"): its place on
 * {@code inference.deferred} (partition, offset), its cost center, when it was first deferred, when
 * this copy was written, how often it was deferred and how many bytes its record has — never the
 * request itself, which is read again by offset when it is released or rejected. About 40 bytes of
 * heap per deferral, in primitive arrays per partition, in offset order.
 *
 * <p>The rules: a new deferral is refused when the bytes held would exceed {@code maxBytes}; a
 * deferral first made {@code maxAge} ago or earlier expires (rejected, whatever its budget); one
 * whose cost center and {@code global} are no longer EXHAUSTED is released once it has been held
 * {@code minHold × 2^(deferrals−1)} (at most {@code maxHold}). Oldest deferral first, a bounded
 * number per pass. Not thread-safe: the releaser's loop thread owns it.
 */
public final class DeferralIndex {

    /** What became of a new deferral. */
    public enum Admission {
        HELD,
        /** Holding it would exceed the byte bound: it gets a REJECTED result instead. */
        OVER_BYTES
    }

    /** A deferral due for release or expiry: where its record is, and what travels with it. */
    public record Due(int partition, long offset, String costCenter, int deferCount, long deferredAtMs) {}

    /** One pass: what to release and what to reject as expired (each oldest deferral first). */
    public record Pass(List<Due> release, List<Due> expire) {
        public boolean isEmpty() {
            return release.isEmpty() && expire.isEmpty();
        }
    }

    private final DeferralLimits limits;
    private final Map<Integer, PartitionLog> partitions = new HashMap<>();
    private final Map<String, Integer> costCenterIds = new HashMap<>();
    private final List<String> costCenters = new ArrayList<>();
    private long heldBytes;
    private int size;

    public DeferralIndex(DeferralLimits limits) {
        this.limits = limits;
    }

    /**
     * Notes that {@code offset} of {@code partition} was read (a deferral, a marker, a dead letter):
     * the partition's committable offset moves past it unless something before it is still held.
     */
    public void read(int partition, long offset) {
        PartitionLog log = log(partition);
        log.nextOffset = Math.max(log.nextOffset, offset + 1);
    }

    /**
     * Holds a deferral read at {@code offset}, unless {@code enforceBound} and its bytes would take
     * the held bytes over the bound. The bound is not enforced while a partition is rebuilt after a
     * restart: those deferrals were admitted before.
     */
    public Admission admit(
            int partition,
            long offset,
            String costCenter,
            long deferredAtMs,
            long writtenAtMs,
            int deferCount,
            int sizeBytes,
            boolean enforceBound) {
        read(partition, offset);
        if (enforceBound && heldBytes + sizeBytes > limits.maxBytes()) {
            return Admission.OVER_BYTES;
        }
        PartitionLog log = log(partition);
        if (!log.append(
                offset, costCenterId(costCenter), deferredAtMs, writtenAtMs, Math.max(1, deferCount), sizeBytes)) {
            return Admission.HELD; // read twice (a rewound session): held once
        }
        heldBytes += sizeBytes;
        size++;
        return Admission.HELD;
    }

    /** Forgets a deferral that was released or rejected; false when it was not held. */
    public boolean remove(int partition, long offset) {
        PartitionLog log = partitions.get(partition);
        if (log == null) {
            return false;
        }
        int bytes = log.remove(offset);
        if (bytes < 0) {
            return false;
        }
        heldBytes -= bytes;
        size--;
        if (size == 0) {
            costCenterIds.clear();
            costCenters.clear();
            partitions.values().forEach(PartitionLog::forgetCostCenters);
        }
        return true;
    }

    /**
     * The deferrals due now, at most {@code limit} of each kind, oldest deferral first.
     *
     * @param budgetAllows whether a cost center may be released (neither it nor global EXHAUSTED);
     *     asked once per cost center and pass
     */
    public Pass due(long nowMs, Predicate<String> budgetAllows, int limit) {
        List<Due> release = new ArrayList<>();
        List<Due> expire = new ArrayList<>();
        Boolean[] allowed = new Boolean[costCenters.size()];
        long maxAgeMs = limits.maxAge().toMillis();
        for (Map.Entry<Integer, PartitionLog> e : partitions.entrySet()) {
            PartitionLog log = e.getValue();
            for (int i = log.head; i < log.tail; i++) {
                if (log.sizes[i] < 0) {
                    continue;
                }
                if (nowMs - log.deferredAt[i] >= maxAgeMs) {
                    expire.add(log.due(e.getKey(), i, costCenters));
                    continue;
                }
                if (nowMs - log.writtenAt[i] < limits.holdMs(log.counts[i])) {
                    continue;
                }
                int cc = log.costCenters[i];
                if (allowed[cc] == null) {
                    allowed[cc] = budgetAllows.test(costCenters.get(cc));
                }
                if (allowed[cc]) {
                    release.add(log.due(e.getKey(), i, costCenters));
                }
            }
        }
        return new Pass(oldestFirst(release, limit), oldestFirst(expire, limit));
    }

    private static List<Due> oldestFirst(List<Due> due, int limit) {
        due.sort(Comparator.comparingLong(Due::deferredAtMs)
                .thenComparingInt(Due::partition)
                .thenComparingLong(Due::offset));
        return due.size() <= limit ? due : new ArrayList<>(due.subList(0, limit));
    }

    /** The offset to commit for a partition: its oldest held deferral, or past everything read. */
    public long committable(int partition) {
        PartitionLog log = partitions.get(partition);
        if (log == null) {
            return -1;
        }
        return log.head < log.tail ? log.offsets[log.head] : log.nextOffset;
    }

    /** The partitions read so far (each has a committable offset). */
    public Set<Integer> partitions() {
        return Set.copyOf(partitions.keySet());
    }

    /** Forgets a partition (revoked, lost). */
    public void drop(int partition) {
        PartitionLog log = partitions.remove(partition);
        if (log == null) {
            return;
        }
        for (int i = log.head; i < log.tail; i++) {
            if (log.sizes[i] >= 0) {
                heldBytes -= log.sizes[i];
                size--;
            }
        }
    }

    /** Forgets everything (a failed session: the next one reads again from the committed offsets). */
    public void clear() {
        partitions.clear();
        costCenterIds.clear();
        costCenters.clear();
        heldBytes = 0;
        size = 0;
    }

    /** Deferrals held. */
    public int size() {
        return size;
    }

    /** Bytes of the records of the deferrals held (what the byte bound limits). */
    public long heldBytes() {
        return heldBytes;
    }

    public DeferralLimits limits() {
        return limits;
    }

    private PartitionLog log(int partition) {
        return partitions.computeIfAbsent(partition, p -> new PartitionLog());
    }

    private int costCenterId(String costCenter) {
        Integer id = costCenterIds.get(costCenter);
        if (id == null) {
            id = costCenters.size();
            costCenters.add(costCenter);
            costCenterIds.put(costCenter, id);
        }
        return id;
    }

    /**
     * One partition's held deferrals in offset order, in parallel arrays: {@code [head, tail)} is in
     * use, a removed entry has size −1 until compaction. Appends are in offset order because a
     * partition is read in order.
     */
    private static final class PartitionLog {
        private static final int INITIAL = 64;

        long nextOffset;
        long[] offsets = new long[INITIAL];
        long[] deferredAt = new long[INITIAL];
        long[] writtenAt = new long[INITIAL];
        int[] sizes = new int[INITIAL];
        int[] counts = new int[INITIAL];
        int[] costCenters = new int[INITIAL];
        int head;
        int tail;
        int live;

        boolean append(long offset, int costCenter, long deferredAtMs, long writtenAtMs, int count, int bytes) {
            if (tail > head && offset <= offsets[tail - 1]) {
                return false;
            }
            if (tail == offsets.length) {
                compact(live + 1);
            }
            offsets[tail] = offset;
            deferredAt[tail] = deferredAtMs;
            writtenAt[tail] = writtenAtMs;
            sizes[tail] = Math.max(0, bytes);
            counts[tail] = count;
            costCenters[tail] = costCenter;
            tail++;
            live++;
            return true;
        }

        /** Removes the entry at {@code offset}; its bytes, or −1 when not held. */
        int remove(long offset) {
            int i = Arrays.binarySearch(offsets, head, tail, offset);
            if (i < 0 || sizes[i] < 0) {
                return -1;
            }
            int bytes = sizes[i];
            sizes[i] = -1;
            live--;
            while (head < tail && sizes[head] < 0) {
                head++;
            }
            if (head == tail) {
                head = 0;
                tail = 0;
            }
            return bytes;
        }

        Due due(int partition, int i, List<String> names) {
            return new Due(partition, offsets[i], names.get(costCenters[i]), counts[i], deferredAt[i]);
        }

        /** Only called when no entry is live: cost center ids are renumbered from scratch. */
        void forgetCostCenters() {
            head = 0;
            tail = 0;
        }

        /** Moves live entries to the front; grows the arrays when they would be more than 3/4 full. */
        private void compact(int needed) {
            int capacity = offsets.length;
            if (needed > capacity * 3 / 4) {
                capacity = Math.max(INITIAL, capacity * 2);
            }
            long[] o = new long[capacity];
            long[] d = new long[capacity];
            long[] w = new long[capacity];
            int[] s = new int[capacity];
            int[] c = new int[capacity];
            int[] cc = new int[capacity];
            int n = 0;
            for (int i = head; i < tail; i++) {
                if (sizes[i] >= 0) {
                    o[n] = offsets[i];
                    d[n] = deferredAt[i];
                    w[n] = writtenAt[i];
                    s[n] = sizes[i];
                    c[n] = counts[i];
                    cc[n] = costCenters[i];
                    n++;
                }
            }
            offsets = o;
            deferredAt = d;
            writtenAt = w;
            sizes = s;
            counts = c;
            costCenters = cc;
            head = 0;
            tail = n;
        }
    }
}
