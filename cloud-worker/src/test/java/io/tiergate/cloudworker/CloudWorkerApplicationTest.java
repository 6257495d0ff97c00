package io.tiergate.cloudworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.tiergate.platform.kafka.EventPublisher;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.ShadowAnswer;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.serde.AvroDeserializer;
import io.tiergate.schemas.serde.SerdeConfig;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.testkit.TestBrokers;
import io.tiergate.worker.Fixtures;
import io.tiergate.worker.shadow.ShadowRequests;
import io.tiergate.worker.simulated.SimulatedAnswers;
import io.tiergate.worker.simulated.SimulatedQuality;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The service as deployed: Micronaut app, real broker, simulated backend (no keys), /health, /prometheus. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CloudWorkerApplicationTest implements TestPropertyProvider {

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    EventPublisher publisher;

    @Inject
    KafkaClientSettings settings;

    private static final String API_TOKEN = "health-details-test-token-0123456789";

    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "kafka.bootstrap.servers",
                TestBrokers.shared().bootstrapServers(),
                "tiergate.schema-registry-url",
                "mock://cloud-worker-app-" + UUID.randomUUID(),
                "micronaut.server.port",
                "-1",
                "tiergate.http.api-token",
                API_TOKEN, // /health details need it (docs/security.md)
                "tiergate.cloud-worker.backend",
                "simulated",
                "tiergate.cloud-worker.simulation.speed-up",
                "200",
                "tiergate.cloud-worker.worker-id",
                "cloud-app-test",
                "tiergate.cloud-worker.group-id",
                "cloud-app-test-" + UUID.randomUUID(),
                // every simulated EXTRACTION answer planted wrong (docs/calibration.md, "Simulated quality")
                "tiergate.cloud-worker.simulation.errors.extraction",
                "1.0");
    }

    @Test
    void theServiceServesTheCloudTopicSimulatedAndReportsHealthAndMetrics() {
        String id = "app-" + UUID.randomUUID();
        publisher
                .send(
                        Topics.TIER_CLOUD,
                        id,
                        Fixtures.cloud(id, TaskType.CODE_REVIEW, "anthropic/claude-sonnet-4.6", List.of()))
                .join();

        Map<String, Object> c = settings.base();
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(SerdeConfig.VALUE_TYPE, InferenceResult.class);
        AvroDeserializer<InferenceResult> d = new AvroDeserializer<>();
        d.configure(c, false);
        List<InferenceResult> mine = new ArrayList<>();
        try (KafkaConsumer<String, InferenceResult> consumer = new KafkaConsumer<>(c, new StringDeserializer(), d)) {
            List<TopicPartition> parts = consumer.partitionsFor(Topics.INFERENCE_RESULTS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.key().equals(id)) {
                        mine.add(r.value());
                    }
                });
                return !mine.isEmpty();
            });
        }
        InferenceResult result = mine.get(0);
        assertThat(result.getStatus()).isEqualTo(ResultStatus.COMPLETED);
        assertThat(result.getSimulated()).isTrue();
        assertThat(result.getProvider()).isEqualTo("simulated");
        assertThat(result.getTotalCostUsd()).isPositive();

        String health = http.toBlocking()
                .retrieve(io.micronaut.http.HttpRequest.GET("/health").bearerAuth(API_TOKEN));
        assertThat(health)
                .contains("\"status\":\"UP\"")
                .contains("cloud-worker")
                .contains("SIMULATED");
        String metrics = http.toBlocking().retrieve("/prometheus");
        assertThat(metrics)
                .contains("tiergate_worker_requests_total")
                .contains("simulated=\"true\"")
                .contains("tiergate_cloud_worker_circuit_open");
    }

    @Test
    void theServiceAnswersShadowRequestsAsideWithItsConfiguredSimulatedQuality() {
        String id = "app-shadow-" + UUID.randomUUID();
        RoutedRequest served = Fixtures.local(id, TaskType.EXTRACTION, List.of());
        InferenceResult local = InferenceResult.newBuilder()
                .setRequestId(id)
                .setCostCenter("team-a")
                .setTaskType(TaskType.EXTRACTION)
                .setStatus(ResultStatus.COMPLETED)
                .setTier(io.tiergate.schemas.events.Tier.LOCAL)
                .setModel("qwen3:8b")
                .setProvider("simulated")
                .setOutput("{}")
                .setAttempts(1)
                .setTotalCostUsd(io.tiergate.schemas.money.Money.ZERO)
                .setLatencyMs(10)
                .setCompletedAt(java.time.Instant.now())
                .build();
        RoutedRequest shadow = ShadowRequests.of(
                served,
                local,
                2,
                "anthropic/claude-sonnet-4.6",
                io.tiergate.schemas.events.CapabilityClass.STRONG,
                "shadow",
                java.time.Instant.now());
        publisher.send(Topics.INFERENCE_SHADOW, id, shadow).join();

        Map<String, Object> c = settings.base();
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(SerdeConfig.VALUE_TYPE, ShadowAnswer.class);
        AvroDeserializer<ShadowAnswer> d = new AvroDeserializer<>();
        d.configure(c, false);
        List<ShadowAnswer> mine = new ArrayList<>();
        try (KafkaConsumer<String, ShadowAnswer> consumer = new KafkaConsumer<>(c, new StringDeserializer(), d)) {
            List<TopicPartition> parts = consumer.partitionsFor(Topics.SHADOW_ANSWERS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.key().equals(id)) {
                        mine.add(r.value());
                    }
                });
                return !mine.isEmpty();
            });
        }
        ShadowAnswer answer = mine.get(0);
        assertThat(answer.getCostCenter()).isEqualTo("team-a");
        assertThat(answer.getLocalAnswer()).isEqualTo("{}");
        assertThat(answer.getReferenceModel()).isEqualTo("anthropic/claude-sonnet-4.6");
        assertThat(answer.getShadowCostUsd()).isPositive();
        // the configured error rate reached the simulated backend: the reference answer lacks a field of the right one
        String right = new SimulatedAnswers(SimulatedQuality.NONE)
                .answer(
                        id,
                        "anthropic/claude-sonnet-4.6",
                        TaskType.EXTRACTION,
                        served.getClassified().getRequest().getPrompt(),
                        Map.of());
        assertThat(answer.getReferenceAnswer()).isNotEqualTo(right).startsWith("{");
        assertThat(answer.getReferenceAnswer().length()).isLessThan(right.length());
    }
}
