package io.tiergate.platform.kafka.read;

import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one read loop behind snapshots, followers and compacted views: a consumer without a group,
 * assigned every partition of its topics, positioned where the spec says, with the targets (end
 * offsets at the start) fixed before anything is read. Used from one thread at a time.
 *
 * <p>A record whose handler reports a schema registry outage is not lost and not skipped: its
 * partition is rewound to it and paused for the spec's retry delay, while other partitions go on.
 */
final class AssignedReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AssignedReader.class);

    private final ReadSpec spec;
    private final boolean bounded;
    private final KafkaConsumer<String, byte[]> consumer;
    private final ReadTargets targets;
    /** Partitions paused after a registry outage, with when to read them again (System.nanoTime). */
    private final Map<TopicPartition, Long> retryAt = new HashMap<>();

    private String lastOutage;

    /**
     * @param bounded true for a snapshot: records at or past a partition's target are not handed over
     */
    AssignedReader(KafkaClientSettings settings, ReadSpec spec, boolean bounded) {
        this.spec = spec;
        this.bounded = bounded;
        Map<String, Object> config = settings.readerConfig(spec.clientId(), spec.isReadCommitted());
        config.putAll(spec.properties());
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        try {
            this.targets = assignAndSeek();
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    private ReadTargets assignAndSeek() {
        Duration timeout = spec.metadataTimeout();
        Map<TopicPartition, StartAt> starts = new LinkedHashMap<>();
        spec.topics().forEach((topic, start) -> {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos != null) {
                infos.forEach(p -> starts.put(new TopicPartition(p.topic(), p.partition()), start));
            }
        });
        List<TopicPartition> all = new ArrayList<>(starts.keySet());
        consumer.assign(all);
        if (all.isEmpty()) {
            return new ReadTargets(Map.of());
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(all, timeout);
        Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(all, timeout);
        Map<TopicPartition, Long> startTimes = new HashMap<>();
        starts.forEach((tp, start) -> {
            if (start.kind() == StartAt.Kind.TIMESTAMP) {
                startTimes.put(tp, start.timestampMs());
            }
        });
        Map<TopicPartition, OffsetAndTimestamp> found =
                startTimes.isEmpty() ? Map.of() : consumer.offsetsForTimes(startTimes, timeout);
        Map<TopicPartition, OffsetAndTimestamp> stopsFound = Map.of();
        if (bounded && spec.untilMs() != null) {
            Map<TopicPartition, Long> untilTimes = new HashMap<>();
            all.forEach(tp -> untilTimes.put(tp, spec.untilMs()));
            stopsFound = consumer.offsetsForTimes(untilTimes, timeout);
        }
        Map<TopicPartition, Long> stops = new HashMap<>();
        for (TopicPartition tp : all) {
            consumer.seek(tp, ReadTargets.startOffset(starts.get(tp), found.get(tp), beginnings.get(tp), ends.get(tp)));
            stops.put(tp, ReadTargets.stopOffset(ends.get(tp), stopsFound.get(tp)));
        }
        return new ReadTargets(stops);
    }

    /** Polls once and hands the records over, in offset order per partition. */
    void pollOnce(RecordHandler handler) {
        resumeDue();
        ConsumerRecords<String, byte[]> records = consumer.poll(spec.pollTimeout());
        for (TopicPartition tp : records.partitions()) {
            long stop = bounded ? targets.of(tp) : Long.MAX_VALUE;
            for (ConsumerRecord<String, byte[]> record : records.records(tp)) {
                if (record.offset() >= stop) {
                    consumer.pause(List.of(tp)); // read to its target: nothing more to fetch there
                    break;
                }
                try {
                    handler.accept(record);
                } catch (EventDecoder.RegistryUnavailableException e) {
                    // the registry is down, not the record bad: read this partition again from it later
                    lastOutage = e.getMessage();
                    LOG.warn(
                            "{}: {}; reading {} again in {} ms",
                            spec.clientId(),
                            e.getMessage(),
                            tp,
                            spec.registryRetryDelay().toMillis());
                    consumer.seek(tp, record.offset());
                    consumer.pause(List.of(tp));
                    retryAt.put(
                            tp, System.nanoTime() + spec.registryRetryDelay().toNanos());
                    break;
                }
            }
        }
    }

    private void resumeDue() {
        long now = System.nanoTime();
        List<TopicPartition> due = new ArrayList<>();
        for (Iterator<Map.Entry<TopicPartition, Long>> it = retryAt.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<TopicPartition, Long> e = it.next();
            if (now - e.getValue() >= 0) {
                due.add(e.getKey());
                it.remove();
            }
        }
        if (!due.isEmpty()) {
            consumer.resume(due);
        }
    }

    /** True when every partition has been read up to its target. */
    boolean reachedTargets() {
        return targets.reached(this::position);
    }

    /** What is left to read, for error messages: partitions with position and target, and the last registry outage. */
    String describeRemaining() {
        StringBuilder text = new StringBuilder();
        targets.remaining(this::position)
                .forEach((tp, target) -> text.append(text.length() == 0 ? "" : ", ")
                        .append(tp)
                        .append(" at ")
                        .append(position(tp))
                        .append(" of ")
                        .append(target));
        if (lastOutage != null) {
            text.append("; last schema registry outage: ").append(lastOutage);
        }
        return text.toString();
    }

    private long position(TopicPartition tp) {
        return consumer.position(tp, spec.metadataTimeout());
    }

    /** Wakes a blocked poll (from any thread): it throws {@link org.apache.kafka.common.errors.WakeupException}. */
    void wakeup() {
        try {
            consumer.wakeup();
        } catch (IllegalStateException alreadyClosed) {
            // the loop ended on its own and closed the consumer: nothing to wake
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
