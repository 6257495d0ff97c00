package io.tiergate.cli.whatif;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.router.policy.ModelCatalog;
import io.tiergate.router.policy.RouteRule;
import io.tiergate.router.policy.RoutingTable;
import io.tiergate.router.rules.DefaultRules;
import io.tiergate.schemas.cost.CostCalculator;
import io.tiergate.schemas.cost.PriceTable;
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
import io.tiergate.schemas.topics.Topics;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The replay on a hand-built recording of four requests of cost center team-a (shipped price table
 * and default task table), with the expected numbers worked out by hand in the comments:
 *
 * <pre>
 *   r1 IMPLEMENTATION  → haiku      attempt 1 failed $0.0005, attempt 2 1000 in / 1000 out $0.006
 *   r2 CODE_REVIEW     → sonnet     2000 in / 500 out: 2000 × $3/M + 500 × $15/M = $0.0135
 *   r3 SUMMARIZATION   → local      one local call billed $0.0001
 *   r4 ARCHITECTURE    → deferred   the budget was EXHAUSTED (onExhausted DEFER), nothing ran
 *   recorded total = 0.0065 + 0.0135 + 0.0001 + 0 = $0.0201
 * </pre>
 */
class ReplayTest {

    private static final String HAIKU = "anthropic/claude-haiku-4.5";
    private static final String SONNET = "anthropic/claude-sonnet-4.6";
    private static final String OPUS = "anthropic/claude-opus-4.6";
    private static final String DEEPSEEK = "deepseek/deepseek-chat";
    private static final String LOCAL = "qwen3:8b";
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    private final PriceTable prices = PriceTable.loadDefault();
    private final ModelCatalog catalog = new ModelCatalog(prices);
    private final Replay replay = new Replay(catalog, new CostCalculator(prices));
    private final DefaultRules.Table defaults = DefaultRules.load(catalog);
    private final RoutingTable current = table(Map.of());

    @Test
    void theCurrentTableReproducesEveryDecisionAndTheRecordedCostExactly() {
        Replay.Result result = replay.run(recording(), current, Replay.Budgets.asRecorded(Map.of()));

        assertThat(result.changedDecisions()).isZero();
        assertThat(result.replayed().costUsd()).isEqualTo(result.recorded().costUsd());
        assertThat(result.recorded().costUsd()).isEqualByComparingTo("0.0201");
        assertThat(result.replayed())
                .extracting(Replay.Totals::cloud, Replay.Totals::local, Replay.Totals::deferred)
                .containsExactly(2, 1, 1);
        assertThat(result.rows()).allMatch(Replay.Row::sameOutcome);
    }

    @Test
    void anotherTablePricesTheRequestsItMovesByTheirRealTokens() {
        // IMPLEMENTATION → deepseek (cloud), CODE_REVIEW → local qwen3:8b
        RoutingTable other = table(Map.of(
                TaskType.IMPLEMENTATION,
                new RouteRule(TaskType.IMPLEMENTATION, Tier.CLOUD, DEEPSEEK, List.of(), null),
                TaskType.CODE_REVIEW,
                new RouteRule(TaskType.CODE_REVIEW, Tier.LOCAL, LOCAL, List.of(), null)));

        Replay.Result result = replay.run(recording(), other, Replay.Budgets.asRecorded(Map.of()));

        // r1 on deepseek with its successful attempt's tokens: 1000 × $0.27/M + 1000 × $1.10/M = $0.00137
        // (the failed first attempt is not replayed: one call of the new model)
        assertThat(row(result, "r1").replayedModel()).isEqualTo(DEEPSEEK);
        assertThat(row(result, "r1").replayedCostUsd()).isEqualByComparingTo("0.00137");
        // r2 locally: 350 ms TTFT + round(2000 / 900 tok/s) 2222 ms + 500 / 40 tok/s 12500 ms = 15.072 s of TCO:
        //   energy       350 W × 15.072 s × $0.30/kWh / 3.6e6 J/kWh           = 0.0004396
        //   depreciation $2500 × 15.072 / (3 y × 31536000 s × 0.5)            = 0.00079654997… → 0.000796550
        //   maintenance  $100 × 15.072 / (31536000 s × 0.5)                   = 0.00009558599… → 0.000095586
        //   total                                                             = 0.001331736
        assertThat(row(result, "r2").replayedTier()).isEqualTo(Tier.LOCAL);
        assertThat(row(result, "r2").replayedCostUsd()).isEqualByComparingTo("0.001331736");
        // r3 and r4 keep their recorded outcome and cost
        assertThat(row(result, "r3").sameOutcome()).isTrue();
        assertThat(row(result, "r4").replayedAction()).isEqualTo(RoutingAction.DEFER);
        // 0.00137 + 0.001331736 + 0.0001 + 0
        assertThat(result.replayed().costUsd()).isEqualByComparingTo("0.002801736");
        assertThat(result.changedDecisions()).isEqualTo(2);
        assertThat(result.replayed())
                .extracting(Replay.Totals::cloud, Replay.Totals::local, Replay.Totals::deferred)
                .containsExactly(1, 2, 1);
        // minimum tiers: IMPLEMENTATION needs STANDARD (deepseek is CHEAP), CODE_REVIEW STRONG (local is not):
        // only r3 of the three served is served well; recorded, all three were
        assertThat(result.recorded().atOrAboveMinimumTierPct()).isEqualTo(100.0);
        assertThat(result.replayed().atOrAboveMinimumTierPct()).isEqualTo(33.33);
    }

    @Test
    void shadowEvidenceWeighsTheRequestsMovedToLocalByTheLocalModelsMeasuredAgreement() {
        RoutingTable other = table(Map.of(
                TaskType.IMPLEMENTATION,
                new RouteRule(TaskType.IMPLEMENTATION, Tier.CLOUD, DEEPSEEK, List.of(), null),
                TaskType.CODE_REVIEW,
                new RouteRule(TaskType.CODE_REVIEW, Tier.LOCAL, LOCAL, List.of(), null)));
        Replay.Result result = replay.run(recording(), other, Replay.Budgets.asRecorded(Map.of()));
        CalibrationStat reviews = CalibrationStat.newBuilder()
                .setTaskType(TaskType.CODE_REVIEW)
                .setLocalModel(LOCAL)
                .setReferenceModel(SONNET)
                .setJudge(CalibrationJudge.LLM)
                .setSamples(40)
                .setAgreed(24)
                .setAgreementRate(0.6)
                .setLower95(0.45)
                .setUpper95(0.75)
                .setSampleCostUsd(Money.ZERO)
                .setRecentSamples(0)
                .setRecentAgreed(0)
                .setFirstSampleAt(T0)
                .setLastSampleAt(T0)
                .build();

        List<ShadowEvidence.Move> moves =
                ShadowEvidence.of(result.rows(), Map.of(ShadowEvidence.key(TaskType.CODE_REVIEW, LOCAL), reviews));

        // only r2 changes tier (r1 moves between cloud models): 1 review to local, 24 of 40 samples agreed:
        // 1 × (1 − 0.6) = 0.4 expected disagreeing answers, between 1 × (1 − 0.75) and 1 × (1 − 0.45)
        assertThat(moves).singleElement().satisfies(m -> {
            assertThat(m.taskType()).isEqualTo(TaskType.CODE_REVIEW);
            assertThat(m.toLocal()).isEqualTo(1);
            assertThat(m.toCloud()).isZero();
            assertThat(m.expectedDisagreeing().orElseThrow()).containsExactly(0.25, 0.4, 0.55);
        });
        // without samples for the type there is no number
        assertThat(ShadowEvidence.of(result.rows(), Map.of()).get(0).expectedDisagreeing())
                .isEmpty();
    }

    @Test
    void anotherBudgetRecomputesTheLevelsFromTheReplayedCloudSpend() {
        BudgetConfig global = BudgetConfig.newBuilder()
                .setScope(Topics.GLOBAL_SCOPE)
                .setDailyLimitUsd(Money.usd(new BigDecimal("5")))
                .setOnExhausted(OnExhausted.DEFER)
                .setUpdatedAt(T0)
                .build();

        // a global daily limit of $0.008 (CONSERVE from 0.8 × 0.008 = $0.0064):
        Replay.Result result = replay.run(
                recording(),
                current,
                Replay.Budgets.withGlobalDailyLimit(Map.of(Topics.GLOBAL_SCOPE, global), new BigDecimal("0.008")));

        // r1: spend $0 → NORMAL; haiku's estimate 1000 × $1/M + 1200 expected out × $5/M = $0.007 ≤ $0.008:
        //     routed as recorded, costs its recorded $0.0065 (cloud spend now $0.0065)
        assertThat(row(result, "r1").replayedLevel()).isEqualTo(BudgetLevel.NORMAL);
        assertThat(row(result, "r1").replayedCostUsd()).isEqualByComparingTo("0.0065");
        // r2: $0.0065 ≥ $0.0064 → CONSERVE (CODE_REVIEW keeps sonnet); its estimate
        //     2000 × $3/M + 800 × $15/M = $0.012 does not fit $0.008 − $0.0065 → EXHAUSTED, the global DEFER
        assertThat(row(result, "r2").replayedAction()).isEqualTo(RoutingAction.DEFER);
        assertThat(row(result, "r2").replayedLevel()).isEqualTo(BudgetLevel.EXHAUSTED);
        assertThat(row(result, "r2").replayedCostUsd()).isEqualByComparingTo("0");
        // r3: still CONSERVE (local spend is not budgeted); local as recorded, $0.0001
        assertThat(row(result, "r3").replayedLevel()).isEqualTo(BudgetLevel.CONSERVE);
        assertThat(row(result, "r3").sameOutcome()).isTrue();
        // r4: opus's estimate 500 × $5/M + 1500 × $25/M = $0.04 does not fit → deferred, as recorded
        assertThat(row(result, "r4").replayedAction()).isEqualTo(RoutingAction.DEFER);
        // 0.0065 + 0 + 0.0001 + 0
        assertThat(result.replayed().costUsd()).isEqualByComparingTo("0.0066");
        assertThat(result.replayed())
                .extracting(Replay.Totals::cloud, Replay.Totals::local, Replay.Totals::deferred)
                .containsExactly(1, 1, 2);
        assertThat(result.replayed().levelSeries())
                .containsExactly(
                        BudgetLevel.NORMAL, BudgetLevel.EXHAUSTED, BudgetLevel.CONSERVE, BudgetLevel.EXHAUSTED);
    }

    @Test
    void aNewDayStartsTheReplayedSpendFromZero() {
        // r1 spends $0.0065 of $0.008 on day one; r2, r3 and r4 are decided the next day, from $0 again:
        // r3 sees NORMAL (it would see CONSERVE on day one)
        List<RecordedRequest> requests = new ArrayList<>(recording());
        requests.replaceAll(r -> r.requestId().equals("r1") ? r : shifted(r, 86_400));
        Replay.Result result =
                replay.run(requests, current, Replay.Budgets.withGlobalDailyLimit(Map.of(), new BigDecimal("0.008")));

        assertThat(row(result, "r3").replayedLevel()).isEqualTo(BudgetLevel.NORMAL);
        // r2's $0.012 estimate does not fit $0.008 even on a fresh day; without a budget.config the global
        // budget has the defaults, onExhausted DEGRADE_LOCAL: r2 goes local
        assertThat(row(result, "r2").replayedTier()).isEqualTo(Tier.LOCAL);
    }

    @Test
    void aLatencyOverflowIsReplayedWithTheQueueWaitItsDecisionRecorded() {
        RoutingDecision latency = decision("x", TaskType.SUMMARIZATION, RoutingAction.ROUTE, Tier.CLOUD, DEEPSEEK)
                .setRule("LATENCY")
                .setRationale("LATENCY: latency budget 1000 ms < local estimate 5350 ms (TTFT 350 ms + queue wait"
                        + " 5000 ms); cloud deepseek/deepseek-chat (TTFT 900 ms) is faster")
                .build();
        assertThat(RecordedCapacity.of(latency).queueWaitMs()).isEqualTo(5000);
        ClassifiedRequest c = classified("x", TaskType.SUMMARIZATION, 0.2, 100, T0);
        c.getRequest().setLatencyBudgetMs(1000L);
        RecordedRequest r = new RecordedRequest(c, latency, List.of(), null);

        Replay.Result result = replay.run(List.of(r), current, Replay.Budgets.asRecorded(Map.of()));

        assertThat(result.rows().get(0).sameOutcome()).isTrue();
        assertThat(result.rows().get(0).replayedRule()).isEqualTo("LATENCY");
    }

    @Test
    void aCapacityOverflowIsReplayedWithTheLocalTierOverloaded() {
        RoutingDecision overflow = decision("y", TaskType.CONVERSATION, RoutingAction.ROUTE, Tier.CLOUD, DEEPSEEK)
                .setRule("CAPACITY")
                .setRationale("CAPACITY: local tier overloaded (local-1 queue 8/8) → overflow to cloud"
                        + " deepseek/deepseek-chat (CHEAP)")
                .build();
        RecordedRequest r =
                new RecordedRequest(classified("y", TaskType.CONVERSATION, 0.2, 100, T0), overflow, List.of(), null);

        Replay.Row row = replay.run(List.of(r), current, Replay.Budgets.asRecorded(Map.of()))
                .rows()
                .get(0);

        assertThat(row.sameOutcome()).isTrue();
        assertThat(row.replayedRule()).isEqualTo("CAPACITY");
    }

    // --- the fixture ---

    private List<RecordedRequest> recording() {
        return List.of(
                new RecordedRequest(
                        classified("r1", TaskType.IMPLEMENTATION, 0.5, 1000, T0),
                        decision("r1", TaskType.IMPLEMENTATION, RoutingAction.ROUTE, Tier.CLOUD, HAIKU)
                                .setDecidedAt(T0)
                                .build(),
                        List.of(
                                cost("r1", 2, Tier.CLOUD, HAIKU, true, 1000, 1000, "0.006"),
                                cost("r1", 1, Tier.CLOUD, HAIKU, false, 0, 0, "0.0005")),
                        result("r1", Tier.CLOUD, HAIKU, CapabilityClass.STANDARD)),
                new RecordedRequest(
                        classified("r2", TaskType.CODE_REVIEW, 0.6, 2000, T0.plusSeconds(1)),
                        decision("r2", TaskType.CODE_REVIEW, RoutingAction.ROUTE, Tier.CLOUD, SONNET)
                                .setDecidedAt(T0.plusSeconds(1))
                                .build(),
                        List.of(cost("r2", 1, Tier.CLOUD, SONNET, true, 2000, 500, "0.0135")),
                        result("r2", Tier.CLOUD, SONNET, CapabilityClass.STRONG)),
                new RecordedRequest(
                        classified("r3", TaskType.SUMMARIZATION, 0.3, 900, T0.plusSeconds(2)),
                        decision("r3", TaskType.SUMMARIZATION, RoutingAction.ROUTE, Tier.LOCAL, LOCAL)
                                .setDecidedAt(T0.plusSeconds(2))
                                .build(),
                        List.of(cost("r3", 1, Tier.LOCAL, LOCAL, true, 900, 40, "0.0001")),
                        result("r3", Tier.LOCAL, LOCAL, CapabilityClass.LOCAL)),
                new RecordedRequest(
                        classified("r4", TaskType.ARCHITECTURE, 0.9, 500, T0.plusSeconds(3)),
                        decision("r4", TaskType.ARCHITECTURE, RoutingAction.DEFER, Tier.NONE, OPUS)
                                .setBudgetLevel(BudgetLevel.EXHAUSTED)
                                .setRule("BUDGET")
                                .setRationale("BUDGET: budget 'global' is EXHAUSTED: no new cloud spend;"
                                        + " onExhausted=DEFER for scope 'global'")
                                .setDecidedAt(T0.plusSeconds(3))
                                .build(),
                        List.of(),
                        null));
    }

    private RoutingTable table(Map<TaskType, RouteRule> overrides) {
        Map<TaskType, RouteRule> rules = new EnumMap<>(defaults.rules());
        rules.putAll(overrides);
        Map<TaskType, RoutingTable.Source> sources = new EnumMap<>(TaskType.class);
        rules.keySet().forEach(t -> sources.put(t, RoutingTable.Source.DEFAULT));
        return new RoutingTable(rules, sources, defaults.localModel(), "test");
    }

    private static Replay.Row row(Replay.Result result, String id) {
        return result.rows().stream()
                .filter(r -> r.requestId().equals(id))
                .findFirst()
                .orElseThrow();
    }

    private static RecordedRequest shifted(RecordedRequest r, long seconds) {
        ClassifiedRequest c = ClassifiedRequest.newBuilder(r.classified()).build();
        c.getRequest().setCreatedAt(c.getRequest().getCreatedAt().plusSeconds(seconds));
        RoutingDecision d = RoutingDecision.newBuilder(r.decision())
                .setDecidedAt(r.decidedAt().plusSeconds(seconds))
                .build();
        return new RecordedRequest(c, d, r.costs(), r.result());
    }

    static ClassifiedRequest classified(String id, TaskType type, double complexity, int inputTokens, Instant at) {
        return ClassifiedRequest.newBuilder()
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
                        .setComplexity(complexity)
                        .build())
                .setClassifiedAt(at)
                .build();
    }

    static RoutingDecision.Builder decision(String id, TaskType type, RoutingAction action, Tier tier, String model) {
        return RoutingDecision.newBuilder()
                .setRequestId(id)
                .setCostCenter("team-a")
                .setTaskType(type)
                .setAction(action)
                .setTier(tier)
                .setModel(model)
                .setEstimatedCostUsd(Money.ZERO)
                .setBudgetLevel(BudgetLevel.NORMAL)
                .setRule("TASK_TABLE")
                .setRationale("TASK_TABLE")
                .setSovereign(false)
                .setDecidedAt(T0);
    }

    static CostEvent cost(
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

    static InferenceResult result(String id, Tier tier, String model, CapabilityClass cls) {
        return InferenceResult.newBuilder()
                .setRequestId(id)
                .setCostCenter("team-a")
                .setTaskType(TaskType.UNKNOWN)
                .setStatus(ResultStatus.COMPLETED)
                .setTier(tier)
                .setModel(model)
                .setCapabilityClass(cls)
                .setProvider("simulated")
                .setTotalCostUsd(Money.ZERO)
                .setCompletedAt(T0)
                .build();
    }
}
