package io.tiergate.worker.runtime;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a worker has in hand, per partition and in offset order: records waiting for a free call slot,
 * running, or finished and waiting to be committed. It answers the question the commit rests on
 * (docs/delivery.md, "How" 2): <b>which offset may a partition commit?</b> Only the end of its
 * prefix of consecutive finished records — a record finished out of order waits until every record
 * before it has finished, so a committed offset never skips unfinished work.
 *
 * <p>Threads: one owner thread (the worker's poll thread) calls everything except {@link
 * #complete(Entry)}, which the thread that ran the request may call, and {@link #size()}, which any
 * thread may read.
 *
 * @param <P> the partition (a Kafka {@code TopicPartition} in the worker)
 * @param <T> what the caller keeps per record
 */
public final class InFlightLedger<P, T> {

    /** One tracked record. */
    public static final class Entry<P, T> {
        private final P partition;
        private final long offset;
        private final T item;
        private boolean started;
        private volatile boolean done;

        private Entry(P partition, long offset, T item) {
            this.partition = partition;
            this.offset = offset;
            this.item = item;
        }

        public P partition() {
            return partition;
        }

        public long offset() {
            return offset;
        }

        public T item() {
            return item;
        }

        public boolean done() {
            return done;
        }

        @Override
        public String toString() {
            return partition + "@" + offset + (done ? " done" : started ? " running" : " waiting");
        }
    }

    /**
     * A partition's finished prefix: its items in offset order, and the offset to commit for it (the
     * last record's offset + 1: the next record to read).
     */
    public record Prefix<T>(List<T> items, long nextOffset) {
        public Prefix {
            items = List.copyOf(items);
        }
    }

    /** The finished prefixes of some partitions: what one transaction publishes and commits. */
    public record Committable<P, T>(Map<P, Prefix<T>> prefixes) {
        public Committable {
            prefixes = Collections.unmodifiableMap(new LinkedHashMap<>(prefixes));
        }

        public boolean isEmpty() {
            return prefixes.isEmpty();
        }

        /** Every item, partition by partition, in offset order within each. */
        public List<T> items() {
            List<T> items = new ArrayList<>();
            prefixes.values().forEach(p -> items.addAll(p.items()));
            return items;
        }

        /** Per partition, the offset to commit. */
        public Map<P, Long> nextOffsets() {
            Map<P, Long> offsets = new LinkedHashMap<>();
            prefixes.forEach((p, prefix) -> offsets.put(p, prefix.nextOffset()));
            return offsets;
        }
    }

    private final Map<P, Deque<Entry<P, T>>> byPartition = new LinkedHashMap<>();
    /** Tracked, not yet started, in arrival order across partitions. */
    private final Deque<Entry<P, T>> waiting = new ArrayDeque<>();

    private final AtomicInteger size = new AtomicInteger();

    /**
     * Tracks the record at {@code offset} of {@code partition}, waiting to be started.
     *
     * @throws IllegalArgumentException when {@code offset} is not above the partition's last tracked
     *     offset (a prefix would be meaningless)
     */
    public Entry<P, T> track(P partition, long offset, T item) {
        Deque<Entry<P, T>> entries = byPartition.computeIfAbsent(partition, k -> new ArrayDeque<>());
        if (!entries.isEmpty() && entries.peekLast().offset >= offset) {
            throw new IllegalArgumentException("offset " + offset + " of " + partition
                    + " is not above the last tracked offset " + entries.peekLast().offset);
        }
        Entry<P, T> entry = new Entry<>(partition, offset, item);
        entries.addLast(entry);
        waiting.addLast(entry);
        size.incrementAndGet();
        return entry;
    }

    /**
     * Marks {@code entry} finished (it becomes committable once everything before it is). Any thread;
     * a no-op in effect for an entry already dropped.
     */
    public void complete(Entry<P, T> entry) {
        entry.done = true;
    }

    /**
     * Starts waiting entries, oldest first across partitions, until {@code maxRunning} are running.
     * Entries finished without running (a record that never became a request) are skipped.
     *
     * @return the entries to run now
     */
    public List<Entry<P, T>> startUpTo(int maxRunning) {
        List<Entry<P, T>> started = new ArrayList<>();
        int running = running();
        while (running < maxRunning && !waiting.isEmpty()) {
            Entry<P, T> next = waiting.pollFirst();
            if (next.done) {
                continue;
            }
            next.started = true;
            started.add(next);
            running++;
        }
        return started;
    }

    /** Entries started and not finished. */
    public int running() {
        int n = 0;
        for (Deque<Entry<P, T>> entries : byPartition.values()) {
            for (Entry<P, T> e : entries) {
                if (e.started && !e.done) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * Never starts what is still waiting (a stopping worker fetches and starts nothing new). Those
     * entries stay tracked, so they still hold back their partition's prefix.
     */
    public void abandonWaiting() {
        waiting.clear();
    }

    /** Items of {@code partitions} started and not finished, in partition then offset order. */
    public List<T> unfinished(Collection<P> partitions) {
        List<T> items = new ArrayList<>();
        for (P p : partitions) {
            for (Entry<P, T> e : byPartition.getOrDefault(p, new ArrayDeque<>())) {
                if (e.started && !e.done) {
                    items.add(e.item);
                }
            }
        }
        return items;
    }

    /**
     * The finished prefix of each of {@code partitions} that has one (none for a partition whose first
     * tracked record is unfinished). Changes nothing: after a failed commit the same prefix (or a longer
     * one) is offered again; {@link #release} removes what was committed.
     */
    public Committable<P, T> committable(Collection<P> partitions) {
        Map<P, Prefix<T>> ready = new LinkedHashMap<>();
        for (P p : partitions) {
            List<T> items = new ArrayList<>();
            long next = -1;
            for (Entry<P, T> e : byPartition.getOrDefault(p, new ArrayDeque<>())) {
                if (!e.done) {
                    break;
                }
                items.add(e.item);
                next = e.offset + 1;
            }
            if (!items.isEmpty()) {
                ready.put(p, new Prefix<>(items, next));
            }
        }
        return new Committable<>(ready);
    }

    /** Stops tracking what {@code committed} covers (entries below each prefix's next offset). */
    public void release(Committable<P, T> committed) {
        for (Map.Entry<P, Prefix<T>> c : committed.prefixes().entrySet()) {
            Deque<Entry<P, T>> entries = byPartition.get(c.getKey());
            while (entries != null
                    && !entries.isEmpty()
                    && entries.peekFirst().offset < c.getValue().nextOffset()) {
                if (!entries.peekFirst().done) {
                    throw new IllegalStateException("releasing unfinished " + entries.peekFirst());
                }
                entries.pollFirst();
                size.decrementAndGet();
            }
            if (entries != null && entries.isEmpty()) {
                byPartition.remove(c.getKey());
            }
        }
    }

    /**
     * Stops tracking everything of {@code partitions} (revoked, lost, or reset to the committed
     * offsets: it will be read again, here or by the next owner). Waiting entries never start.
     *
     * @return the items given up unfinished, for the caller to cancel
     */
    public List<T> drop(Collection<P> partitions) {
        List<T> givenUp = new ArrayList<>();
        for (P p : List.copyOf(partitions)) {
            Deque<Entry<P, T>> entries = byPartition.remove(p);
            if (entries == null) {
                continue;
            }
            for (Entry<P, T> e : entries) {
                if (!e.done) {
                    givenUp.add(e.item);
                }
                size.decrementAndGet();
            }
        }
        for (Iterator<Entry<P, T>> it = waiting.iterator(); it.hasNext(); ) {
            if (partitions.contains(it.next().partition)) {
                it.remove();
            }
        }
        return givenUp;
    }

    /** The partitions with something tracked. */
    public Set<P> partitions() {
        return Set.copyOf(byPartition.keySet());
    }

    /** Every tracked item, finished or not. */
    public List<T> items() {
        List<T> items = new ArrayList<>();
        byPartition.values().forEach(entries -> entries.forEach(e -> items.add(e.item)));
        return items;
    }

    /** Records in hand: waiting, running, or finished and not yet committed. Any thread. */
    public int size() {
        return size.get();
    }
}
