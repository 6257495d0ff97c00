package io.tiergate.worker.kafka;

import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.worker.runtime.PausedPartitions;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TierWorker}'s plain {@link KafkaConsumer} on its tier topic: manual offsets (they commit
 * in the producer's transactions), read_committed, cooperative-sticky assignment. Poll thread only,
 * except {@link #wakeup()} and {@link #owned()}.
 */
final class WorkerConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerConsumer.class);

    private final KafkaClientSettings settings;
    private final TierWorkerConfig config;
    private final PausedPartitions<TopicPartition> paused = new PausedPartitions<>();
    private final AtomicBoolean wakeupRequested = new AtomicBoolean();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Set<TopicPartition> owned = Set.of();

    WorkerConsumer(KafkaClientSettings settings, TierWorkerConfig config) {
        this.settings = settings;
        this.config = config;
    }

    /**
     * Creates the consumer (on the thread that will use it) and subscribes to the config's input topic.
     *
     * @param revoked called when a rebalance takes partitions away: the generation is still this
     *     member's, so it may still commit for them
     * @param lost called when partitions were lost (session timed out, fenced): another member may
     *     own them already, so nothing of them may commit
     * @param assigned called when partitions were added to this member (before their records are polled)
     */
    void open(
            Consumer<Collection<TopicPartition>> revoked,
            Consumer<Collection<TopicPartition>> lost,
            Consumer<Collection<TopicPartition>> assigned) {
        Map<String, Object> c = settings.base();
        c.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, config.workerId() + "-consumer");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // hand-offs from another worker are written transactionally: never act on an aborted one
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxInFlight());
        c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        c.putAll(config.consumerOverrides());
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(config.inputTopic().name()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                revoked.accept(partitions);
                owned = Set.copyOf(consumer.assignment());
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                lost.accept(partitions);
                owned = Set.copyOf(consumer.assignment());
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                owned = Set.copyOf(consumer.assignment());
                if (!partitions.isEmpty()) {
                    assigned.accept(partitions);
                    LOG.info("Worker {} assigned {}", config.workerId(), partitions);
                }
            }
        });
    }

    /** Polls; a {@link #wakeup()} ends the wait early with no records. */
    ConsumerRecords<String, byte[]> poll(Duration timeout) {
        try {
            return consumer.poll(timeout);
        } catch (WakeupException e) {
            return ConsumerRecords.empty();
        } finally {
            wakeupRequested.set(false);
        }
    }

    /** Ends the current or next blocking call early (once until the next poll). Any thread; a no-op before {@link #open}. */
    void wakeup() {
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null && wakeupRequested.compareAndSet(false, true)) {
            try {
                c.wakeup();
            } catch (RuntimeException e) {
                // closed already: nothing to wake
            }
        }
    }

    /**
     * Back-pressure without leaving the group: while {@code hold}, every owned partition is paused
     * and polls fetch nothing (so they stay within {@code max.poll.interval.ms}); otherwise resumed.
     */
    void hold(boolean hold) {
        PausedPartitions.Change<TopicPartition> change = paused.update(consumer.assignment(), hold);
        if (!change.pause().isEmpty()) {
            consumer.pause(change.pause());
        }
        if (!change.resume().isEmpty()) {
            consumer.resume(change.resume());
        }
    }

    /** The partitions owned since the last rebalance (none once closed). Any thread. */
    Set<TopicPartition> owned() {
        return owned;
    }

    /** Carried into each transaction's offset commit: it fails once this member's generation is gone (KIP-447). */
    ConsumerGroupMetadata groupMetadata() {
        return consumer.groupMetadata();
    }

    /** Moves every owned partition back to its committed offset (the beginning when it has none). */
    void seekToCommitted() {
        Set<TopicPartition> assigned = Set.copyOf(consumer.assignment());
        if (assigned.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = null;
        while (committed == null) {
            try {
                committed = consumer.committed(assigned);
            } catch (WakeupException e) {
                // a completion of a request just dropped: ask again
            }
        }
        for (TopicPartition tp : assigned) {
            OffsetAndMetadata c = committed.get(tp);
            if (c != null) {
                consumer.seek(tp, c);
            } else {
                consumer.seekToBeginning(List.of(tp));
            }
        }
    }

    /**
     * A stopping worker leaves the group at once, even as a static member, so a scaled-down
     * instance's partitions move now; a killed one just goes (a static member stays in the group).
     */
    void close(boolean killed) {
        owned = Set.of();
        if (consumer == null) {
            return;
        }
        try {
            CloseOptions options = CloseOptions.timeout(Duration.ofSeconds(10));
            consumer.close(
                    killed
                            ? options
                            : options.withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        } catch (RuntimeException e) {
            LOG.debug("consumer close: {}", e.toString());
        }
    }
}
