package io.tiergate.router.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tiergate.router.calibration.Recommendation.Decision;
import io.tiergate.router.policy.ModelCatalog;
import io.tiergate.router.policy.RouteRule;
import io.tiergate.router.rules.DefaultRules;
import io.tiergate.router.rules.RuleValidator;
import io.tiergate.schemas.cost.CostCalculator;
import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.cost.TokenUsage;
import io.tiergate.schemas.events.CalibrationJudge;
import io.tiergate.schemas.events.CalibrationStat;
import io.tiergate.schemas.events.CostBreakdown;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.CostSource;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecommenderTest {

    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    private static final PriceTable PRICES = PriceTable.loadDefault();
    private static final ModelCatalog CATALOG = new ModelCatalog(PRICES);
    private static final DefaultRules.Table DEFAULTS = DefaultRules.load(CATALOG);
    private static final String LOCAL = DEFAULTS.localModel();

    private final Recommender recommender = new Recommender(CATALOG, 0.9, 30);

    /** Agreement stats as the ledger computes them: Wilson 95% from agreed of samples. */
    static CalibrationStat stat(TaskType type, String localModel, long agreed, long samples) {
        double n = samples;
        double p = agreed / n;
        double z = 1.959963984540054;
        double z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = (z / (1 + z2 / n)) * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return CalibrationStat.newBuilder()
                .setTaskType(type)
                .setLocalModel(localModel)
                .setReferenceModel("deepseek/deepseek-chat")
                .setJudge(CalibrationJudge.FIELDS)
                .setSamples(samples)
                .setAgreed(agreed)
                .setAgreementRate(p)
                .setLower95(Math.max(0, centre - half))
                .setUpper95(Math.min(1, centre + half))
                .setSampleCostUsd(Money.usd("0.006"))
                .setRecentSamples(samples)
                .setRecentAgreed(agreed)
                .setFirstSampleAt(NOW.minusSeconds(3600))
                .setLastSampleAt(NOW)
                .build();
    }

    static CostEvent cost(TaskType type, Tier tier, String model, CostReason reason, String usd, long in, long out) {
        return CostEvent.newBuilder()
                .setRequestId(java.util.UUID.randomUUID().toString())
                .setAttempt(0)
                .setCostCenter("cc-test")
                .setTaskType(type)
                .setTier(tier)
                .setModel(model)
                .setProvider(tier == Tier.LOCAL ? "ollama" : "openrouter")
                .setReason(reason)
                .setInputTokens(in)
                .setOutputTokens(out)
                .setCostUsd(Money.usd(usd))
                .setBreakdown(CostBreakdown.newBuilder()
                        .setSource(tier == Tier.LOCAL ? CostSource.LOCAL_TCO : CostSource.PRICE_TABLE)
                        .setInputUsd(Money.ZERO)
                        .setOutputUsd(Money.ZERO)
                        .setCachedReadUsd(Money.ZERO)
                        .setCacheWriteUsd(Money.ZERO)
                        .setEnergyUsd(Money.ZERO)
                        .setDepreciationUsd(Money.ZERO)
                        .setMaintenanceUsd(Money.ZERO)
                        .build())
                .setOccurredAt(NOW.minusSeconds(600))
                .build();
    }

    /** EXTRACTION 70% over 60 samples; every other locally served type ~100% over 60. */
    private static Map<String, CalibrationStat> issueFixture() {
        Map<String, CalibrationStat> stats = new HashMap<>();
        for (Map.Entry<TaskType, RouteRule> e : DEFAULTS.rules().entrySet()) {
            if (e.getValue().local()) {
                stats.put(
                        e.getKey() + "|" + LOCAL,
                        stat(e.getKey(), LOCAL, e.getKey() == TaskType.EXTRACTION ? 42 : 60, 60));
            }
        }
        return stats;
    }

    @Test
    void onlyExtractionGoesUpWhenItsLocalModelIsWrongOnThirtyPercent() {
        TrafficTally tally = new TrafficTally();
        for (int i = 0; i < 100; i++) {
            tally.add(cost(TaskType.EXTRACTION, Tier.LOCAL, LOCAL, CostReason.PRIMARY, "0.000200000", 800, 200));
        }
        tally.add(cost(TaskType.SUMMARIZATION, Tier.LOCAL, LOCAL, CostReason.PRIMARY, "0.000300000", 2000, 300));

        List<Recommendation> all = recommender.recommend(DEFAULTS.rules(), LOCAL, issueFixture(), tally.all(), NOW);

        assertThat(all).filteredOn(Recommendation::isProposal).singleElement().satisfies(r -> {
            assertThat(r.taskType()).isEqualTo(TaskType.EXTRACTION);
            assertThat(r.decision()).isEqualTo(Decision.UP);
            assertThat(r.proposed().getTier()).isEqualTo(Tier.CLOUD);
            assertThat(r.proposed().getModel()).isEqualTo("deepseek/deepseek-chat");
            assertThat(r.samples()).isEqualTo(60);
            assertThat(r.upper95()).isLessThan(0.9);
            assertThat(r.qualityChange()).isCloseTo(0.3, within(1e-9));
            assertThat(r.qualityChangeLow()).isCloseTo(1 - r.upper95(), within(1e-12));
            assertThat(r.attemptsMoved()).isEqualTo(100);
            // 100 local attempts of 800 in / 200 out, priced on deepseek-chat, minus their 0.02 local cost
            BigDecimal asCloud = new CostCalculator(PRICES)
                    .cloud(PRICES.require("deepseek/deepseek-chat"), TokenUsage.of(80_000, 20_000), Optional.empty())
                    .totalUsd();
            assertThat(r.costChangeUsd()).isEqualByComparingTo(asCloud.subtract(new BigDecimal("0.02")));
            assertThat(r.costChangeUsd().signum()).isPositive();
            // the routers would accept the proposed rule
            assertThat(new RuleValidator(CATALOG).check(r.proposed()).tier()).isEqualTo(Tier.CLOUD);
        });
        assertThat(all)
                .filteredOn(r -> r.current().local() && r.taskType() != TaskType.EXTRACTION)
                .allSatisfy(r -> assertThat(r.decision()).isEqualTo(Decision.KEEP));
        assertThat(all)
                .filteredOn(r -> !r.current().local())
                .allSatisfy(r -> assertThat(r.decision()).isEqualTo(Decision.NO_SAMPLES));
    }

    @Test
    void tooFewSamplesOrAnIntervalAcrossTheMinimumProposeNothing() {
        Map<String, CalibrationStat> stats = new HashMap<>();
        stats.put("EXTRACTION|" + LOCAL, stat(TaskType.EXTRACTION, LOCAL, 14, 20)); // 70% but only 20 samples
        stats.put("SUMMARIZATION|" + LOCAL, stat(TaskType.SUMMARIZATION, LOCAL, 52, 60)); // 86.7%: CI contains 90%
        List<Recommendation> all = recommender.recommend(DEFAULTS.rules(), LOCAL, stats, Map.of(), NOW);
        assertThat(all).noneMatch(Recommendation::isProposal);
        assertThat(byType(all, TaskType.EXTRACTION).decision()).isEqualTo(Decision.UNDECIDED);
        assertThat(byType(all, TaskType.SUMMARIZATION).decision()).isEqualTo(Decision.UNDECIDED);
        assertThat(byType(all, TaskType.SUMMARIZATION).why()).contains("more samples needed");
    }

    @Test
    void aCloudTypeGoesDownOnlyWithConfidentEvidenceOfItsLocalModel() {
        TrafficTally tally = new TrafficTally();
        tally.add(cost(TaskType.BOILERPLATE, Tier.LOCAL, LOCAL, CostReason.PRIMARY, "0.000100000", 500, 100));
        tally.add(cost(TaskType.BOILERPLATE, Tier.LOCAL, LOCAL, CostReason.PRIMARY, "0.000300000", 500, 100));
        tally.add(cost(
                TaskType.IMPLEMENTATION,
                Tier.CLOUD,
                "anthropic/claude-haiku-4.5",
                CostReason.PRIMARY,
                "0.010000000",
                900,
                400));
        tally.add(
                cost(TaskType.IMPLEMENTATION, Tier.CLOUD, "deepseek/deepseek-chat", CostReason.SHADOW, "5", 900, 400));

        Map<String, CalibrationStat> stats = new HashMap<>();
        stats.put("IMPLEMENTATION|" + LOCAL, stat(TaskType.IMPLEMENTATION, LOCAL, 200, 200));
        stats.put("DEBUGGING|" + LOCAL, stat(TaskType.DEBUGGING, LOCAL, 55, 60)); // 91.7%: lower bound below 90%

        List<Recommendation> all = recommender.recommend(DEFAULTS.rules(), LOCAL, stats, tally.all(), NOW);

        Recommendation down = byType(all, TaskType.IMPLEMENTATION);
        assertThat(down.decision()).isEqualTo(Decision.DOWN);
        assertThat(down.proposed().getTier()).isEqualTo(Tier.LOCAL);
        assertThat(down.proposed().getModel()).isEqualTo(LOCAL);
        assertThat(down.proposed().getFallbackModels()).startsWith("anthropic/claude-haiku-4.5");
        // one cloud attempt (the shadow call is calibration's cost, not traffic) at the average local
        // cost per attempt (0.0002) instead of its 0.01
        assertThat(down.attemptsMoved()).isEqualTo(1);
        assertThat(down.costChangeUsd()).isEqualByComparingTo("-0.0098");
        assertThat(down.qualityChange()).isCloseTo(0.0, within(1e-12));
        assertThat(new RuleValidator(CATALOG).check(down.proposed()).tier()).isEqualTo(Tier.LOCAL);

        assertThat(byType(all, TaskType.DEBUGGING).decision()).isEqualTo(Decision.UNDECIDED);
        assertThat(byType(all, TaskType.CODE_REVIEW).decision()).isEqualTo(Decision.NO_SAMPLES);
    }

    @Test
    void redeliveredCostEventsCountOnce() {
        TrafficTally tally = new TrafficTally();
        CostEvent event = cost(TaskType.EXTRACTION, Tier.LOCAL, LOCAL, CostReason.PRIMARY, "0.000200000", 800, 200);
        tally.add(event);
        tally.add(event);
        assertThat(tally.of(TaskType.EXTRACTION).localAttempts()).isEqualTo(1);
        assertThat(tally.of(TaskType.EXTRACTION).localCostUsd()).isEqualByComparingTo("0.0002");
        assertThat(tally.of(TaskType.EXTRACTION).requests()).isEqualTo(1);
    }

    @Test
    void nonsenseThresholdsAreRefused() {
        assertThatThrownBy(() -> new Recommender(CATALOG, 1.5, 30)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Recommender(CATALOG, 0.9, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static Recommendation byType(List<Recommendation> all, TaskType type) {
        return all.stream().filter(r -> r.taskType() == type).findFirst().orElseThrow();
    }
}
