package io.tiergate.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tiergate.schemas.events.Classification;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.serde.AvroDeserializer;
import io.tiergate.schemas.serde.SerdeConfig;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.testkit.TestBrokers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Forwards} on a real broker: a send the producer refuses for its own record (more than
 * {@code max.request.size}) dead-letters the source record and answers its request REJECTED, and
 * the other sends of the batch stand; a failure that says nothing about the record throws, so the
 * batch is read again.
 */
class ForwardsIT {

    private static final String REGISTRY = "mock://forwards-it-" + UUID.randomUUID();

    private final KafkaClientSettings settings =
            new KafkaClientSettings(TestBrokers.shared().bootstrapServers(), REGISTRY, "forwards-it");
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeAll
    static void topics() throws Exception {
        try (Admin admin =
                Admin.create(Map.of("bootstrap.servers", TestBrokers.shared().bootstrapServers()))) {
            var existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = List.of(
                            Topics.ROUTING_BY_COST_CENTER.name(),
                            Topics.INFERENCE_CLASSIFIED.dlq(),
                            Topics.INFERENCE_RESULTS.name())
                    .stream()
                    .filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, 1, (short) 1))
                    .toList();
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private static ClassifiedRequest classified(String id, int attributeChars) {
        InferenceRequest request = InferenceRequest.newBuilder()
                .setRequestId(id)
                .setPrompt("Summarize: the meeting moved to Friday")
                .setCostCenter("team-a")
                .setCreatedAt(Instant.now())
                .setAttributes(Map.of("blob", "x".repeat(attributeChars)))
                .build();
        return ClassifiedRequest.newBuilder()
                .setRequest(request)
                .setClassification(Classification.newBuilder()
                        .setTaskType(TaskType.SUMMARIZATION)
                        .setConfidence(0.9)
                        .setEstimatedInputTokens(12)
                        .setComplexity(0.1)
                        .setContainsSensitiveData(false)
                        .build())
                .setClassifiedAt(Instant.now())
                .build();
    }

    private static ConsumerRecord<String, byte[]> source(String id, long offset) {
        return new ConsumerRecord<>(Topics.INFERENCE_CLASSIFIED.name(), 0, offset, id, new byte[] {0});
    }

    @Test
    void aRecordTooLargeToSendIsDeadLetteredAndAnsweredAndTheOthersStand() {
        EventPublisher publisher = new EventPublisher(settings);
        DeadLetters deadLetters = new DeadLetters(settings, new SimpleMeterRegistry());
        closing.add(publisher);
        closing.add(deadLetters);
        InboundRecords inbound =
                new InboundRecords(new EventDecoder(settings), deadLetters, new RequestAnswers(publisher, settings));
        String prefix = "forwards-" + UUID.randomUUID() + "-";

        Forwards forwards = new Forwards();
        for (String name : List.of("small-1", "huge", "small-2")) {
            ClassifiedRequest value = classified(prefix + name, name.equals("huge") ? 1_100_000 : 10);
            forwards.add(
                    source(prefix + name, forwards.isEmpty() ? 0 : 1),
                    value,
                    publisher.send(Topics.ROUTING_BY_COST_CENTER, "team-a", value));
        }
        forwards.await(inbound, Duration.ofSeconds(30));

        List<ConsumerRecord<String, byte[]>> dead = read(Topics.INFERENCE_CLASSIFIED.dlq(), prefix, 1);
        assertThat(dead).extracting(ConsumerRecord::key).containsExactly(prefix + "huge");
        AvroDeserializer<InferenceResult> results = new AvroDeserializer<>();
        results.configure(
                Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, REGISTRY, SerdeConfig.VALUE_TYPE, InferenceResult.class),
                false);
        List<ConsumerRecord<String, byte[]>> answers = read(Topics.INFERENCE_RESULTS.name(), prefix, 1);
        assertThat(answers).singleElement().satisfies(r -> {
            InferenceResult result = results.deserialize(r.topic(), r.value());
            assertThat(result.getRequestId()).isEqualTo(prefix + "huge");
            assertThat(result.getStatus()).isEqualTo(ResultStatus.REJECTED);
            assertThat(result.getErrorCode()).isEqualTo(RequestAnswers.NOT_FORWARDABLE);
            assertThat(result.getCostCenter()).isEqualTo("team-a");
            assertThat(result.getTaskType()).isEqualTo(TaskType.SUMMARIZATION);
        });
        AvroDeserializer<ClassifiedRequest> forwarded = new AvroDeserializer<>();
        forwarded.configure(
                Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, REGISTRY, SerdeConfig.VALUE_TYPE, ClassifiedRequest.class),
                false);
        assertThat(read(Topics.ROUTING_BY_COST_CENTER.name(), null, 2).stream()
                        .map(r -> forwarded
                                .deserialize(r.topic(), r.value())
                                .getRequest()
                                .getRequestId())
                        .filter(id -> id.startsWith(prefix)))
                .containsExactly(prefix + "small-1", prefix + "small-2");
    }

    @Test
    void aFailureThatSaysNothingAboutTheRecordThrowsSoTheBatchIsReadAgain() {
        InboundRecords inbound = new InboundRecords(new EventDecoder(settings), null);
        Forwards forwards = new Forwards();
        forwards.add(
                source("r-1", 0),
                classified("r-1", 10),
                CompletableFuture.failedFuture(new TimeoutException("broker unavailable")));

        assertThatThrownBy(() -> forwards.await(inbound, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("broker unavailable");
    }

    /** Records of {@code topic} (keys starting with {@code prefix}, or all when null), at least {@code min}. */
    private static List<ConsumerRecord<String, byte[]>> read(String topic, String prefix, int min) {
        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestBrokers.shared().bootstrapServers(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && (seen.size() < Math.max(min, 1))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (prefix == null || (r.key() != null && r.key().startsWith(prefix))) {
                        seen.add(r);
                    }
                }
            }
        }
        return seen;
    }
}
