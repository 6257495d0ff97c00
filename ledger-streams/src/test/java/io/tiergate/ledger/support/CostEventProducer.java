package io.tiergate.ledger.support;

import io.tiergate.schemas.events.BudgetConfig;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.serde.AvroSerializer;
import io.tiergate.schemas.serde.SerdeConfig;
import io.tiergate.schemas.topics.Topics;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the workers and the CLI do: cost events keyed by request id, budgets keyed by scope. */
public final class CostEventProducer implements AutoCloseable {

    private final KafkaProducer<String, SpecificRecord> producer;
    private final KafkaProducer<byte[], byte[]> raw;

    @SuppressWarnings({"unchecked", "rawtypes"})
    public CostEventProducer(String bootstrap, String registryUrl) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl);
        AvroSerializer values = new AvroSerializer<>();
        values.configure(config, false);
        producer = new KafkaProducer<>(config, new StringSerializer(), values);
        raw = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    public void send(CostEvent event) {
        producer.send(new ProducerRecord<>(
                Topics.INFERENCE_COSTS.name(),
                null,
                event.getOccurredAt().toEpochMilli(),
                event.getRequestId(),
                event));
    }

    public void budget(BudgetConfig config) {
        producer.send(new ProducerRecord<>(Topics.BUDGET_CONFIG.name(), config.getScope(), config));
    }

    public void raw(String topic, byte[] key, byte[] value) {
        raw.send(new ProducerRecord<>(topic, key, value));
    }

    /** Waits until everything sent is acknowledged. */
    public void flush() {
        producer.flush();
        raw.flush();
    }

    @Override
    public void close() {
        producer.close();
        raw.close();
    }
}
