package io.tiergate.platform.kafka.listener;

import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.context.annotation.Requires;
import io.tiergate.platform.kafka.BatchRetry;
import io.tiergate.platform.kafka.RetryingBatchListener;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Listeners declared only with {@link RetryingBatchListener}, for {@link RetryingBatchListenerIT}. */
final class ListenerFixtures {

    static final String ENABLED = "tiergate.platform-it.listeners";
    static final String SYNC_TOPIC = "platform.it.listener.sync";
    static final String ASYNC_TOPIC = "platform.it.listener.async";
    /** A record whose first delivery fails (its batch must be read again). */
    static final String FAIL_ONCE = "fail-once";

    private ListenerFixtures() {}

    /** Group id from a placeholder; default offset strategy; fails {@link #FAIL_ONCE}'s first delivery. */
    @RetryingBatchListener(groupId = "${tiergate.platform-it.sync-group}")
    @Requires(property = ENABLED, value = "true")
    static class FlakyListener {
        final List<String> received = new CopyOnWriteArrayList<>();
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        final Map<String, Integer> deliveries = new ConcurrentHashMap<>();

        @Topic(SYNC_TOPIC)
        public void receive(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer) {
            BatchRetry.run(records, consumer, () -> handle(records));
        }

        private void handle(List<ConsumerRecord<String, byte[]>> records) {
            batchSizes.add(records.size());
            for (ConsumerRecord<String, byte[]> record : records) {
                int n = deliveries.merge(record.key(), 1, Integer::sum);
                if (record.key().equals(FAIL_ONCE) && n == 1) {
                    throw new IllegalStateException("first delivery of " + FAIL_ONCE + " fails");
                }
            }
            records.forEach(r -> received.add(r.key()));
        }
    }

    /** Overrides the offset strategy and the consumer count, as the hot-path listeners do. */
    @RetryingBatchListener(
            groupId = "${tiergate.platform-it.async-group}",
            offsetStrategy = OffsetStrategy.ASYNC,
            threadsValue = "${tiergate.platform-it.async-threads:1}")
    @Requires(property = ENABLED, value = "true")
    static class AsyncListener {
        final List<String> received = new CopyOnWriteArrayList<>();

        @Topic(ASYNC_TOPIC)
        public void receive(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer) {
            BatchRetry.run(records, consumer, () -> records.forEach(r -> received.add(r.key())));
        }
    }
}
