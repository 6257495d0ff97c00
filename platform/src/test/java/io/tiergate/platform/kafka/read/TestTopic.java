package io.tiergate.platform.kafka.read;

import io.tiergate.schemas.events.CircuitState;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.events.WorkerHealth;
import io.tiergate.schemas.serde.AvroSerializer;
import io.tiergate.schemas.serde.SerdeConfig;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.testkit.TestBrokers;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A fresh topic of {@link WorkerHealth} on the shared test broker, and a producer writing to it in
 * Confluent wire format through {@code registryUrl} (the value that matters is {@code queueDepth}).
 */
final class TestTopic implements AutoCloseable {

    final Topic<WorkerHealth> topic;
    final String bootstrap = TestBrokers.shared().bootstrapServers();
    private final AvroSerializer<WorkerHealth> values = new AvroSerializer<>();
    private final KafkaProducer<String, byte[]> producer;

    TestTopic(String prefix, int partitions, Topic.Cleanup cleanup, String registryUrl) throws Exception {
        this.topic =
                new Topic<>(prefix + "." + UUID.randomUUID().toString().substring(0, 8), WorkerHealth.class, cleanup);
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            NewTopic t = new NewTopic(topic.name(), partitions, (short) 1)
                    .configs(Map.of("cleanup.policy", cleanup.policy()));
            admin.createTopics(List.of(t)).all().get(30, TimeUnit.SECONDS);
        }
        values.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl), false);
        producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    static WorkerHealth health(String worker, int queueDepth) {
        return WorkerHealth.newBuilder()
                .setWorkerId(worker)
                .setTier(Tier.LOCAL)
                .setQueueDepth(queueDepth)
                .setQueueLimit(100)
                .setCircuit(CircuitState.CLOSED)
                .setUpdatedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .build();
    }

    RecordMetadata send(String key, int queueDepth) throws Exception {
        return sendRaw(key, values.serialize(topic.name(), health(key, queueDepth)), null, null);
    }

    /** On {@code partition}, with record timestamp {@code timestampMs}. */
    RecordMetadata send(String key, int queueDepth, int partition, long timestampMs) throws Exception {
        return sendRaw(key, values.serialize(topic.name(), health(key, queueDepth)), partition, timestampMs);
    }

    RecordMetadata tombstone(String key) throws Exception {
        return sendRaw(key, null, null, null);
    }

    RecordMetadata sendRaw(String key, byte[] value, Integer partition, Long timestampMs) throws Exception {
        return producer.send(new ProducerRecord<>(topic.name(), partition, timestampMs, key, value))
                .get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        producer.close();
    }
}
