package io.tiergate.worker.kafka;

import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.schemas.serde.AvroDeserializer;
import io.tiergate.schemas.serde.SerdeConfig;
import io.tiergate.schemas.topics.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Accumulates everything on a topic from the beginning, decoded; call {@link #poll()} inside an
 * await. read_committed reads as a downstream service does (the workers publish transactionally);
 * read_uncommitted also sees what open or aborted transactions wrote.
 */
public final class TopicReader<V extends SpecificRecord> implements AutoCloseable {
    private final KafkaConsumer<String, V> consumer;
    private final List<V> values = new ArrayList<>();

    public TopicReader(KafkaClientSettings settings, Topic<V> topic, boolean readCommitted) {
        Map<String, Object> c = settings.base();
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(SerdeConfig.VALUE_TYPE, topic.valueType());
        AvroDeserializer<V> d = new AvroDeserializer<>();
        d.configure(c, false);
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), d);
        List<TopicPartition> parts = consumer.partitionsFor(topic.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
    }

    /** Polls once more and returns every value seen so far. */
    public List<V> poll() {
        for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(100))) {
            values.add(r.value());
        }
        return List.copyOf(values);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
