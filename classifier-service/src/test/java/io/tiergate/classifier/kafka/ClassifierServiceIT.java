package io.tiergate.classifier.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.tiergate.classifier.config.ClassifierSettings;
import io.tiergate.platform.kafka.DeadLetters;
import io.tiergate.platform.kafka.Forwards;
import io.tiergate.platform.kafka.InvalidInputException;
import io.tiergate.schemas.events.CalibrationJudge;
import io.tiergate.schemas.events.CalibrationSample;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.ShadowAnswer;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.serde.AvroDeserializer;
import io.tiergate.schemas.serde.AvroSerializer;
import io.tiergate.schemas.serde.SerdeConfig;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.testkit.TestBrokers;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The service through a real broker: inference.requests in, inference.classified out (one event per
 * request, keyed by request id, order per key kept), bad records to inference.requests.dlq, and the
 * HTTP endpoints. Every test uses its own request-id prefix, so tests sharing the broker and topics
 * do not see each other's records.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClassifierServiceIT implements TestPropertyProvider {

    private static final String REGISTRY = "mock://classifier-it-" + UUID.randomUUID();
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    ClassifierSettings configuration;

    @Inject
    MeterRegistry meters;

    private KafkaProducer<String, byte[]> producer;
    private AvroSerializer<InferenceRequest> requests;
    private AvroDeserializer<ClassifiedRequest> classified;
    private AvroDeserializer<InferenceResult> results;

    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "kafka.bootstrap.servers",
                TestBrokers.shared().bootstrapServers(),
                "tiergate.schema-registry-url",
                REGISTRY,
                "micronaut.server.port",
                "-1");
    }

    @BeforeAll
    void clients() {
        producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestBrokers.shared().bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                new ByteArraySerializer());
        requests = new AvroSerializer<>();
        requests.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, REGISTRY), false);
        classified = new AvroDeserializer<>();
        classified.configure(
                Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, REGISTRY, SerdeConfig.VALUE_TYPE, ClassifiedRequest.class),
                false);
        results = new AvroDeserializer<>();
        results.configure(
                Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, REGISTRY, SerdeConfig.VALUE_TYPE, InferenceResult.class),
                false);
    }

    @AfterAll
    void close() {
        producer.close();
    }

    private static InferenceRequest request(String id, String prompt, String hint) {
        return InferenceRequest.newBuilder()
                .setRequestId(id)
                .setPrompt(prompt)
                .setTaskTypeHint(hint)
                .setCreatedAt(Instant.now())
                .build();
    }

    private void send(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(Topics.INFERENCE_REQUESTS.name(), key, value))
                    .get();
        } catch (Exception e) {
            throw new AssertionError("send failed", e);
        }
    }

    private void send(InferenceRequest request) {
        send(request.getRequestId(), requests.serialize(Topics.INFERENCE_REQUESTS.name(), request));
    }

    /** Every record of {@code topic} whose key starts with {@code prefix}, read from the beginning until {@code until} holds. */
    private List<ConsumerRecord<String, byte[]>> readUntil(
            String topic, String prefix, java.util.function.Predicate<List<ConsumerRecord<String, byte[]>>> until) {
        List<ConsumerRecord<String, byte[]>> seen = new CopyOnWriteArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestBrokers.shared().bootstrapServers(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(DEADLINE).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() != null && r.key().startsWith(prefix)) {
                        seen.add(r);
                    }
                }
                return until.test(seen);
            });
        }
        return seen;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void eachRequestIsClassifiedOnceKeyedByRequestIdInOrderPerKey() {
        String prefix = "order-" + UUID.randomUUID() + "-";
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String id = prefix + i;
            ids.add(id);
            send(request(
                    id,
                    "Summarize this thread in one sentence:\nAnn: ship Friday\nBo: QA needs Monday (" + i + ")",
                    null));
        }
        // one request id sent three times: its events must come out in the order sent
        String repeated = prefix + "repeated";
        for (int v = 1; v <= 3; v++) {
            send(request(repeated, "version " + v + ": review this diff\n```diff\n-a\n+b\n```", "CODE_REVIEW"));
        }

        List<ConsumerRecord<String, byte[]>> out =
                readUntil(Topics.INFERENCE_CLASSIFIED.name(), prefix, seen -> seen.size() >= ids.size() + 3);
        assertThat(out).hasSize(ids.size() + 3);
        Map<String, List<ClassifiedRequest>> byKey = out.stream()
                .collect(Collectors.groupingBy(
                        ConsumerRecord::key,
                        java.util.LinkedHashMap::new,
                        Collectors.mapping(r -> classified.deserialize(r.topic(), r.value()), Collectors.toList())));
        for (String id : ids) {
            assertThat(byKey.get(id)).as(id).hasSize(1);
            ClassifiedRequest event = byKey.get(id).get(0);
            assertThat(event.getRequest().getRequestId()).isEqualTo(id);
            assertThat(event.getClassification().getEstimatedInputTokens()).isPositive();
            assertThat(event.getClassification().getTokenEncoding()).isEqualTo("cl100k_base");
            assertThat(event.getClassification().getConfidence()).isBetween(0.0, 1.0);
            assertThat(event.getClassifiedAt()).isNotNull();
        }
        assertThat(byKey.get(repeated))
                .extracting(e -> e.getRequest().getPrompt().substring(0, 9))
                .containsExactly("version 1", "version 2", "version 3");
        assertThat(byKey.get(repeated)).allSatisfy(e -> {
            assertThat(e.getClassification().getTaskType()).isEqualTo(TaskType.CODE_REVIEW);
            assertThat(e.getClassification().getHintUsed()).isTrue();
        });
    }

    @Test
    void garbageGoesToTheDeadLetterTopicWithErrorHeadersAndTheNextRecordIsStillProcessed() {
        String key = "garbage-" + UUID.randomUUID();
        byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);
        send(key, garbage);
        // same key, so same partition: this record comes after the garbage
        send(request(key, "Is this message spam? Answer SPAM or HAM.\n\"Win a free cruise now!\"", null));

        List<ConsumerRecord<String, byte[]>> dead =
                readUntil(Topics.INFERENCE_REQUESTS.dlq(), key, seen -> !seen.isEmpty());
        ConsumerRecord<String, byte[]> letter = dead.get(0);
        assertThat(letter.value()).isEqualTo(garbage);
        assertThat(header(letter, DeadLetters.ERROR_CLASS)).contains("DecodeException");
        assertThat(header(letter, DeadLetters.ERROR_MESSAGE)).contains("Cannot decode record");
        assertThat(header(letter, DeadLetters.SOURCE_TOPIC)).isEqualTo(Topics.INFERENCE_REQUESTS.name());
        assertThat(header(letter, DeadLetters.SOURCE_PARTITION)).isNotNull();
        assertThat(header(letter, DeadLetters.SOURCE_OFFSET)).isNotNull();

        List<ConsumerRecord<String, byte[]>> out =
                readUntil(Topics.INFERENCE_CLASSIFIED.name(), key, seen -> !seen.isEmpty());
        assertThat(classified
                        .deserialize(out.get(0).topic(), out.get(0).value())
                        .getRequest()
                        .getRequestId())
                .isEqualTo(key);
    }

    @Test
    void oversizeAndBlankPromptsAreDeadLetteredWithTheReason() {
        String prefix = "reject-" + UUID.randomUUID() + "-";
        send(request(prefix + "big", "word ".repeat(configuration.maxPromptTokens() + 10), null));
        send(request(prefix + "blank", "   ", null));

        List<ConsumerRecord<String, byte[]>> dead =
                readUntil(Topics.INFERENCE_REQUESTS.dlq(), prefix, seen -> seen.size() >= 2);
        Map<String, ConsumerRecord<String, byte[]>> byKey =
                dead.stream().collect(Collectors.toMap(ConsumerRecord::key, r -> r, (a, b) -> a));
        assertThat(header(byKey.get(prefix + "big"), DeadLetters.ERROR_CLASS))
                .isEqualTo(InvalidInputException.class.getName());
        assertThat(header(byKey.get(prefix + "big"), DeadLetters.ERROR_MESSAGE))
                .startsWith("prompt too large")
                .contains("tiergate.classifier.max-prompt-tokens=" + configuration.maxPromptTokens());
        assertThat(header(byKey.get(prefix + "blank"), DeadLetters.ERROR_MESSAGE))
                .isEqualTo("prompt is empty");
        assertThat(meters.counter("tiergate.dlq.records", "topic", Topics.INFERENCE_REQUESTS.name())
                        .count())
                .isGreaterThanOrEqualTo(2);
    }

    /**
     * Issue 14: a dead-lettered request is answered, so its caller never waits forever; a request too
     * large to pass on (a 1 MB attributes map) is refused at intake instead of failing its send on
     * every retry, and the requests after it are still classified.
     */
    @Test
    void everyDeadLetteredRequestIsAnsweredRejectedWithTheReasonAndTheNextOneIsClassified() {
        String prefix = "answer-" + UUID.randomUUID() + "-";
        send(prefix + "garbage", "not avro at all".getBytes(StandardCharsets.UTF_8));
        InferenceRequest huge = request(prefix + "huge", "Classify this ticket: printer jam", null);
        huge.setAttributes(Map.of("blob", "x".repeat(1_000_000)));
        send(huge);
        send(request(prefix + "blank", "  ", null));
        send(request(prefix + "fine", "Translate to French: good morning", null));

        List<ConsumerRecord<String, byte[]>> answers =
                readUntil(Topics.INFERENCE_RESULTS.name(), prefix, seen -> seen.size() >= 3);
        Map<String, InferenceResult> byKey = answers.stream()
                .collect(Collectors.toMap(
                        ConsumerRecord::key, r -> results.deserialize(r.topic(), r.value()), (a, b) -> a));
        assertThat(byKey).containsOnlyKeys(prefix + "garbage", prefix + "huge", prefix + "blank");
        assertThat(byKey.values()).allSatisfy(r -> {
            assertThat(r.getStatus()).isEqualTo(ResultStatus.REJECTED);
            assertThat(r.getTier()).isEqualTo(Tier.NONE);
            assertThat(r.getTotalCostUsd()).isZero();
            assertThat(r.getErrorMessage()).startsWith("Rejected by ");
        });
        assertThat(byKey.get(prefix + "garbage").getErrorCode()).isEqualTo("undecodable");
        assertThat(byKey.get(prefix + "huge").getErrorCode()).isEqualTo("invalid_input");
        assertThat(byKey.get(prefix + "huge").getErrorMessage())
                .contains("bytes serialized; at most " + Forwards.MAX_REQUEST_BYTES + " bytes");
        assertThat(byKey.get(prefix + "blank").getErrorMessage()).contains("prompt is empty");

        List<ConsumerRecord<String, byte[]>> dead =
                readUntil(Topics.INFERENCE_REQUESTS.dlq(), prefix, seen -> seen.size() >= 3);
        assertThat(dead).extracting(ConsumerRecord::key).contains(prefix + "huge");
        List<ConsumerRecord<String, byte[]>> out =
                readUntil(Topics.INFERENCE_CLASSIFIED.name(), prefix, seen -> !seen.isEmpty());
        assertThat(out).extracting(ConsumerRecord::key).containsExactly(prefix + "fine");
    }

    @Test
    void shadowAnswersAreJudgedIntoCalibrationSamplesAndGarbageIsDeadLettered() {
        String model = "it-local-" + UUID.randomUUID();
        AvroSerializer<ShadowAnswer> answers = new AvroSerializer<>();
        answers.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, REGISTRY), false);
        AvroDeserializer<CalibrationSample> samples = new AvroDeserializer<>();
        samples.configure(
                Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, REGISTRY, SerdeConfig.VALUE_TYPE, CalibrationSample.class),
                false);
        String reference = "{\"invoice\": \"INV-7\", \"total\": 12.5}";
        for (String[] answer : List.of(
                new String[] {model + "-agrees", "{\"total\": 12.50, \"invoice\": \"inv-7\"}"},
                new String[] {model + "-misses", "{\"invoice\": \"INV-7\"}"})) {
            ShadowAnswer value = ShadowAnswer.newBuilder()
                    .setRequestId(answer[0])
                    .setCostCenter("team-a")
                    .setTaskType(TaskType.EXTRACTION)
                    .setPrompt("Extract invoice and total")
                    .setLocalModel(model)
                    .setLocalAnswer(answer[1])
                    .setReferenceModel("anthropic/claude-sonnet-4.6")
                    .setReferenceAnswer(reference)
                    .setShadowCostUsd(Money.usd("0.0021"))
                    .setAnsweredAt(Instant.now())
                    .build();
            sendTo(Topics.SHADOW_ANSWERS.name(), answer[0], answers.serialize(Topics.SHADOW_ANSWERS.name(), value));
        }
        sendTo(Topics.SHADOW_ANSWERS.name(), model + "-garbage", "not avro".getBytes(StandardCharsets.UTF_8));

        List<CalibrationSample> judged =
                readUntil(Topics.CALIBRATION_SAMPLES.name(), "EXTRACTION|" + model, seen -> seen.size() >= 2).stream()
                        .map(r -> samples.deserialize(r.topic(), r.value()))
                        .toList();
        assertThat(judged).hasSize(2);
        assertThat(judged).allSatisfy(sample -> {
            assertThat(sample.getJudge()).isEqualTo(CalibrationJudge.FIELDS);
            assertThat(sample.getCostCenter()).isEqualTo("team-a");
            assertThat(sample.getShadowCostUsd()).isEqualByComparingTo("0.0021");
        });
        CalibrationSample agrees = judged.stream()
                .filter(x -> x.getRequestId().endsWith("-agrees"))
                .findFirst()
                .orElseThrow();
        CalibrationSample misses = judged.stream()
                .filter(x -> x.getRequestId().endsWith("-misses"))
                .findFirst()
                .orElseThrow();
        assertThat(agrees.getAgreed()).isTrue();
        assertThat(agrees.getAgreement()).isEqualTo(1.0);
        assertThat(misses.getAgreed()).isFalse();
        assertThat(misses.getAgreement()).isEqualTo(0.5);
        assertThat(readUntil(Topics.SHADOW_ANSWERS.dlq(), model + "-garbage", seen -> !seen.isEmpty()))
                .hasSize(1);
    }

    private void sendTo(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new AssertionError("send failed", e);
        }
    }

    @Test
    void healthIsUpAndPrometheusShowsTheClassifierMeters() {
        String id = "metrics-" + UUID.randomUUID();
        send(request(id, "Write a Java record for a Customer with id, name and email.", null));
        readUntil(Topics.INFERENCE_CLASSIFIED.name(), id, seen -> !seen.isEmpty());

        HttpResponse<String> health = http.toBlocking().exchange("/health", String.class);
        assertThat(health.code()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");

        String prometheus = http.toBlocking().retrieve("/prometheus");
        assertThat(prometheus)
                .contains("tiergate_classifier_classifications_total{")
                .contains("tiergate_classifier_confidence_count")
                .contains("tiergate_classifier_latency_seconds_bucket{")
                .contains("source=\"");
    }

    @Test
    void theServiceDefaultsAreTheBatchDefaults() {
        assertThat(configuration).isEqualTo(ClassifierSettings.DEFAULTS);
    }
}
