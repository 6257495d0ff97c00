package io.tiergate.localworker.kafka;

import static io.tiergate.worker.testing.FakeModelServer.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.tiergate.localworker.testing.Requests;
import io.tiergate.localworker.testing.TopicReader;
import io.tiergate.platform.kafka.DeadLetters;
import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.EventPublisher;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.events.CircuitState;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.events.WorkerHealth;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.testkit.TestBrokers;
import io.tiergate.worker.runtime.BudgetBoard;
import io.tiergate.worker.testing.FakeModelServer;
import io.tiergate.worker.testing.FakeModelServer.Reply;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The local worker as a service, on the real broker, against a local server speaking Ollama's
 * protocol (fixtures/ollama): requests in on {@code inference.tier.local}, results, cost events,
 * escalations, dead letters and health out.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalWorkerIT implements TestPropertyProvider {

    /** Prompts containing this make the fake Ollama answer prose instead of JSON. */
    private static final String PROSE = "ANSWER-IN-PROSE";

    private static final BigDecimal FIXTURE_COST = new BigDecimal("0.000431505"); // LocalCostPricerTest

    private static final FakeModelServer OLLAMA = new FakeModelServer()
            .on("GET", "/api/version", Reply.json(200, fixture("ollama/version.json")))
            .on(
                    "POST",
                    "/api/chat",
                    r -> r.body().contains(PROSE)
                            ? Reply.ndjson(fixture("ollama/chat-stream.ndjson")
                                    .replace("{\\\"", "The ")
                                    .replace("invoice", "invoice")
                                    .replace("\\\": \\\"INV-", " number is INV-")
                                    .replace("2041\\\", \\\"total\\\": ", "2041, the total ")
                                    .replace("118.40}", "118.40."))
                            : Reply.ndjson(fixture("ollama/chat-stream.ndjson")));

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String workerId = "local-it-" + run;

    @Inject
    EventPublisher publisher;

    @Inject
    EventDecoder decoder;

    @Inject
    BudgetBoard budgets;

    @Inject
    @Client("/")
    HttpClient http;

    private static final String API_TOKEN = "health-details-test-token-0123456789";

    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "kafka.bootstrap.servers",
                TestBrokers.shared().bootstrapServers(),
                "tiergate.schema-registry-url",
                "mock://local-worker-it-" + run,
                "micronaut.server.port",
                "-1",
                "tiergate.http.api-token", // /health details need it (docs/security.md, "HTTP endpoints")
                API_TOKEN,
                "tiergate.local-worker.worker-id",
                workerId,
                "tiergate.local-worker.group-id",
                "tiergate-local-worker-it-" + run,
                "tiergate.local-worker.endpoints.ollama.base-url",
                OLLAMA.baseUrl().toString(),
                "tiergate.local-worker.health-check-every",
                "200ms");
    }

    @AfterAll
    void stopServer() {
        OLLAMA.close();
    }

    private String bootstrap() {
        return TestBrokers.shared().bootstrapServers();
    }

    private void send(RoutedRequest request) throws Exception {
        publisher
                .send(Topics.TIER_LOCAL, request.getClassified().getRequest().getRequestId(), request)
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void eachRequestGetsOneResultAndOneCostEventPerAttempt() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = "ok-" + run + "-" + i;
            ids.add(id);
            send(Requests.local(id, i % 2 == 0 ? TaskType.EXTRACTION : TaskType.SUMMARIZATION)
                    .build());
        }
        try (TopicReader results = new TopicReader(bootstrap(), Topics.Names.INFERENCE_RESULTS);
                TopicReader costs = new TopicReader(bootstrap(), Topics.Names.INFERENCE_COSTS)) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() ->
                            ids.stream().allMatch(id -> !results.withKey(id).isEmpty()));

            for (String id : ids) {
                List<InferenceResult> r = results.values(decoder, Topics.INFERENCE_RESULTS, id);
                assertThat(r).as("results of %s", id).singleElement().satisfies(result -> {
                    assertThat(result.getStatus()).isEqualTo(ResultStatus.COMPLETED);
                    assertThat(result.getTier()).isEqualTo(Tier.LOCAL);
                    assertThat(result.getProvider()).isEqualTo("ollama");
                    assertThat(result.getSimulated()).isFalse();
                    assertThat(result.getOutput()).isEqualTo("{\"invoice\": \"INV-2041\", \"total\": 118.40}");
                    assertThat(result.getTotalCostUsd()).isEqualTo(FIXTURE_COST);
                });
                List<CostEvent> c = costs.values(decoder, Topics.INFERENCE_COSTS, id);
                assertThat(c).as("cost events of %s", id).singleElement().satisfies(cost -> {
                    assertThat(cost.getAttempt()).isEqualTo(1);
                    assertThat(cost.getReason()).isEqualTo(CostReason.PRIMARY);
                    assertThat(cost.getCostUsd()).isEqualTo(FIXTURE_COST);
                    assertThat(cost.getInputTokens()).isEqualTo(26);
                    assertThat(cost.getOutputTokens()).isEqualTo(282);
                });
            }
        }
        // what went over the wire: Ollama's native chat API with thinking off, the model kept loaded
        assertThat(OLLAMA.received())
                .anySatisfy(r -> assertThat(r.body())
                        .contains("\"think\":false")
                        .contains("\"keep_alive\":\"5m\"")
                        .contains("\"num_ctx\":8192"));
    }

    @Test
    void extractionWhoseLocalOutputIsNotJsonEndsUpOnTheCloudTierAsAttemptTwo() throws Exception {
        String id = "prose-" + run;
        send(Requests.local(id, TaskType.EXTRACTION)
                .prompt("Extract the invoice. " + PROSE)
                .build());

        try (TopicReader cloud = new TopicReader(bootstrap(), Topics.Names.TIER_CLOUD);
                TopicReader costs = new TopicReader(bootstrap(), Topics.Names.INFERENCE_COSTS);
                TopicReader results = new TopicReader(bootstrap(), Topics.Names.INFERENCE_RESULTS)) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !cloud.withKey(id).isEmpty());

            RoutedRequest escalated =
                    cloud.values(decoder, Topics.TIER_CLOUD, id).get(0);
            assertThat(escalated.getAttempt()).isEqualTo(2);
            assertThat(escalated.getEscalationReason()).startsWith("QUALITY: EXTRACTION output is not valid JSON");
            assertThat(escalated.getDecision().getTier()).isEqualTo(Tier.CLOUD);
            assertThat(escalated.getDecision().getModel()).isEqualTo("anthropic/claude-haiku-4.5");
            assertThat(escalated.getPriorCostUsd()).isEqualTo(FIXTURE_COST);
            assertThat(costs.values(decoder, Topics.INFERENCE_COSTS, id))
                    .singleElement()
                    .satisfies(c -> {
                        assertThat(c.getAttempt()).isEqualTo(1);
                        assertThat(c.getTier()).isEqualTo(Tier.LOCAL);
                    });
            assertThat(results.withKey(id))
                    .as("the cloud worker finishes it, not the local one")
                    .isEmpty();
        }
    }

    @Test
    void sovereignExtractionWhoseOutputIsNotJsonNeverReachesTheCloudTier() throws Exception {
        String id = "sovereign-" + run;
        send(Requests.local(id, TaskType.EXTRACTION)
                .prompt("Extract the invoice. " + PROSE)
                .requiresSovereignty(true)
                .build());

        try (TopicReader results = new TopicReader(bootstrap(), Topics.Names.INFERENCE_RESULTS);
                TopicReader cloud = new TopicReader(bootstrap(), Topics.Names.TIER_CLOUD)) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !results.withKey(id).isEmpty());

            InferenceResult result =
                    results.values(decoder, Topics.INFERENCE_RESULTS, id).get(0);
            assertThat(result.getStatus()).isEqualTo(ResultStatus.COMPLETED);
            assertThat(result.getTier()).isEqualTo(Tier.LOCAL);
            assertThat(result.getReasons())
                    .anySatisfy(r -> assertThat(r).contains("stays on this machine, never sent to a cloud model"));
            // result and any hand-off are committed in one transaction: with the result visible, no hand-off exists
            assertThat(cloud.withKey(id)).isEmpty();
        }
    }

    @Test
    void exhaustedBudgetKeepsTheLocalAnswerInsteadOfEscalating() throws Exception {
        String costCenter = "broke-" + run;
        Instant now = Instant.now();
        publisher
                .send(
                        Topics.BUDGET_STATUS,
                        costCenter,
                        BudgetStatus.newBuilder()
                                .setScope(costCenter)
                                .setLevel(BudgetLevel.EXHAUSTED)
                                .setOnExhausted(OnExhausted.DEGRADE_LOCAL)
                                .setDailySpendUsd(Money.usd("10"))
                                .setDailyLimitUsd(Money.usd("10"))
                                .setMonthlySpendUsd(Money.usd("10"))
                                .setUtilization(1.0)
                                .setBurnRateUsdPerHour(Money.usd("1"))
                                .setPeriodDayStart(now)
                                .setPeriodMonthStart(now)
                                .setUpdatedAt(now)
                                .build())
                .get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> budgets.levelOf(costCenter).isPresent());
        String id = "broke-" + run;

        send(Requests.local(id, TaskType.EXTRACTION)
                .costCenter(costCenter)
                .prompt("Extract. " + PROSE)
                .build());

        try (TopicReader results = new TopicReader(bootstrap(), Topics.Names.INFERENCE_RESULTS);
                TopicReader cloud = new TopicReader(bootstrap(), Topics.Names.TIER_CLOUD)) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !results.withKey(id).isEmpty());
            assertThat(results.values(decoder, Topics.INFERENCE_RESULTS, id)
                            .get(0)
                            .getReasons())
                    .anySatisfy(r -> assertThat(r).contains("budget " + costCenter + " is EXHAUSTED"));
            assertThat(cloud.withKey(id)).isEmpty();
        }
    }

    @Test
    void garbageBytesGoToTheDeadLetterTopicAreAnsweredRejectedAndTheNextRecordIsServed() throws Exception {
        String nextId = "after-garbage-" + run;
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            // same key as the valid record: same partition, so the valid one really comes after the garbage
            raw.send(new ProducerRecord<>(
                            Topics.Names.TIER_LOCAL, nextId, "not avro at all".getBytes(StandardCharsets.UTF_8)))
                    .get(10, TimeUnit.SECONDS);
        }
        send(Requests.local(nextId, TaskType.SUMMARIZATION).build());

        try (TopicReader dlq = new TopicReader(bootstrap(), Topics.Names.TIER_LOCAL + Topics.DLQ_SUFFIX);
                TopicReader results = new TopicReader(bootstrap(), Topics.Names.INFERENCE_RESULTS)) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !dlq.withKey(nextId).isEmpty()
                            && results.withKey(nextId).size() >= 2);

            ConsumerRecord<String, byte[]> letter = dlq.withKey(nextId).get(0);
            assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("not avro at all");
            assertThat(header(letter, DeadLetters.ERROR_CLASS)).isNotBlank();
            assertThat(header(letter, DeadLetters.ERROR_MESSAGE)).isNotBlank();
            assertThat(header(letter, DeadLetters.SOURCE_TOPIC)).isEqualTo(Topics.Names.TIER_LOCAL);
            assertThat(header(letter, DeadLetters.SOURCE_OFFSET)).isNotBlank();
            // the garbage record, keyed by the id, is answered REJECTED (docs/delivery.md); the valid one is served
            assertThat(results.values(decoder, Topics.INFERENCE_RESULTS, nextId))
                    .extracting(r -> r.getStatus() + "/" + r.getErrorCode())
                    .containsExactly("REJECTED/undecodable", "COMPLETED/null");
        }
    }

    @Test
    void queueDepthAndCircuitArePublishedToWorkerHealth() {
        try (TopicReader health = new TopicReader(bootstrap(), Topics.Names.WORKER_HEALTH)) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !health.withKey(workerId).isEmpty());

            List<WorkerHealth> published = health.values(decoder, Topics.WORKER_HEALTH, workerId);
            WorkerHealth last = published.get(published.size() - 1);
            assertThat(last.getTier()).isEqualTo(Tier.LOCAL);
            assertThat(last.getQueueLimit()).isEqualTo(4);
            assertThat(last.getCircuit()).isEqualTo(CircuitState.CLOSED);
            assertThat(last.getQueueDepth()).isBetween(0, 4);
        }
    }

    @Test
    void serviceAnswersHealthAndPrometheus() {
        HttpResponse<String> health =
                http.toBlocking().exchange(HttpRequest.GET("/health").bearerAuth(API_TOKEN), String.class);
        assertThat(health.code()).isEqualTo(200);
        assertThat(health.body()).contains("localModel").contains("ollama at " + OLLAMA.baseUrl());

        HttpResponse<String> prometheus = http.toBlocking().exchange(HttpRequest.GET("/prometheus"), String.class);
        assertThat(prometheus.code()).isEqualTo(200);
        assertThat(prometheus.body())
                .contains("tiergate_local_worker_queue_depth")
                .contains("tiergate_local_worker_backend_simulated{endpoint=\"ollama\"} 0.0");
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
