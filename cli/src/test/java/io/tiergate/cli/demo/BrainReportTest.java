package io.tiergate.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.cli.demo.DemoReport.Sent;
import io.tiergate.cli.demo.PipelineTracker.RequestState;
import io.tiergate.router.policy.ModelCatalog;
import io.tiergate.router.rules.DefaultRules;
import io.tiergate.router.rules.RuleValidator;
import io.tiergate.router.rules.RulesBook;
import io.tiergate.schemas.cost.CostCalculator;
import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.Classification;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.CostBreakdown;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.CostSource;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The classifier section and the oracle cost on a five-request fixture computed by hand. */
class BrainReportTest {

    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

    private final List<Sent> sent = new ArrayList<>();
    private final Map<String, RequestState> states = new HashMap<>();

    private void request(
            String id,
            Optional<TaskType> truth,
            Optional<Boolean> sensitive,
            TaskType classified,
            boolean flagged,
            Tier tier,
            String model,
            long outputTokens,
            String costUsd) {
        WorkloadItem item = new WorkloadItem(
                sent.size() + 1, "p", "team", false, Optional.empty(), Optional.empty(), truth, sensitive);
        sent.add(new Sent(item, id, 0));
        RequestState state = new RequestState();
        state.budgetLevel = BudgetLevel.NORMAL;
        state.classified = ClassifiedRequest.newBuilder()
                .setRequest(InferenceRequest.newBuilder()
                        .setRequestId(id)
                        .setPrompt("p")
                        .setCostCenter("team")
                        .setCreatedAt(NOW)
                        .build())
                .setClassification(Classification.newBuilder()
                        .setTaskType(classified)
                        .setConfidence(0.9)
                        .setEstimatedInputTokens(1000)
                        .setComplexity(0.2)
                        .setContainsSensitiveData(flagged)
                        .build())
                .setClassifiedAt(NOW)
                .build();
        BigDecimal cost = Money.usd(costUsd);
        state.results.add(InferenceResult.newBuilder()
                .setRequestId(id)
                .setCostCenter("team")
                .setTaskType(classified)
                .setStatus(ResultStatus.COMPLETED)
                .setTier(tier)
                .setModel(model)
                .setProvider("simulated")
                .setInputTokens(1000)
                .setOutputTokens(outputTokens)
                .setTotalCostUsd(cost)
                .setCompletedAt(NOW)
                .build());
        BigDecimal zero = Money.ZERO;
        state.costsByAttempt.put(
                1,
                CostEvent.newBuilder()
                        .setRequestId(id)
                        .setAttempt(1)
                        .setCostCenter("team")
                        .setTaskType(classified)
                        .setTier(tier)
                        .setModel(model)
                        .setProvider("simulated")
                        .setReason(CostReason.PRIMARY)
                        .setCostUsd(cost)
                        .setBreakdown(CostBreakdown.newBuilder()
                                .setSource(CostSource.PRICE_TABLE)
                                .setInputUsd(zero)
                                .setOutputUsd(zero)
                                .setCachedReadUsd(zero)
                                .setCacheWriteUsd(zero)
                                .setEnergyUsd(zero)
                                .setDepreciationUsd(zero)
                                .setMaintenanceUsd(zero)
                                .build())
                        .setOccurredAt(NOW)
                        .build());
        states.put(id, state);
    }

    @Test
    void accuracySensitiveRatesAndTheOracleCostAsComputedByHand() {
        Optional<Boolean> none = Optional.empty();
        // right type, served by sonnet
        request(
                "r1",
                Optional.of(TaskType.CODE_REVIEW),
                none,
                TaskType.CODE_REVIEW,
                false,
                Tier.CLOUD,
                "anthropic/claude-sonnet-4.6",
                500,
                "0.010");
        // a review typed as a summary: served locally; the truth goes to sonnet: 1000 x $3/M + 500 x $15/M = $0.0105
        request(
                "r2",
                Optional.of(TaskType.CODE_REVIEW),
                none,
                TaskType.SUMMARIZATION,
                false,
                Tier.LOCAL,
                "qwen3:8b",
                500,
                "0.0001");
        // a summary typed as implementation: served by haiku; the truth stays local: the run's mean local cost
        request(
                "r3",
                Optional.of(TaskType.SUMMARIZATION),
                none,
                TaskType.IMPLEMENTATION,
                false,
                Tier.CLOUD,
                "anthropic/claude-haiku-4.5",
                400,
                "0.006");
        // right type, sensitive data missed: the truth stays on the same local model, so the real cost
        request(
                "r4",
                Optional.of(TaskType.CLASSIFICATION),
                Optional.of(true),
                TaskType.CLASSIFICATION,
                false,
                Tier.LOCAL,
                "qwen3:8b",
                20,
                "0.0003");
        // no task label, benign text flagged as sensitive: same local model either way
        request(
                "r5",
                Optional.empty(),
                Optional.of(false),
                TaskType.CONVERSATION,
                true,
                Tier.LOCAL,
                "qwen3:8b",
                300,
                "0.0002");

        ModelCatalog catalog = new ModelCatalog(PriceTable.loadDefault());
        BrainReport brain = new BrainReport(
                catalog,
                new RulesBook(DefaultRules.load(catalog), new RuleValidator(catalog)).current(),
                new CostCalculator(PriceTable.loadDefault()));
        ObjectNode report = new ObjectMapper().createObjectNode();
        brain.addTo(report, sent, states);

        ObjectNode c = (ObjectNode) report.get("classifier");
        assertThat(c.get("labelled").asInt()).isEqualTo(4);
        assertThat(c.get("accuracyPct").asDouble()).isEqualTo(50.0);
        assertThat(c.get("recallPctByType").get("CODE_REVIEW").asDouble()).isEqualTo(50.0);
        assertThat(c.get("recallPctByType").get("SUMMARIZATION").asDouble()).isEqualTo(0.0);
        assertThat(c.get("recallPctByType").get("CLASSIFICATION").asDouble()).isEqualTo(100.0);
        assertThat(c.get("sensitiveLabelled").asInt()).isEqualTo(1);
        assertThat(c.get("sensitiveRecallPct").asDouble()).isEqualTo(0.0);
        assertThat(c.get("benignLabelled").asInt()).isEqualTo(1);
        assertThat(c.get("sensitiveFalsePositivePct").asDouble()).isEqualTo(100.0);
        // mean local cost: (0.0001 + 0.0003 + 0.0002) / 3 = 0.0002
        // oracle: 0.010 + 0.0105 + 0.0002 + 0.0003 + 0.0002 = 0.0212; this run: 0.0166
        assertThat(new BigDecimal(report.get("labelledCostUsd").asText())).isEqualByComparingTo("0.0166");
        assertThat(new BigDecimal(report.get("oracleCostUsd").asText())).isEqualByComparingTo("0.0212");
        assertThat(report.get("costToOracleRatio").asDouble()).isEqualTo(0.783019);
    }

    @Test
    void theTruthsModelIsPricedAtThisRunsAnswerLengthSimulatedOrNot() {
        // a review typed as a summary, answered by the simulated local model with a review's length (the
        // demo tells the simulated backend each line's true type); the truth goes to sonnet with as many
        // tokens: 1000 x $3/M + 800 x $15/M = $0.015 (a summary's expected 250 would give $0.00675)
        request(
                "s1",
                Optional.of(TaskType.CODE_REVIEW),
                Optional.empty(),
                TaskType.SUMMARIZATION,
                false,
                Tier.LOCAL,
                "qwen3:8b",
                800,
                "0.0001");
        states.get("s1")
                .results
                .set(
                        0,
                        InferenceResult.newBuilder(states.get("s1").results.get(0))
                                .setSimulated(true)
                                .build());
        ModelCatalog catalog = new ModelCatalog(PriceTable.loadDefault());
        ObjectNode report = new ObjectMapper().createObjectNode();
        new BrainReport(
                        catalog,
                        new RulesBook(DefaultRules.load(catalog), new RuleValidator(catalog)).current(),
                        new CostCalculator(PriceTable.loadDefault()))
                .addTo(report, sent, states);
        assertThat(new BigDecimal(report.get("oracleCostUsd").asText())).isEqualByComparingTo("0.015");
    }

    @Test
    void anUnlabelledWorkloadAddsNothing() {
        request(
                "u1",
                Optional.empty(),
                Optional.empty(),
                TaskType.CONVERSATION,
                false,
                Tier.LOCAL,
                "qwen3:8b",
                300,
                "0.0002");
        ModelCatalog catalog = new ModelCatalog(PriceTable.loadDefault());
        ObjectNode report = new ObjectMapper().createObjectNode();
        new BrainReport(
                        catalog,
                        new RulesBook(DefaultRules.load(catalog), new RuleValidator(catalog)).current(),
                        new CostCalculator(PriceTable.loadDefault()))
                .addTo(report, sent, states);
        assertThat(report.has("classifier")).isFalse();
        assertThat(report.has("oracleCostUsd")).isFalse();
    }
}
