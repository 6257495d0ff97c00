package io.tiergate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.platform.kafka.EventPublisher;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.router.rules.DefaultRules;
import io.tiergate.schemas.events.BudgetConfig;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.CalibrationJudge;
import io.tiergate.schemas.events.CalibrationStat;
import io.tiergate.schemas.events.CapabilityClass;
import io.tiergate.schemas.events.Classification;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.CostBreakdown;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.CostSource;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.RoutingAction;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.topics.TopicProvisioner;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.testkit.KafkaBroker;
import io.tiergate.testkit.TestBrokers;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./tiergate whatif} reads a recording from a real broker (a broker of its own: routing.rules
 * overrides or other schemas of the shared one would change what is read) and replays it:
 *
 * <pre>
 *   w1 IMPLEMENTATION → haiku   1000 in / 1000 out          $0.006   (attempt 1, failed, $0.0005 more)
 *   w2 CODE_REVIEW    → sonnet  2000 in /  500 out          $0.0135
 *   w3 SUMMARIZATION  → local   900 in / 40 out             $0.0001
 *   a request before --from, left out                       $1.0
 *   recorded total of the window = 0.0065 + 0.0135 + 0.0001 = $0.0201
 * </pre>
 */
class WhatIfCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REGISTRY = "mock://whatif-it-" + UUID.randomUUID();
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private static KafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void recording() throws Exception {
        broker = TestBrokers.startNew();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            new TopicProvisioner(admin, topic -> 3, (short) 1).ensureAll();
        }
        try (EventPublisher publisher =
                new EventPublisher(new KafkaClientSettings(broker.bootstrapServers(), REGISTRY, "whatif-it"))) {
            List<CompletableFuture<?>> sends = new ArrayList<>();
            sends.add(publisher.send(
                    Topics.BUDGET_CONFIG,
                    Topics.GLOBAL_SCOPE,
                    BudgetConfig.newBuilder()
                            .setScope(Topics.GLOBAL_SCOPE)
                            .setDailyLimitUsd(Money.usd(BigDecimal.ONE))
                            .setOnExhausted(OnExhausted.DEFER)
                            .setUpdatedAt(T0)
                            .build()));
            record(
                    publisher,
                    sends,
                    "w0",
                    TaskType.IMPLEMENTATION,
                    "anthropic/claude-haiku-4.5",
                    Tier.CLOUD,
                    T0.minusSeconds(3600),
                    1000,
                    List.of(cost("w0", 1, Tier.CLOUD, "anthropic/claude-haiku-4.5", true, 1000, 1000, "1.0")),
                    CapabilityClass.STANDARD);
            record(
                    publisher,
                    sends,
                    "w1",
                    TaskType.IMPLEMENTATION,
                    "anthropic/claude-haiku-4.5",
                    Tier.CLOUD,
                    T0,
                    1000,
                    List.of(
                            cost("w1", 1, Tier.CLOUD, "anthropic/claude-haiku-4.5", false, 0, 0, "0.0005"),
                            cost("w1", 2, Tier.CLOUD, "anthropic/claude-haiku-4.5", true, 1000, 1000, "0.006"),
                            // a redelivered copy of attempt 2: counted once, as the ledger counts it
                            cost("w1", 2, Tier.CLOUD, "anthropic/claude-haiku-4.5", true, 1000, 1000, "0.006")),
                    CapabilityClass.STANDARD);
            record(
                    publisher,
                    sends,
                    "w2",
                    TaskType.CODE_REVIEW,
                    "anthropic/claude-sonnet-4.6",
                    Tier.CLOUD,
                    T0.plusSeconds(1),
                    2000,
                    List.of(cost("w2", 1, Tier.CLOUD, "anthropic/claude-sonnet-4.6", true, 2000, 500, "0.0135")),
                    CapabilityClass.STRONG);
            record(
                    publisher,
                    sends,
                    "w3",
                    TaskType.SUMMARIZATION,
                    "qwen3:8b",
                    Tier.LOCAL,
                    T0.plusSeconds(2),
                    900,
                    List.of(cost("w3", 1, Tier.LOCAL, "qwen3:8b", true, 900, 40, "0.0001")),
                    CapabilityClass.LOCAL);
            sends.add(publisher.send(
                    Topics.CALIBRATION,
                    "CODE_REVIEW|qwen3:8b",
                    CalibrationStat.newBuilder()
                            .setTaskType(TaskType.CODE_REVIEW)
                            .setLocalModel("qwen3:8b")
                            .setReferenceModel("anthropic/claude-sonnet-4.6")
                            .setJudge(CalibrationJudge.LLM)
                            .setSamples(40)
                            .setAgreed(30)
                            .setAgreementRate(0.75)
                            .setLower95(0.6)
                            .setUpper95(0.86)
                            .setSampleCostUsd(Money.ZERO)
                            .setRecentSamples(0)
                            .setRecentAgreed(0)
                            .setFirstSampleAt(T0)
                            .setLastSampleAt(T0)
                            .build()));
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get();
        }
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void theCurrentTableReplaysTheRecordingToTheRecordedCostExactly() throws Exception {
        Cli.Run run = Cli.run(whatif("--json"));
        assertThat(run.exitCode()).as("stderr:%n%s", run.err()).isZero();

        JsonNode report = JSON.readTree(run.out());
        assertThat(report.get("requests").asInt()).isEqualTo(3);
        assertThat(report.get("recordedCostUsd").asText()).isEqualTo("0.020100000");
        assertThat(report.get("replayedCostUsd").asText())
                .isEqualTo(report.get("recordedCostUsd").asText());
        assertThat(report.get("changedDecisions").asInt()).isZero();
        for (String side : List.of("recorded", "replayed")) {
            assertThat(report.get(side).get("cloud").asInt()).as(side).isEqualTo(2);
            assertThat(report.get(side).get("local").asInt()).as(side).isEqualTo(1);
        }
    }

    @Test
    void aRulesFileMovesImplementationToDeepseekAndTheCsvHasARowPerRequest() throws Exception {
        Path rules = dir.resolve("cheaper.json");
        try (InputStream in = DefaultRules.class.getResourceAsStream(DefaultRules.RESOURCE)) {
            ObjectNode table = (ObjectNode) JSON.readTree(in);
            table.put("version", "cheaper-implementation");
            for (JsonNode rule : table.get("rules")) {
                if (rule.get("taskType").asText().equals("IMPLEMENTATION")) {
                    ((ObjectNode) rule).put("model", "deepseek/deepseek-chat");
                    ((ObjectNode) rule).set("fallbackModels", new ArrayNode(JSON.getNodeFactory()));
                }
            }
            Files.writeString(rules, table.toString());
        }
        Path csv = dir.resolve("rows.csv");

        Cli.Run run = Cli.run(whatif("--json", "--rules", rules.toString(), "--csv", csv.toString()));
        assertThat(run.exitCode()).as("stderr:%n%s", run.err()).isZero();

        JsonNode report = JSON.readTree(run.out());
        // w1 on deepseek: 1000 × $0.27/M + 1000 × $1.10/M = $0.00137, instead of its recorded $0.0065;
        // 0.00137 + 0.0135 + 0.0001 = $0.01497
        assertThat(report.get("replayedCostUsd").asText()).isEqualTo("0.014970000");
        assertThat(report.get("recordedCostUsd").asText()).isEqualTo("0.020100000");
        assertThat(report.get("changedDecisions").asInt()).isEqualTo(1);
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1))
                .startsWith("w1,")
                .contains("deepseek/deepseek-chat")
                .endsWith(",0.001370000,false");
    }

    @Test
    void theTableShowsBothSidesAndAnotherBudget() {
        Cli.Run table = Cli.run(whatif("--budget-usd", "0.008"));
        assertThat(table.exitCode()).as("stderr:%n%s", table.err()).isZero();
        assertThat(table.out())
                .contains("RECORDED")
                .contains("REPLAYED")
                .contains("0.020100000")
                .contains("global daily limit $0.008");
    }

    @Test
    void shadowEvidenceReportsTheCalibrationOfATypeMovedToLocal() throws Exception {
        Path rules = dir.resolve("local-reviews.json");
        try (InputStream in = DefaultRules.class.getResourceAsStream(DefaultRules.RESOURCE)) {
            ObjectNode table = (ObjectNode) JSON.readTree(in);
            for (JsonNode rule : table.get("rules")) {
                if (rule.get("taskType").asText().equals("CODE_REVIEW")) {
                    ((ObjectNode) rule).put("tier", "LOCAL").put("model", "qwen3:8b");
                    ((ObjectNode) rule).set("fallbackModels", new ArrayNode(JSON.getNodeFactory()));
                }
            }
            Files.writeString(rules, table.toString());
        }

        Cli.Run run = Cli.run(whatif("--json", "--shadow-evidence", "--rules", rules.toString()));
        assertThat(run.exitCode()).as("stderr:%n%s", run.err()).isZero();

        // w2, the one review, moves to local; qwen3:8b agreed with sonnet on 30 of 40 reviews:
        // 1 × (1 − 0.75) = 0.25 expected disagreeing answers
        JsonNode evidence = JSON.readTree(run.out()).get("shadowEvidence");
        assertThat(evidence).hasSize(1);
        assertThat(evidence.get(0).get("taskType").asText()).isEqualTo("CODE_REVIEW");
        assertThat(evidence.get(0).get("movedToLocal").asInt()).isEqualTo(1);
        assertThat(evidence.get(0).get("samples").asLong()).isEqualTo(40);
        assertThat(evidence.get(0).get("expectedDisagreeing").get("expected").asDouble())
                .isEqualTo(0.25);
    }

    private static String[] whatif(String... args) {
        List<String> all = new ArrayList<>(List.of("whatif"));
        all.addAll(List.of(args));
        all.addAll(List.of(
                "--bootstrap",
                broker.bootstrapServers(),
                "--registry-url",
                REGISTRY,
                "--from",
                T0.toString(),
                "--to",
                T0.plusSeconds(60).toString()));
        return all.toArray(String[]::new);
    }

    private static void record(
            EventPublisher publisher,
            List<CompletableFuture<?>> sends,
            String id,
            TaskType type,
            String model,
            Tier tier,
            Instant at,
            int inputTokens,
            List<CostEvent> costs,
            CapabilityClass served) {
        sends.add(publisher.send(
                Topics.INFERENCE_CLASSIFIED,
                id,
                ClassifiedRequest.newBuilder()
                        .setRequest(InferenceRequest.newBuilder()
                                .setRequestId(id)
                                .setPrompt("prompt of " + id)
                                .setCostCenter("team-a")
                                .setCreatedAt(at)
                                .build())
                        .setClassification(Classification.newBuilder()
                                .setTaskType(type)
                                .setConfidence(0.9)
                                .setEstimatedInputTokens(inputTokens)
                                .setComplexity(0.3)
                                .build())
                        .setClassifiedAt(at)
                        .build()));
        sends.add(publisher.send(
                Topics.ROUTING_DECISIONS,
                id,
                RoutingDecision.newBuilder()
                        .setRequestId(id)
                        .setCostCenter("team-a")
                        .setTaskType(type)
                        .setAction(RoutingAction.ROUTE)
                        .setTier(tier)
                        .setModel(model)
                        .setEstimatedCostUsd(Money.ZERO)
                        .setBudgetLevel(BudgetLevel.NORMAL)
                        .setRule("TASK_TABLE")
                        .setRationale("TASK_TABLE")
                        .setSovereign(false)
                        .setDecidedAt(at)
                        .build()));
        for (CostEvent c : costs) {
            sends.add(publisher.send(Topics.INFERENCE_COSTS, id, c));
        }
        sends.add(publisher.send(
                Topics.INFERENCE_RESULTS,
                id,
                InferenceResult.newBuilder()
                        .setRequestId(id)
                        .setCostCenter("team-a")
                        .setTaskType(type)
                        .setStatus(ResultStatus.COMPLETED)
                        .setTier(tier)
                        .setModel(model)
                        .setCapabilityClass(served)
                        .setProvider("simulated")
                        .setTotalCostUsd(Money.ZERO)
                        .setCompletedAt(at)
                        .build()));
    }

    private static CostEvent cost(
            String id, int attempt, Tier tier, String model, boolean success, long in, long out, String usd) {
        return CostEvent.newBuilder()
                .setRequestId(id)
                .setAttempt(attempt)
                .setCostCenter("team-a")
                .setTaskType(TaskType.UNKNOWN)
                .setTier(tier)
                .setModel(model)
                .setProvider("simulated")
                .setReason(attempt == 1 ? CostReason.PRIMARY : CostReason.RETRY)
                .setSuccess(success)
                .setInputTokens(in)
                .setOutputTokens(out)
                .setCostUsd(Money.usd(new BigDecimal(usd)))
                .setBreakdown(CostBreakdown.newBuilder()
                        .setSource(CostSource.PRICE_TABLE)
                        .setInputUsd(Money.ZERO)
                        .setOutputUsd(Money.ZERO)
                        .setCachedReadUsd(Money.ZERO)
                        .setCacheWriteUsd(Money.ZERO)
                        .setEnergyUsd(Money.ZERO)
                        .setDepreciationUsd(Money.ZERO)
                        .setMaintenanceUsd(Money.ZERO)
                        .build())
                .setOccurredAt(T0)
                .build();
    }
}
