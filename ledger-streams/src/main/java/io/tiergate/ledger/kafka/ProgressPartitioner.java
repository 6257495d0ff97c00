package io.tiergate.ledger.kafka;

import io.tiergate.ledger.scope.CostsProgress;
import io.tiergate.ledger.scope.ScopeInput;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Partitions {@code by-scope}: a {@link CostsProgress} marker goes to every partition (each budget
 * task must learn it); everything else is left to the producer's default partitioning by key,
 * exactly as without this partitioner, so scopes stay on the partitions (and stores) they had.
 */
final class ProgressPartitioner implements StreamPartitioner<String, ScopeInput> {

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, ScopeInput value, int numPartitions) {
        if (value instanceof CostsProgress) {
            return Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toSet()));
        }
        return Optional.empty();
    }
}
