package io.tiergate.localworker.testing;

import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.read.ReadSpec;
import io.tiergate.platform.kafka.read.TopicFollower;
import io.tiergate.schemas.topics.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads a topic from the beginning, as a downstream service would (read_committed: the worker
 * publishes transactionally), keeping every record seen so a test can await a condition over them
 * (platform's {@link TopicFollower}, in the background).
 */
public final class TopicReader implements AutoCloseable {

    private final List<ConsumerRecord<String, byte[]>> seen = new CopyOnWriteArrayList<>();
    private final TopicFollower follower;

    public TopicReader(String bootstrapServers, String topic) {
        String clientId = "reader-" + UUID.randomUUID();
        follower = TopicFollower.start(
                new KafkaClientSettings(bootstrapServers, null, clientId),
                ReadSpec.of(clientId).topic(topic).readCommitted(true),
                seen::add);
    }

    /** Everything seen so far. */
    public List<ConsumerRecord<String, byte[]>> records() {
        follower.check();
        return List.copyOf(seen);
    }

    public List<ConsumerRecord<String, byte[]>> withKey(String key) {
        return records().stream().filter(r -> key.equals(r.key())).toList();
    }

    /** The decoded values of the records with {@code key} (tombstones skipped). */
    public <V extends SpecificRecord> List<V> values(EventDecoder decoder, Topic<V> topic, String key) {
        List<V> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : withKey(key)) {
            if (r.value() != null) {
                out.add(decoder.decode(topic, r));
            }
        }
        return out;
    }

    public <V extends SpecificRecord> List<V> values(
            EventDecoder decoder, Topic<V> topic, Predicate<ConsumerRecord<String, byte[]>> which) {
        List<V> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records()) {
            if (r.value() != null && which.test(r)) {
                out.add(decoder.decode(topic, r));
            }
        }
        return out;
    }

    @Override
    public void close() {
        follower.close();
    }
}
