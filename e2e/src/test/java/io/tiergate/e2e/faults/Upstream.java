package io.tiergate.e2e.faults;

import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.serde.AvroSerializer;
import io.tiergate.schemas.serde.SchemaRegistries;
import io.tiergate.schemas.serde.SchemaRegistryClient;
import io.tiergate.schemas.serde.SerdeConfig;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.schemas.topics.Topics;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What an upstream service (and an operator, and an attacker) can write: well-formed events in
 * Confluent wire format with the project's serializer, and raw bytes of any shape.
 */
final class Upstream implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final AvroSerializer<SpecificRecord> avro = new AvroSerializer<>();
    private final SchemaRegistryClient registry;
    private final AtomicInteger sendErrors = new AtomicInteger();

    Upstream(String bootstrap, String registryUrl) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "faults-upstream");
        // a broker restart must not fail sends: retry for up to 3 minutes
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 180_000);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2_000_000);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        avro.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl), false);
        this.registry = SchemaRegistries.forConfig(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl));
    }

    SchemaRegistryClient registry() {
        return registry;
    }

    /** The event in Confluent wire format (its schema registered under {@code <topic>-value}). */
    byte[] encode(Topic<?> topic, SpecificRecord value) {
        return avro.serialize(topic.name(), value);
    }

    <V extends SpecificRecord> void send(Topic<V> topic, String key, V value) {
        sendRaw(topic.name(), key, encode(topic, value));
    }

    /** Fire and forget; failures are counted ({@link #sendErrors()}). */
    void sendRaw(String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
            if (error != null) {
                sendErrors.incrementAndGet();
            }
        });
    }

    /** Sends and waits until the broker has it. */
    void sendRawAndWait(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot send to " + topic + ": " + e, e);
        }
    }

    void request(InferenceRequest request) {
        send(Topics.INFERENCE_REQUESTS, request.getRequestId(), request);
    }

    void flush() {
        producer.flush();
    }

    int sendErrors() {
        return sendErrors.get();
    }

    static InferenceRequest.Builder request(String id, String prompt, String costCenter) {
        return InferenceRequest.newBuilder()
                .setRequestId(id)
                .setPrompt(prompt)
                .setCostCenter(costCenter)
                .setCreatedAt(Instant.now());
    }

    @Override
    public void close() {
        producer.close();
    }
}
