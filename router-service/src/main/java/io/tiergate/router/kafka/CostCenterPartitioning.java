package io.tiergate.router.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Which partition of routing.by-cost-center a cost center's requests land on: Kafka's default
 * partitioner for a string key (murmur2 of the UTF-8 bytes, made positive, modulo the partition
 * count). The intake publishes keyed by cost center; the deciders and the reservation ledger use
 * this to know which cost centers a partition holds.
 */
public final class CostCenterPartitioning {

    private CostCenterPartitioning() {}

    public static int partitionFor(String costCenter, int partitions) {
        return Utils.toPositive(Utils.murmur2(costCenter.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
