package io.tiergate.cli.demo;

import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.results.RequestAttributes;
import io.tiergate.schemas.serde.AvroSerializer;
import io.tiergate.schemas.serde.SerdeConfig;
import io.tiergate.schemas.topics.Topics;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes workload items as {@code InferenceRequest}s, as an upstream service would. */
public final class RequestSender implements AutoCloseable {

    private final KafkaProducer<String, InferenceRequest> producer;

    public RequestSender(String bootstrap, String registryUrl) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "tiergate-demo-upstream");
        config.put(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl);
        AvroSerializer<InferenceRequest> values = new AvroSerializer<>();
        values.configure(config, false);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), values);
    }

    /** Sends one request; returns the time it was stamped with (its {@code createdAt}). */
    public long send(String requestId, WorkloadItem item) {
        long now = System.currentTimeMillis();
        InferenceRequest request = InferenceRequest.newBuilder()
                .setRequestId(requestId)
                .setPrompt(item.prompt())
                .setCostCenter(item.costCenter())
                .setRequiresDataSovereignty(item.requiresDataSovereignty())
                .setLatencyBudgetMs(item.latencyBudgetMs().orElse(null))
                .setTaskTypeHint(item.taskTypeHint().orElse(null))
                .setCreatedAt(Instant.ofEpochMilli(now))
                .setAttributes(item.expectedTaskType()
                        .map(type -> Map.of(RequestAttributes.SIMULATION_TASK_TYPE, type.name()))
                        .orElse(Map.of()))
                .build();
        producer.send(
                new ProducerRecord<>(Topics.INFERENCE_REQUESTS.name(), null, now, requestId, request),
                (metadata, error) -> {
                    if (error != null) {
                        System.err.printf("[demo] could not send %s: %s%n", requestId, error.getMessage());
                    }
                });
        return now;
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
