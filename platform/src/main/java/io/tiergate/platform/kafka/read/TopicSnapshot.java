package io.tiergate.platform.kafka.read;

import io.tiergate.platform.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads topics once, on the calling thread: from each topic's start position up to the end offsets
 * taken when the read starts (or the spec's {@code until} time), then closes. Records appended
 * after the start are not handed over. No consumer group, nothing committed.
 *
 * <p>For one-shot reads: the CLI's views of compacted topics, the audit log a router rebuilds its
 * reservations from, a test's "everything on that topic". A registry outage reported by the handler
 * is retried until the timeout.
 */
public final class TopicSnapshot {

    private TopicSnapshot() {}

    /**
     * Hands every record in range to {@code handler}, in offset order per partition.
     *
     * @throws IllegalStateException when the range is not read within {@code timeout}, naming what is
     *     left (and the last registry outage, if one held the read up)
     */
    public static void read(KafkaClientSettings settings, ReadSpec spec, Duration timeout, RecordHandler handler) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (AssignedReader reader = new AssignedReader(settings, spec, true)) {
            while (!reader.reachedTargets()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(
                            spec + " not read to its end within " + timeout + ": " + reader.describeRemaining());
                }
                reader.pollOnce(handler);
            }
        }
    }

    /** Every record in range, in offset order per partition. */
    public static List<ConsumerRecord<String, byte[]>> readAll(
            KafkaClientSettings settings, ReadSpec spec, Duration timeout) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        read(settings, spec, timeout, records::add);
        return records;
    }
}
