package io.tiergate.router.kafka;

import io.tiergate.platform.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads chosen records of a topic again by offset: the deferral releaser holds only offsets and
 * reads a deferred request's record when it releases or rejects it (docs/budgets.md, "Deferral").
 * A consumer without a group (platform's reader config): it assigns itself the partitions, seeks
 * to the first wanted offset of each and reads forward past the last one, keeping only the wanted
 * records, so at most one poll's worth of other records is in memory at a time.
 */
final class DeferredPayloads implements AutoCloseable {

    private final String topic;
    private final KafkaConsumer<String, byte[]> consumer;

    DeferredPayloads(KafkaClientSettings client, String topic, String clientId) {
        this.topic = topic;
        // read_uncommitted: the router writes inference.deferred without transactions
        this.consumer = RestartingConsumer.newConsumer(client.readerConfig(clientId, false));
    }

    /**
     * The records at {@code offsets} (per partition, sorted ascending). An offset that is not found
     * (retention removed it) is missing from the answer.
     *
     * @throws IllegalStateException when the records are not read within {@code timeout}
     */
    Map<Integer, Map<Long, ConsumerRecord<String, byte[]>>> fetch(Map<Integer, long[]> offsets, Duration timeout) {
        Map<Integer, Map<Long, ConsumerRecord<String, byte[]>>> found = new HashMap<>();
        if (offsets.isEmpty()) {
            return found;
        }
        List<TopicPartition> partitions = new ArrayList<>();
        offsets.keySet().forEach(p -> partitions.add(new TopicPartition(topic, p)));
        consumer.assign(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
        Map<TopicPartition, Long> targets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            long[] wanted = offsets.get(tp.partition());
            consumer.seek(tp, wanted[0]);
            long end = ends.getOrDefault(tp, 0L);
            targets.put(tp, Math.min(end, wanted[wanted.length - 1] + 1));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reached(targets)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Deferred records not read within " + timeout + ": " + targets);
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                long[] wanted = offsets.get(r.partition());
                if (wanted != null && Arrays.binarySearch(wanted, r.offset()) >= 0) {
                    found.computeIfAbsent(r.partition(), p -> new HashMap<>()).put(r.offset(), r);
                }
            }
        }
        return found;
    }

    private boolean reached(Map<TopicPartition, Long> targets) {
        for (Map.Entry<TopicPartition, Long> e : targets.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Wakes a blocked poll (the releaser is closing). */
    void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
