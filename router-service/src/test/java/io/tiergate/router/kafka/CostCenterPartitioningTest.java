package io.tiergate.router.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class CostCenterPartitioningTest {

    /** The ledger's idea of a cost center's partition must be where the intake's producer puts it. */
    @Test
    void matchesTheProducersDefaultPartitionerForStringKeys() {
        for (int partitions : new int[] {1, 3, 7, 12}) {
            for (int i = 0; i < 500; i++) {
                String costCenter = "cost-center-" + i + (i % 3 == 0 ? "-ünïcödé" : "");
                assertThat(CostCenterPartitioning.partitionFor(costCenter, partitions))
                        .isEqualTo(BuiltInPartitioner.partitionForKey(
                                costCenter.getBytes(StandardCharsets.UTF_8), partitions));
            }
        }
    }
}
