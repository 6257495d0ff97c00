package io.tiergate.worker.work;

import java.util.Objects;

/**
 * Where the routed record a {@link Work} serves was read: its tier topic, partition and offset. A
 * redelivery of the same record has the same coordinates; a duplicate record of the same request
 * (the at-least-once hops before the workers) has a later offset. docs/delivery.md, "Write-ahead
 * attempts".
 */
public record Delivery(String topic, int partition, long offset) {

    public Delivery {
        Objects.requireNonNull(topic, "topic");
    }
}
