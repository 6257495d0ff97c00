package io.tiergate.platform.kafka.read;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * The offsets a reader must reach to have read what a topic held when the reader started: per
 * partition, the end offset taken at the start (with {@code read_committed}, the last stable offset),
 * or an earlier stop offset. A partition whose position is at or past its target is read.
 */
final class ReadTargets {

    private final Map<TopicPartition, Long> targets;

    ReadTargets(Map<TopicPartition, Long> targets) {
        this.targets = Map.copyOf(targets);
    }

    /** True when every partition's position is at or past its target. */
    boolean reached(ToLongFunction<TopicPartition> position) {
        return remaining(position).isEmpty();
    }

    /** The partitions not read to their target yet, with the target. */
    Map<TopicPartition, Long> remaining(ToLongFunction<TopicPartition> position) {
        Map<TopicPartition, Long> left = new LinkedHashMap<>();
        targets.forEach((tp, target) -> {
            if (position.applyAsLong(tp) < target) {
                left.put(tp, target);
            }
        });
        return left;
    }

    /** The target of {@code tp}; {@code Long.MAX_VALUE} for a partition without one. */
    long of(TopicPartition tp) {
        return targets.getOrDefault(tp, Long.MAX_VALUE);
    }

    Map<TopicPartition, Long> asMap() {
        return targets;
    }

    /**
     * Where a partition starts for {@code start}: a timestamp resolves to the first offset at or after
     * it ({@code found}, from {@code offsetsForTimes}), or to the partition's end when none is.
     */
    static long startOffset(StartAt start, OffsetAndTimestamp found, long beginning, long end) {
        return switch (start.kind()) {
            case BEGINNING -> beginning;
            case END -> end;
            case TIMESTAMP -> found != null ? found.offset() : end;
        };
    }

    /**
     * Where a bounded read stops in a partition: its end at the start, or earlier, at the first record
     * at or after {@code untilMs} when the read has an upper time bound.
     */
    static long stopOffset(long end, OffsetAndTimestamp untilFound) {
        return untilFound == null ? end : Math.min(end, untilFound.offset());
    }
}
