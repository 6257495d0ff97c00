package io.tiergate.ledger.support;

import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.read.ReadSpec;
import io.tiergate.platform.kafka.read.TopicFollower;
import io.tiergate.schemas.serde.AvroDeserializer;
import io.tiergate.schemas.serde.SerdeConfig;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads a topic from the beginning with {@code isolation.level=read_committed}, as analysts and
 * the router do: only what the ledger's transactions committed is ever seen (platform's
 * {@link TopicFollower}, in the background).
 */
public final class CommittedReader<V extends SpecificRecord> implements AutoCloseable {

    private final List<ConsumerRecord<String, V>> records = new CopyOnWriteArrayList<>();
    private final TopicFollower follower;

    public CommittedReader(String bootstrap, String registryUrl, String topic, Class<V> type) {
        AvroDeserializer<V> values = new AvroDeserializer<>();
        values.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl, SerdeConfig.VALUE_TYPE, type), false);
        String clientId = "ledger-test-reader-" + UUID.randomUUID();
        follower = TopicFollower.start(
                new KafkaClientSettings(bootstrap, registryUrl, clientId),
                ReadSpec.of(clientId).topic(topic).readCommitted(true),
                r -> records.add(new ConsumerRecord<>(
                        r.topic(), r.partition(), r.offset(), r.key(), values.deserialize(r.topic(), r.value()))));
    }

    /** Everything read so far. */
    public List<ConsumerRecord<String, V>> poll() {
        follower.check();
        return List.copyOf(records);
    }

    @Override
    public void close() {
        follower.close();
    }
}
