package io.tiergate.platform.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a {@link RetryingBatchListener} handles a batch, once: run the work; if it throws, move every
 * partition of the batch back to the batch's first record, wait, and return normally, so the next
 * poll hands over the same records and the commit that follows the method stays where the batch
 * began. Nothing is skipped and nothing past the batch is committed; a batch that keeps failing is
 * read again, forever, with every failed attempt logged.
 *
 * <p>The listener does this itself rather than leave it to micronaut-kafka's retry error strategy:
 * in micronaut-kafka 5.9.0 that strategy throws a {@code NullPointerException} when the batch fails
 * on the first poll after a partition was assigned (a service starting while the schema registry is
 * down, a rebalance), and the batch is then skipped (micronaut-kafka issue 1004, fixed after 5.9.0).
 * The rewind happens on the consumer's own thread between two polls, so the partitions cannot have
 * been revoked in between.
 *
 * <pre>{@code
 * @Topic(Topics.Names.INFERENCE_CLASSIFIED)
 * public void receive(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer) {
 *     BatchRetry.run(records, consumer, () -> forward(records));
 * }
 * }</pre>
 */
public final class BatchRetry {

    private static final Logger LOG = LoggerFactory.getLogger(BatchRetry.class);

    /** Wait before the batch is read again: a broker or registry outage is not hammered. */
    public static final Duration DELAY = Duration.ofSeconds(1);

    private BatchRetry() {}

    /**
     * @return true when the work completed; false when it threw and the batch will be read again
     */
    public static boolean run(List<? extends ConsumerRecord<?, ?>> records, Consumer<?, ?> consumer, Runnable work) {
        return run(records, consumer, work, DELAY);
    }

    static boolean run(
            List<? extends ConsumerRecord<?, ?>> records, Consumer<?, ?> consumer, Runnable work, Duration delay) {
        try {
            work.run();
            return true;
        } catch (RuntimeException e) {
            Map<TopicPartition, Long> starts = firstOffsets(records);
            LOG.warn(
                    "Batch of {} record(s) failed; reading it again from {} in {} ms: {}",
                    records.size(),
                    starts,
                    delay.toMillis(),
                    e.toString(),
                    e);
            starts.forEach(consumer::seek);
            pause(delay);
            return false;
        }
    }

    /** The offset of each partition's first record in the batch, in batch order. */
    static Map<TopicPartition, Long> firstOffsets(List<? extends ConsumerRecord<?, ?>> records) {
        Map<TopicPartition, Long> starts = new LinkedHashMap<>();
        for (ConsumerRecord<?, ?> record : records) {
            starts.merge(new TopicPartition(record.topic(), record.partition()), record.offset(), Math::min);
        }
        return starts;
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // shutting down: the rewound batch is read again after restart
        }
    }
}
