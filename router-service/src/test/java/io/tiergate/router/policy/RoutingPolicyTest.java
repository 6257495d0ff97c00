package io.tiergate.router.policy;

import static io.tiergate.router.Fixtures.DEEPSEEK;
import static io.tiergate.router.Fixtures.HAIKU;
import static io.tiergate.router.Fixtures.OPUS;
import static io.tiergate.router.Fixtures.QWEN;
import static io.tiergate.router.Fixtures.SONNET;
import static io.tiergate.router.Fixtures.fixedBudget;
import static io.tiergate.router.Fixtures.normalBudget;
import static io.tiergate.router.Fixtures.req;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.router.Fixtures;
import io.tiergate.router.rules.RulesBook;
import io.tiergate.schemas.cost.CostCalculator;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.CapabilityClass;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.events.RoutingAction;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class RoutingPolicyTest {

    private final RoutingPolicy policy = new RoutingPolicy(Fixtures.CATALOG);
    private final RulesBook rules = Fixtures.rules();
    private static final LocalCapacity IDLE =
            new LocalCapacity(true, false, false, 0, "local-1 queue 0/8 circuit CLOSED");
    private static final LocalCapacity FULL =
            new LocalCapacity(true, true, false, Long.MAX_VALUE, "local-1 queue 8/8 circuit CLOSED");
    private static final LocalCapacity OPEN =
            new LocalCapacity(true, true, true, Long.MAX_VALUE, "local-1 queue 0/8 circuit OPEN");

    private Decision decide(ClassifiedRequest r) {
        return decide(r, normalBudget(), IDLE);
    }

    private Decision decide(ClassifiedRequest r, BudgetView budget, LocalCapacity local) {
        return policy.decide(r, rules.current(), budget, local, Instant.parse("2026-11-22T10:00:00Z"));
    }

    @Nested
    class Pinning {
        @Test
        void aPinnedCloudModelServesInPlaceOfTheTaskTableAndKeepsItsCloudFallbacks() {
            Decision d = decide(
                    req().type(TaskType.CONVERSATION).requestedModel(OPUS).build());
            assertThat(d.action()).isEqualTo(RoutingAction.ROUTE);
            assertThat(d.tier()).isEqualTo(Tier.CLOUD);
            assertThat(d.model()).isEqualTo(OPUS);
            assertThat(d.rule()).isEqualTo(RuleName.PINNED);
            assertThat(d.rationale()).startsWith("PINNED").contains(OPUS).contains("qwen3:8b");
            // a cloud pin pins the tier: the table's cloud fallbacks stay, never the pinned model or a local one
            assertThat(d.fallbackModels()).doesNotContain(OPUS, QWEN).isNotEmpty();
        }

        @Test
        void aPinOutranksLatencyAndCapacity() {
            Decision overloaded = decide(
                    req().type(TaskType.DEBUGGING).requestedModel(DEEPSEEK).build(), normalBudget(), OPEN);
            assertThat(overloaded.model()).isEqualTo(DEEPSEEK);
            assertThat(overloaded.rule()).isEqualTo(RuleName.PINNED);
            // the table's fallbacks for DEBUGGING are dearer classes than the pinned CHEAP model: none is kept
            assertThat(overloaded.fallbackModels()).isEmpty();

            Decision hurried = decide(req().type(TaskType.CONVERSATION)
                    .latencyMs(10L)
                    .requestedModel(QWEN)
                    .sovereign(false)
                    .build());
            assertThat(hurried.tier()).isEqualTo(Tier.LOCAL);
            assertThat(hurried.rule()).isEqualTo(RuleName.PINNED);
            assertThat(hurried.fallbackModels()).isEmpty();
        }

        @Test
        void aSovereignRequestIsNeverPinnedToACloudModel() {
            for (ClassifiedRequest r : List.of(
                    req().type(TaskType.ARCHITECTURE)
                            .sovereign(true)
                            .requestedModel(OPUS)
                            .build(),
                    req().type(TaskType.ARCHITECTURE)
                            .sensitive(true)
                            .requestedModel(OPUS)
                            .build())) {
                Decision d = decide(r);
                assertThat(d.tier()).isEqualTo(Tier.LOCAL);
                assertThat(d.model()).isEqualTo(QWEN);
                assertThat(d.fallbackModels()).isEmpty();
                assertThat(d.sovereign()).isTrue();
                assertThat(d.rule()).isEqualTo(RuleName.SOVEREIGNTY);
                assertThat(d.rationale()).contains("requested model " + OPUS + " is a cloud model and is not used");
            }
        }

        @ParameterizedTest
        @CsvSource({"DEGRADE_LOCAL, ROUTE, LOCAL", "DEFER, DEFER, NONE", "REJECT, REJECT, NONE"})
        void aPinnedCloudModelUnderAnExhaustedBudgetFollowsOnExhausted(
                OnExhausted onExhausted, RoutingAction action, Tier tier) {
            Decision d = decide(
                    req().type(TaskType.CONVERSATION).requestedModel(SONNET).build(),
                    fixedBudget(BudgetLevel.EXHAUSTED, onExhausted),
                    IDLE);
            assertThat(d.action()).isEqualTo(action);
            assertThat(d.tier()).isEqualTo(tier);
            assertThat(d.rule()).isEqualTo(RuleName.BUDGET);
            assertThat(d.rationale()).contains("Without the budget: PINNED");
        }

        @Test
        void throttledBudgetsConstrainAPinAsTheyConstrainTheTable() {
            // CONSERVE: cheap-eligible work moves down a class, pinned or not
            Decision conserve = decide(
                    req().type(TaskType.IMPLEMENTATION).requestedModel(SONNET).build(),
                    fixedBudget(BudgetLevel.CONSERVE, OnExhausted.DEGRADE_LOCAL),
                    IDLE);
            assertThat(conserve.model()).isEqualTo(HAIKU);
            assertThat(conserve.rule()).isEqualTo(RuleName.BUDGET);
            // CRITICAL_ONLY: a non-critical type stays local even when pinned to cloud
            Decision critical = decide(
                    req().type(TaskType.CONVERSATION).requestedModel(OPUS).build(),
                    fixedBudget(BudgetLevel.CRITICAL_ONLY, OnExhausted.DEGRADE_LOCAL),
                    IDLE);
            assertThat(critical.tier()).isEqualTo(Tier.LOCAL);
            assertThat(critical.rule()).isEqualTo(RuleName.BUDGET);
            // ...and a critical one keeps its pin
            Decision kept = decide(
                    req().type(TaskType.DEBUGGING).requestedModel(OPUS).build(),
                    fixedBudget(BudgetLevel.CRITICAL_ONLY, OnExhausted.DEGRADE_LOCAL),
                    IDLE);
            assertThat(kept.model()).isEqualTo(OPUS);
            assertThat(kept.rule()).isEqualTo(RuleName.PINNED);
        }

        @ParameterizedTest
        @CsvSource({"tiergate/auto", "tiergate/local", "gpt-9", "''"})
        void anAliasOrAnUnknownNamePinsNothing(String asked) {
            Decision d = decide(
                    req().type(TaskType.ARCHITECTURE).requestedModel(asked).build());
            assertThat(d.rule()).isEqualTo(RuleName.TASK_TABLE);
            assertThat(d.model()).isEqualTo(OPUS);
        }

        @Test
        void aPinnedModelIsEstimatedAndCappedAtItsOwnPrice() {
            Decision cheap = decide(
                    req().type(TaskType.ARCHITECTURE).requestedModel(DEEPSEEK).build());
            Decision table = decide(req().type(TaskType.ARCHITECTURE).build());
            assertThat(cheap.estimatedCostUsd()).isLessThan(table.estimatedCostUsd());
            assertThat(cheap.costCeilingUsd()).isLessThan(table.costCeilingUsd());
            // a dearer pin keeps the table's cheaper cloud models as fallbacks
            assertThat(decide(req().type(TaskType.CODE_REVIEW)
                                    .requestedModel(OPUS)
                                    .build())
                            .fallbackModels())
                    .containsExactly(SONNET, HAIKU);
        }
    }

    @Nested
    class TaskTable {
        @ParameterizedTest
        @CsvSource({
            "CLASSIFICATION, LOCAL, qwen3:8b",
            "EXTRACTION, LOCAL, qwen3:8b",
            "SUMMARIZATION, LOCAL, qwen3:8b",
            "CONVERSATION, LOCAL, qwen3:8b",
            "BOILERPLATE, LOCAL, qwen3:8b",
            "IMPLEMENTATION, CLOUD, anthropic/claude-haiku-4.5",
            "CODE_REVIEW, CLOUD, anthropic/claude-sonnet-4.6",
            "DEBUGGING, CLOUD, anthropic/claude-sonnet-4.6",
            "ARCHITECTURE, CLOUD, anthropic/claude-opus-4.6",
            "UNKNOWN, LOCAL, qwen3:8b"
        })
        void defaultTableMatchesDesign(TaskType type, Tier tier, String model) {
            Decision d = decide(req().type(type).complexity(0.1).build());
            assertThat(d.action()).isEqualTo(RoutingAction.ROUTE);
            assertThat(d.tier()).isEqualTo(tier);
            assertThat(d.model()).isEqualTo(model);
            assertThat(d.rule()).isEqualTo(RuleName.TASK_TABLE);
            assertThat(d.budgetLevel()).isEqualTo(BudgetLevel.NORMAL);
            assertThat(d.sovereign()).isFalse();
            assertThat(d.rationale()).startsWith("TASK_TABLE").contains(type.name());
        }

        @Test
        void localDecisionsCarryTheCloudModelToEscalateTo() {
            assertThat(decide(req().type(TaskType.BOILERPLATE).build()).fallbackModels())
                    .containsExactly(DEEPSEEK);
        }

        @Test
        void cloudDecisionsCarryTheRulesFallbackChain() {
            Decision d = decide(req().type(TaskType.ARCHITECTURE).build());
            assertThat(d.fallbackModels()).containsExactly(SONNET);
            assertThat(d.capabilityClass()).isEqualTo(CapabilityClass.FRONTIER);
        }

        @Test
        void complexityAboveTheLocalThresholdGoesToTheFallbackCloudModel() {
            Decision d =
                    decide(req().type(TaskType.BOILERPLATE).complexity(0.71).build());
            assertThat(d.tier()).isEqualTo(Tier.CLOUD);
            assertThat(d.model()).isEqualTo(DEEPSEEK);
            assertThat(d.fallbackModels()).isEmpty();
            assertThat(d.rule()).isEqualTo(RuleName.TASK_TABLE);
            assertThat(d.rationale()).contains("complexity 0.71 > threshold 0.70");
        }

        @Test
        void complexityAtTheThresholdStaysLocal() {
            assertThat(decide(req().type(TaskType.BOILERPLATE).complexity(0.7).build())
                            .tier())
                    .isEqualTo(Tier.LOCAL);
        }

        @Test
        void aTypeWithoutThresholdStaysLocalAtAnyComplexity() {
            assertThat(decide(req().type(TaskType.CLASSIFICATION)
                                    .complexity(1.0)
                                    .build())
                            .tier())
                    .isEqualTo(Tier.LOCAL);
        }

        @Test
        void estimatedCostComesFromTheSharedCostCalculator() {
            Decision d = decide(req().type(TaskType.CODE_REVIEW).tokens(12_345).build());
            BigDecimal expected = new CostCalculator(Fixtures.PRICES)
                    .estimate(Fixtures.PRICES.require(SONNET), TaskType.CODE_REVIEW, 12_345);
            assertThat(d.estimatedCostUsd()).isEqualByComparingTo(expected);
            assertThat(d.estimatedCostUsd().scale()).isEqualTo(Money.SCALE);
        }

        @Test
        void localDecisionsAreEstimatedWithTheLocalTco() {
            Decision d = decide(req().type(TaskType.SUMMARIZATION).tokens(2000).build());
            assertThat(d.estimatedCostUsd()).isPositive();
            assertThat(d.estimatedCostUsd())
                    .isEqualByComparingTo(new CostCalculator(Fixtures.PRICES)
                            .estimate(Fixtures.PRICES.require(QWEN), TaskType.SUMMARIZATION, 2000));
        }
    }

    @Nested
    class CostOfOneRequest {
        @Test
        void theEstimateUsesTheRequestsMaxOutputTokensInsteadOfTheTypesExpectation() {
            // sonnet: 1,000 in at $3/M = 0.003; CODE_REVIEW expects 800 out at $15/M = 0.012
            assertThat(decide(req().type(TaskType.CODE_REVIEW).tokens(1000).build())
                            .estimatedCostUsd())
                    .isEqualTo(Money.usd("0.015"));
            // the request allows at most 100 out: 0.0015
            assertThat(decide(req().type(TaskType.CODE_REVIEW)
                                    .tokens(1000)
                                    .maxOutputTokens(100)
                                    .build())
                            .estimatedCostUsd())
                    .isEqualTo(Money.usd("0.0045"));
            // ... or 5,000: 0.003 + 0.075
            assertThat(decide(req().type(TaskType.CODE_REVIEW)
                                    .tokens(1000)
                                    .maxOutputTokens(5000)
                                    .build())
                            .estimatedCostUsd())
                    .isEqualTo(Money.usd("0.078"));
        }

        @Test
        void theEstimateNeverExceedsTheModelsOutputCap() {
            // IMPLEMENTATION → haiku, cap 64,000: 500 in at $1/M + 64,000 out at $5/M
            Decision d = decide(req().type(TaskType.IMPLEMENTATION)
                    .tokens(500)
                    .maxOutputTokens(100_000)
                    .build());
            assertThat(d.model()).isEqualTo(HAIKU);
            assertThat(d.estimatedCostUsd()).isEqualTo(Money.usd("0.3205"));
        }

        @Test
        void theCeilingIsTheFactorTimesTheWorstCaseOfTheMostExpensiveCallTheDecisionPermits() {
            // CODE_REVIEW: sonnet, then haiku. Worst case with max_tokens 2,000:
            // sonnet 0.003 + 2,000 × $15/M = 0.033; haiku 0.001 + 2,000 × $5/M = 0.011 → 3 × 0.033
            Decision d = decide(req().type(TaskType.CODE_REVIEW)
                    .tokens(1000)
                    .maxOutputTokens(2000)
                    .build());
            assertThat(d.fallbackModels()).containsExactly(HAIKU);
            assertThat(d.costCeilingUsd()).isEqualTo(Money.usd("0.099"));
            assertThat(d.toEvent().getCostCeilingUsd()).isEqualTo(Money.usd("0.099"));
        }

        @Test
        void withoutARequestLimitTheCeilingUsesTheModelsCap() {
            // sonnet's 128,000: 0.003 + 1.92 = 1.923 → × 3
            Decision d = decide(req().type(TaskType.CODE_REVIEW).tokens(1000).build());
            assertThat(d.costCeilingUsd()).isEqualTo(Money.usd("5.769"));
        }

        @Test
        void theFactorIsConfigurable() {
            RoutingPolicy tight =
                    new RoutingPolicy(Fixtures.CATALOG, new RequestCostLimits(1000, new BigDecimal("1.5")));
            Decision d = tight.decide(
                    req().type(TaskType.CODE_REVIEW)
                            .tokens(1000)
                            .maxOutputTokens(2000)
                            .build(),
                    rules.current(),
                    normalBudget(),
                    IDLE,
                    Instant.parse("2026-11-22T10:00:00Z"));
            assertThat(d.costCeilingUsd()).isEqualTo(Money.usd("0.0495"));
        }

        @Test
        void aLocalDecisionsCeilingCoversItsCloudEscalation() {
            // CONVERSATION: local qwen, escalation to deepseek; with max_tokens 1,000 deepseek's worst case
            // is 0.00027 + 0.0011 = 0.00137, qwen's the TCO of 0.35 + 1.111 + 25 s
            Decision d = decide(req().type(TaskType.CONVERSATION)
                    .tokens(1000)
                    .maxOutputTokens(1000)
                    .build());
            assertThat(d.tier()).isEqualTo(Tier.LOCAL);
            assertThat(d.fallbackModels()).containsExactly(DEEPSEEK);
            BigDecimal local = new CostCalculator(Fixtures.PRICES)
                    .local(java.time.Duration.ofMillis(350 + 1111 + 25_000))
                    .totalUsd();
            BigDecimal worst = local.max(new BigDecimal("0.00137"));
            assertThat(d.costCeilingUsd()).isEqualTo(Money.usd(worst.multiply(BigDecimal.valueOf(3))));
        }

        @Test
        void aRejectedOrDeferredRequestHasNoCeiling() {
            Decision rejected = decide(
                    req().type(TaskType.CODE_REVIEW).build(),
                    fixedBudget(BudgetLevel.EXHAUSTED, OnExhausted.REJECT),
                    IDLE);
            assertThat(rejected.action()).isEqualTo(RoutingAction.REJECT);
            assertThat(rejected.costCeilingUsd()).isNull();
            assertThat(rejected.toEvent().getCostCeilingUsd()).isNull();
            Decision deferred = decide(
                    req().type(TaskType.CODE_REVIEW).build(),
                    fixedBudget(BudgetLevel.EXHAUSTED, OnExhausted.DEFER),
                    IDLE);
            assertThat(deferred.action()).isEqualTo(RoutingAction.DEFER);
            assertThat(deferred.costCeilingUsd()).isNull();
        }
    }

    @Nested
    class Sovereignty {
        @ParameterizedTest
        @EnumSource(TaskType.class)
        void sovereignRequestsOfEveryTypeStayLocalWithoutFallback(TaskType type) {
            Decision d =
                    decide(req().type(type).sovereign(true).complexity(0.99).build());
            assertThat(d.tier()).isEqualTo(Tier.LOCAL);
            assertThat(d.model()).isEqualTo(QWEN);
            assertThat(d.fallbackModels()).isEmpty();
            assertThat(d.rule()).isEqualTo(RuleName.SOVEREIGNTY);
            assertThat(d.sovereign()).isTrue();
        }

        @Test
        void sensitiveDataAloneForcesLocal() {
            Decision d =
                    decide(req().type(TaskType.ARCHITECTURE).sensitive(true).build());
            assertThat(d.tier()).isEqualTo(Tier.LOCAL);
            assertThat(d.rule()).isEqualTo(RuleName.SOVEREIGNTY);
            assertThat(d.rationale()).contains("sensitive data detected [EMAIL]");
        }

        @Test
        void sovereigntyBeatsAnExhaustedBudgetThatWouldReject() {
            Decision d = decide(
                    req().type(TaskType.CODE_REVIEW).sovereign(true).build(),
                    fixedBudget(BudgetLevel.EXHAUSTED, OnExhausted.REJECT),
                    IDLE);
            assertThat(d.action()).isEqualTo(RoutingAction.ROUTE);
            assertThat(d.tier()).isEqualTo(Tier.LOCAL);
            assertThat(d.budgetLevel()).isEqualTo(BudgetLevel.EXHAUSTED);
        }

        @Test
        void sovereigntyBeatsAnOverloadedOrBrokenLocalTier() {
            assertThat(decide(req().sovereign(true).build(), normalBudget(), FULL)
                            .tier())
                    .isEqualTo(Tier.LOCAL);
            Decision d = decide(req().sensitive(true).build(), normalBudget(), OPEN);
            assertThat(d.tier()).isEqualTo(Tier.LOCAL);
            assertThat(d.rationale()).contains("never overflows to cloud");
        }

        @Test
        void sovereigntyBeatsATightLatencyBudget() {
            Decision d = decide(req().sovereign(true).latencyMs(1L).build(), normalBudget(), FULL);
            assertThat(d.tier()).isEqualTo(Tier.LOCAL);
        }

        @Test
        void sovereigntyBeatsAHostileOverrideThatSendsTheTypeToCloud() {
            rules.apply("CONVERSATION", Fixtures.rule("CONVERSATION", Tier.CLOUD, OPUS, List.of(SONNET), null));
            Decision d =
                    decide(req().type(TaskType.CONVERSATION).sovereign(true).build());
            assertThat(d.tier()).isEqualTo(Tier.LOCAL);
            assertThat(d.model()).isEqualTo(QWEN);
            assertThat(d.fallbackModels()).isEmpty();
        }
    }

    @Nested
    class Budget {
        @Test
        void conserveMovesImplementationFromStandardToTheCheapModel() {
            Decision d = decide(
                    req().type(TaskType.IMPLEMENTATION).build(),
                    fixedBudget(BudgetLevel.CONSERVE, OnExhausted.DEGRADE_LOCAL),
                    IDLE);
            assertThat(d.tier()).isEqualTo(Tier.CLOUD);
            assertThat(d.model()).isEqualTo(DEEPSEEK);
            assertThat(d.capabilityClass()).isEqualTo(CapabilityClass.CHEAP);
            assertThat(d.fallbackModels()).isEmpty();
            assertThat(d.rule()).isEqualTo(RuleName.BUDGET);
            assertThat(d.budgetLevel()).isEqualTo(BudgetLevel.CONSERVE);
            assertThat(d.rationale()).startsWith("BUDGET").contains("moves down a tier");
        }

        @Test
        void conserveKeepsComplexBoilerplateLocalInsteadOfItsCloudFallback() {
            Decision d = decide(
                    req().type(TaskType.BOILERPLATE).complexity(0.95).build(),
                    fixedBudget(BudgetLevel.CONSERVE, OnExhausted.DEGRADE_LOCAL),
                    IDLE);
            assertThat(d.tier()).isEqualTo(Tier.LOCAL);
            assertThat(d.fallbackModels()).isEmpty();
            assertThat(d.rule()).isEqualTo(RuleName.BUDGET);
        }

        @Test
        void conserveRemovesTheCloudEscalationOfLocalBoilerplate() {
            Decision d = decide(
                    req().type(TaskType.BOILERPLATE).build(),
                    fixedBudget(BudgetLevel.CONSERVE, OnExhausted.DEGRADE_LOCAL),
                    IDLE);
            assertThat(d.tier()).isEqualTo(Tier.LOCAL);
            assertThat(d.fallbackModels()).isEmpty();
            assertThat(d.rule()).isEqualTo(RuleName.TASK_TABLE);
        }

        @Test
        void conserveLeavesWorkThatIsNotCheapEligibleAlone() {
            BudgetView conserve = fixedBudget(BudgetLevel.CONSERVE, OnExhausted.DEGRADE_LOCAL);
            assertThat(decide(req().type(TaskType.CODE_REVIEW).build(), conserve, IDLE)
                            .model())
                    .isEqualTo(SONNET);
            Decision conversation = decide(req().type(TaskType.CONVERSATION).build(), conserve, IDLE);
            assertThat(conversation.fallbackModels()).containsExactly(DEEPSEEK);
            assertThat(conversation.budgetLevel()).isEqualTo(BudgetLevel.CONSERVE);
        }

        @Test
        void conserveMovesAnOverriddenStrongImplementationRuleDownOneClass() {
            rules.apply(
                    "IMPLEMENTATION", Fixtures.rule("IMPLEMENTATION", Tier.CLOUD, OPUS, List.of(SONNET, HAIKU), null));
            Decision d = decide(
                    req().type(TaskType.IMPLEMENTATION).build(),
                    fixedBudget(BudgetLevel.CONSERVE, OnExhausted.DEGRADE_LOCAL),
                    IDLE);
            assertThat(d.model()).isEqualTo(SONNET);
            assertThat(d.fallbackModels()).containsExactly(HAIKU, DEEPSEEK);
        }

        @Test
        void criticalOnlyServesNonCriticalCloudWorkLocally() {
            Decision d = decide(
                    req().type(TaskType.IMPLEMENTATION).build(),
                    fixedBudget(BudgetLevel.CRITICAL_ONLY, OnExhausted.DEGRADE_LOCAL),
                    IDLE);
            assertThat(d.tier()).isEqualTo(Tier.LOCAL);
            assertThat(d.model()).isEqualTo(QWEN);
            assertThat(d.fallbackModels()).isEmpty();
            assertThat(d.rule()).isEqualTo(RuleName.BUDGET);
            assertThat(d.rationale()).contains("only CODE_REVIEW, DEBUGGING, ARCHITECTURE may use cloud");
        }

        @ParameterizedTest
        @CsvSource({
            "CODE_REVIEW, anthropic/claude-sonnet-4.6",
            "DEBUGGING, anthropic/claude-sonnet-4.6",
            "ARCHITECTURE, anthropic/claude-opus-4.6"
        })
        void criticalOnlyKeepsCriticalTypesOnTheirCloudModel(TaskType type, String model) {
            Decision d = decide(
                    req().type(type).build(), fixedBudget(BudgetLevel.CRITICAL_ONLY, OnExhausted.DEGRADE_LOCAL), IDLE);
            assertThat(d.tier()).isEqualTo(Tier.CLOUD);
            assertThat(d.model()).isEqualTo(model);
            assertThat(d.rule()).isEqualTo(RuleName.TASK_TABLE);
            assertThat(d.budgetLevel()).isEqualTo(BudgetLevel.CRITICAL_ONLY);
        }

        @Test
        void criticalOnlyRemovesTheCloudEscalationOfLocalWork() {
            Decision d = decide(
                    req().type(TaskType.CONVERSATION).build(),
                    fixedBudget(BudgetLevel.CRITICAL_ONLY, OnExhausted.DEGRADE_LOCAL),
                    IDLE);
            assertThat(d.tier()).isEqualTo(Tier.LOCAL);
            assertThat(d.fallbackModels()).isEmpty();
        }

        @Test
        void exhaustedWithDegradeLocalServesCloudWorkLocally() {
            Decision d = decide(
                    req().type(TaskType.CODE_REVIEW).build(),
                    fixedBudget(BudgetLevel.EXHAUSTED, OnExhausted.DEGRADE_LOCAL),
                    IDLE);
            assertThat(d.action()).isEqualTo(RoutingAction.ROUTE);
            assertThat(d.tier()).isEqualTo(Tier.LOCAL);
            assertThat(d.model()).isEqualTo(QWEN);
            assertThat(d.rule()).isEqualTo(RuleName.BUDGET);
            assertThat(d.budgetLevel()).isEqualTo(BudgetLevel.EXHAUSTED);
            assertThat(d.rationale()).contains("onExhausted=DEGRADE_LOCAL");
        }

        @Test
        void exhaustedWithDeferDefersCloudWork() {
            Decision d = decide(
                    req().type(TaskType.DEBUGGING).build(),
                    fixedBudget(BudgetLevel.EXHAUSTED, OnExhausted.DEFER),
                    IDLE);
            assertThat(d.action()).isEqualTo(RoutingAction.DEFER);
            assertThat(d.tier()).isEqualTo(Tier.NONE);
            assertThat(d.model()).isEqualTo(SONNET);
            assertThat(d.blockingScope()).isEqualTo("team-a");
            assertThat(d.rule()).isEqualTo(RuleName.BUDGET);
        }

        @Test
        void exhaustedWithRejectRejectsCloudWork() {
            Decision d = decide(
                    req().type(TaskType.ARCHITECTURE).build(),
                    fixedBudget(BudgetLevel.EXHAUSTED, OnExhausted.REJECT),
                    IDLE);
            assertThat(d.action()).isEqualTo(RoutingAction.REJECT);
            assertThat(d.tier()).isEqualTo(Tier.NONE);
            assertThat(d.rationale()).contains("onExhausted=REJECT");
        }

        @Test
        void exhaustedServesComplexLocalTypeWorkLocallyInsteadOfRejectingIt() {
            Decision d = decide(
                    req().type(TaskType.BOILERPLATE).complexity(0.99).build(),
                    fixedBudget(BudgetLevel.EXHAUSTED, OnExhausted.REJECT),
                    IDLE);
            assertThat(d.action()).isEqualTo(RoutingAction.ROUTE);
            assertThat(d.tier()).isEqualTo(Tier.LOCAL);
            assertThat(d.rule()).isEqualTo(RuleName.BUDGET);
            assertThat(d.rationale()).contains("local-tier work");
        }

        @Test
        void exhaustedStillServesLocalWorkLocallyWithoutEscalation() {
            Decision d = decide(
                    req().type(TaskType.SUMMARIZATION).build(),
                    fixedBudget(BudgetLevel.EXHAUSTED, OnExhausted.REJECT),
                    IDLE);
            assertThat(d.action()).isEqualTo(RoutingAction.ROUTE);
            assertThat(d.tier()).isEqualTo(Tier.LOCAL);
            assertThat(d.fallbackModels()).isEmpty();
        }

        @Test
        void aSpendThatDoesNotFitTheHeadroomIsTreatedAsExhausted() {
            BudgetView refuses = new BudgetView() {
                @Override
                public BudgetState state(String costCenter) {
                    return new BudgetState(BudgetLevel.NORMAL, costCenter, OnExhausted.DEFER, "normal");
                }

                @Override
                public Admission admit(String costCenter, BigDecimal estimatedUsd) {
                    return new Admission(false, "global", OnExhausted.REJECT, "budget 'global' has no daily headroom");
                }
            };
            Decision d = decide(req().type(TaskType.CODE_REVIEW).build(), refuses, IDLE);
            assertThat(d.action()).isEqualTo(RoutingAction.REJECT);
            assertThat(d.blockingScope()).isEqualTo("global");
            assertThat(d.budgetLevel()).isEqualTo(BudgetLevel.EXHAUSTED);
            assertThat(d.rationale()).contains("no daily headroom");
        }
    }

    @Nested
    class Latency {
        private final LocalCapacity busy =
                new LocalCapacity(true, false, false, 20_000, "local-1 queue 2/8 circuit CLOSED");

        @Test
        void aTightBudgetMovesLocalWorkToTheFasterCloudTier() {
            Decision d =
                    decide(req().type(TaskType.CONVERSATION).latencyMs(2000L).build(), normalBudget(), busy);
            assertThat(d.tier()).isEqualTo(Tier.CLOUD);
            assertThat(d.model()).isEqualTo(DEEPSEEK);
            assertThat(d.rule()).isEqualTo(RuleName.LATENCY);
            assertThat(d.rationale()).contains("latency budget 2000 ms < local estimate 20350 ms");
        }

        @Test
        void aBudgetAtTheLocalEstimateDoesNotFire() {
            Decision d =
                    decide(req().type(TaskType.CONVERSATION).latencyMs(20_350L).build(), normalBudget(), busy);
            assertThat(d.tier()).isEqualTo(Tier.LOCAL);
            assertThat(d.rule()).isEqualTo(RuleName.TASK_TABLE);
        }

        @Test
        void aBudgetBelowAnIdleLocalTierKeepsTheFasterLocalTier() {
            Decision d = decide(req().type(TaskType.CODE_REVIEW).latencyMs(100L).build(), normalBudget(), IDLE);
            assertThat(d.tier()).isEqualTo(Tier.LOCAL);
            assertThat(d.rule()).isEqualTo(RuleName.LATENCY);
            assertThat(d.fallbackModels()).containsExactly(SONNET, HAIKU);
        }

        @Test
        void theBudgetOutranksTheLatencyRule() {
            Decision d = decide(
                    req().type(TaskType.CONVERSATION).latencyMs(2000L).build(),
                    fixedBudget(BudgetLevel.CRITICAL_ONLY, OnExhausted.DEGRADE_LOCAL),
                    busy);
            assertThat(d.tier()).isEqualTo(Tier.LOCAL);
            assertThat(d.rule()).isEqualTo(RuleName.BUDGET);
        }
    }

    @Nested
    class Capacity {
        @Test
        void aFullLocalQueueOverflowsToTheCloudFallback() {
            Decision d = decide(req().type(TaskType.CONVERSATION).build(), normalBudget(), FULL);
            assertThat(d.tier()).isEqualTo(Tier.CLOUD);
            assertThat(d.model()).isEqualTo(DEEPSEEK);
            assertThat(d.rule()).isEqualTo(RuleName.CAPACITY);
            assertThat(d.rationale()).contains("local tier overloaded");
        }

        @Test
        void anOpenLocalCircuitOverflowsToCloud() {
            Decision d = decide(req().type(TaskType.EXTRACTION).build(), normalBudget(), OPEN);
            assertThat(d.tier()).isEqualTo(Tier.CLOUD);
            assertThat(d.rule()).isEqualTo(RuleName.CAPACITY);
        }

        @Test
        void overflowWithoutAFallbackUsesTheCheapestCloudModel() {
            rules.apply("CLASSIFICATION", Fixtures.rule("CLASSIFICATION", Tier.LOCAL, QWEN, List.of(), null));
            assertThat(decide(req().type(TaskType.CLASSIFICATION).build(), normalBudget(), FULL)
                            .model())
                    .isEqualTo(DEEPSEEK);
        }

        @Test
        void theBudgetOutranksCapacityOverflow() {
            Decision d = decide(
                    req().type(TaskType.CONVERSATION).build(),
                    fixedBudget(BudgetLevel.EXHAUSTED, OnExhausted.REJECT),
                    FULL);
            assertThat(d.action()).isEqualTo(RoutingAction.ROUTE);
            assertThat(d.tier()).isEqualTo(Tier.LOCAL);
            assertThat(d.rule()).isEqualTo(RuleName.BUDGET);
        }

        @Test
        void cloudWorkIsUnaffectedByLocalCapacity() {
            Decision d = decide(req().type(TaskType.DEBUGGING).build(), normalBudget(), FULL);
            assertThat(d.model()).isEqualTo(SONNET);
            assertThat(d.rule()).isEqualTo(RuleName.TASK_TABLE);
        }
    }
}
