package io.tiergate.platform.kafka;

import io.tiergate.schemas.serde.AvroSerializer;
import io.tiergate.schemas.topics.Topic;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes events to the topics of {@link io.tiergate.schemas.topics.Topics}: string keys, Avro
 * values in Confluent wire format. Idempotent, {@code acks=all}: a send whose future completed is
 * durable, so a listener that waits for its sends before its offsets commit loses nothing.
 */
@Singleton
public class EventPublisher implements AutoCloseable {

    private final KafkaProducer<String, SpecificRecord> producer;
    private final AvroSerializer<SpecificRecord> values;

    public EventPublisher(KafkaClientSettings settings) {
        Map<String, Object> config = settings.base();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, settings.applicationName() + "-publisher");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        this.values = avroSerializer(config);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), values);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static AvroSerializer<SpecificRecord> avroSerializer(Map<String, Object> config) {
        AvroSerializer serializer = new AvroSerializer<>();
        serializer.configure(config, false);
        return serializer;
    }

    public <V extends SpecificRecord> CompletableFuture<RecordMetadata> send(Topic<V> topic, String key, V value) {
        return send(new ProducerRecord<>(topic.name(), key, value));
    }

    /** A tombstone: deletes {@code key} from a compacted topic. */
    public CompletableFuture<RecordMetadata> sendTombstone(Topic<?> topic, String key) {
        return send(new ProducerRecord<>(topic.name(), key, null));
    }

    /** For records that carry headers or an explicit partition. */
    public CompletableFuture<RecordMetadata> send(ProducerRecord<String, SpecificRecord> record) {
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(metadata);
            }
        });
        return result;
    }

    /**
     * Fetches the partition metadata of {@code topics} and their value schemas' registry ids on a
     * background thread, so a hop's first send to each waits for neither (best effort: a failure only
     * leaves that wait to the first send).
     */
    public void warmUp(Collection<? extends Topic<?>> topics) {
        BackgroundWarmUp.start("tiergate-publisher-warm-up", topics, topic -> {
            values.resolve(topic.name(), SpecificData.get().getSchema(topic.valueType()));
            producer.partitionsFor(topic.name()); // blocks up to max.block.ms for a missing topic
        });
    }

    /**
     * Sends what is buffered now, without waiting out {@code linger.ms}, and returns when it is
     * acknowledged (or failed: each send's future says which). A hop that waits for its batch's sends
     * calls this first: the linger lets a batch's records share requests while it is processed, and
     * costs no latency at the end of it.
     */
    public void flush() {
        producer.flush();
    }

    @PreDestroy
    @Override
    public void close() {
        producer.close();
    }
}
