package io.tiergate.ledger.kafka;

import io.tiergate.ledger.scope.CostsProgress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.processor.TaskId;

/**
 * The last {@code inference.costs} offset each task of this ledger instance has taken in, whatever
 * became of the record (counted, a redelivery, dead-lettered). Written by {@link NoteCostOffsets}
 * at the head of the cost path and read by {@link MarkCostsProgress} at its end, both in the same
 * task and so on the same stream thread: a task's entry is only ever touched by one thread at a
 * time.
 */
final class CostsProgressBoard {

    private final Map<TaskId, CostsProgress> taken = new ConcurrentHashMap<>();

    /** A task (re)starts: nothing taken in yet by this incarnation. */
    void reset(TaskId task) {
        taken.remove(task);
    }

    void taken(TaskId task, int partition, long offset) {
        taken.put(task, new CostsProgress(partition, offset + 1));
    }

    Optional<CostsProgress> progress(TaskId task) {
        return Optional.ofNullable(taken.get(task));
    }
}
