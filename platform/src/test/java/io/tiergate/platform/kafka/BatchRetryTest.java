package io.tiergate.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Where {@link BatchRetry} rewinds to; the rewind itself runs on a real broker in {@code RetryingBatchListenerIT}. */
class BatchRetryTest {

    private static ConsumerRecord<String, String> record(String topic, int partition, long offset) {
        return new ConsumerRecord<>(topic, partition, offset, "k", "v");
    }

    @Test
    void eachPartitionGoesBackToItsFirstRecordInTheBatch() {
        List<ConsumerRecord<String, String>> batch =
                List.of(record("a", 1, 7), record("a", 0, 3), record("a", 1, 8), record("b", 0, 40), record("a", 0, 4));

        assertThat(BatchRetry.firstOffsets(batch))
                .containsExactly(
                        Map.entry(new TopicPartition("a", 1), 7L),
                        Map.entry(new TopicPartition("a", 0), 3L),
                        Map.entry(new TopicPartition("b", 0), 40L));
    }

    @Test
    void anEmptyBatchHasNothingToRewind() {
        assertThat(BatchRetry.firstOffsets(List.of())).isEmpty();
    }
}
