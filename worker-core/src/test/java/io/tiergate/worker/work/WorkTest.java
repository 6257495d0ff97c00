package io.tiergate.worker.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.schemas.cost.TokenUsage;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.CostSource;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.worker.Fixtures;
import io.tiergate.worker.backend.ModelBackend;
import io.tiergate.worker.backend.ModelCall;
import io.tiergate.worker.backend.ModelCallException;
import io.tiergate.worker.backend.ModelResponse;
import io.tiergate.worker.runtime.BudgetBoard;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:00:02Z"), ZoneOffset.UTC);
    private static final WorkEnvironment CLOUD =
            WorkEnvironment.of(Tier.CLOUD, "cw-1", Fixtures.PRICER).withClock(CLOCK);
    private static final WorkEnvironment LOCAL =
            WorkEnvironment.of(Tier.LOCAL, "lw-1", Fixtures.PRICER).withClock(CLOCK);

    /** Answers or fails in the scripted order, recording the calls it saw. */
    static final class Scripted implements ModelBackend {
        final Deque<Object> script = new ArrayDeque<>();
        final List<ModelCall> calls = new ArrayList<>();

        Scripted then(Object answerOrFailure) {
            script.add(answerOrFailure);
            return this;
        }

        @Override
        public String provider() {
            return "openrouter";
        }

        @Override
        public ModelResponse call(ModelCall call) throws ModelCallException {
            calls.add(call);
            Object next = script.removeFirst();
            if (next instanceof ModelCallException e) {
                throw e;
            }
            return (ModelResponse) next;
        }
    }

    static ModelResponse answer(long input, long output) {
        return ModelResponse.builder("openrouter")
                .output("ok")
                .usage(TokenUsage.of(input, output))
                .latency(Duration.ofMillis(800))
                .ttft(Duration.ofMillis(300))
                .build();
    }

    @Test
    void primaryRetryAndFallbackAreNumberedReasonedAndPricedEach() {
        RoutedRequest request = Fixtures.cloud(
                "r1", TaskType.IMPLEMENTATION, "anthropic/claude-haiku-4.5", List.of("anthropic/claude-sonnet-4.6"));
        Scripted backend = new Scripted()
                .then(ModelCallException.retryable("rate_limited", "429", 429, Duration.ofSeconds(2)))
                .then(ModelCallException.nonRetryable("model_not_found", "404", 404))
                .then(answer(1000, 200));
        Work work = new Work(request, CLOUD);

        work.call(backend, "anthropic/claude-haiku-4.5", TIMEOUT);
        work.call(backend, "anthropic/claude-haiku-4.5", TIMEOUT);
        work.call(backend, "anthropic/claude-sonnet-4.6", TIMEOUT);
        WorkOutcome outcome = work.complete();

        assertThat(backend.calls).extracting(ModelCall::attempt).containsExactly(1, 2, 3);
        List<CostEvent> costs = outcome.costEvents();
        assertThat(costs).extracting(CostEvent::getAttempt).containsExactly(1, 2, 3);
        assertThat(costs)
                .extracting(CostEvent::getReason)
                .containsExactly(CostReason.PRIMARY, CostReason.RETRY, CostReason.FALLBACK);
        assertThat(costs).extracting(CostEvent::getSuccess).containsExactly(false, false, true);
        // failed calls that consumed nothing: zero, source NONE
        assertThat(costs.get(0).getCostUsd()).isEqualTo(Money.ZERO);
        assertThat(costs.get(0).getBreakdown().getSource()).isEqualTo(CostSource.NONE);
        // sonnet 4.6: 1,000 input × $3.00/M = $0.003000000; 200 output × $15.00/M = $0.003000000
        assertThat(costs.get(2).getCostUsd()).isEqualTo(Money.usd("0.006000000"));
        assertThat(costs.get(2).getBreakdown().getSource()).isEqualTo(CostSource.PRICE_TABLE);

        InferenceResult result = outcome.result().orElseThrow();
        assertThat(result.getStatus()).isEqualTo(ResultStatus.COMPLETED);
        assertThat(result.getModel()).isEqualTo("anthropic/claude-sonnet-4.6");
        assertThat(result.getAttempts()).isEqualTo(3);
        assertThat(result.getTotalCostUsd()).isEqualTo(Money.usd("0.006000000"));
        assertThat(result.getReasons()).hasSize(2);
        assertThat(result.getReasons().get(0)).startsWith("RETRY attempt 2").contains("rate_limited");
        assertThat(result.getReasons().get(1)).startsWith("FALLBACK attempt 3").contains("model_not_found");
        assertThat(result.getTier()).isEqualTo(Tier.CLOUD);
        assertThat(result.getTtftMs()).isEqualTo(300L);
        assertThat(result.getLatencyMs()).isEqualTo(2000L); // created 10:00:00, completed 10:00:02
        assertThat(outcome.outputs()).hasSize(4);
    }

    @Test
    void anEscalatedRequestContinuesTheNumberingAndAddsItsCostToThePriorCost() {
        RoutedRequest request = RoutedRequest.newBuilder(
                        Fixtures.cloud("r2", TaskType.EXTRACTION, "anthropic/claude-haiku-4.5", List.of()))
                .setAttempt(2)
                .setEscalationReason("output is not JSON")
                .setPriorCostUsd(Money.usd("0.000123456"))
                .setPriorReasons(
                        List.of("ESCALATION to CLOUD (anthropic/claude-haiku-4.5) after attempt 1: output is not JSON"))
                .build();
        Work work = new Work(request, CLOUD);
        work.call(new Scripted().then(answer(1000, 200)), "anthropic/claude-haiku-4.5", TIMEOUT);
        WorkOutcome outcome = work.complete();

        CostEvent cost = outcome.costEvents().get(0);
        assertThat(cost.getAttempt()).isEqualTo(2);
        assertThat(cost.getReason()).isEqualTo(CostReason.ESCALATION);
        // haiku 4.5: 1,000 × $1.00/M = $0.001000000; 200 × $5.00/M = $0.001000000 → $0.002000000
        assertThat(cost.getCostUsd()).isEqualTo(Money.usd("0.002000000"));
        InferenceResult result = outcome.result().orElseThrow();
        assertThat(result.getTotalCostUsd()).isEqualTo(Money.usd("0.002123456"));
        assertThat(result.getAttempts()).isEqualTo(2);
        assertThat(result.getReasons()).containsExactlyElementsOf(request.getPriorReasons());
    }

    @Test
    void anOverflowHandOffWithoutACallSaysSoAndBillsNothing() {
        RoutedRequest request = Fixtures.local("r-overflow", TaskType.EXTRACTION, List.of("deepseek/deepseek-chat"));
        WorkOutcome outcome = new Work(request, LOCAL).handOff(Tier.CLOUD, "LOCAL_QUEUE_FULL");

        assertThat(outcome.costEvents()).isEmpty();
        RoutedRequest next = outcome.handOff().orElseThrow().request();
        assertThat(next.getAttempt()).isEqualTo(1);
        assertThat(next.getPriorReasons())
                .containsExactly("ESCALATION to CLOUD (deepseek/deepseek-chat) without a call: LOCAL_QUEUE_FULL");
    }

    @Test
    void aHandOffCarriesTheNextAttemptThePriorCostAndTheReason() {
        RoutedRequest request = Fixtures.local(
                "r3", TaskType.EXTRACTION, List.of("deepseek/deepseek-chat", "anthropic/claude-haiku-4.5"));
        ModelResponse localAnswer = ModelResponse.builder("ollama")
                .output("not json")
                .usage(TokenUsage.of(1200, 300))
                .latency(Duration.ofSeconds(9))
                .busy(Duration.ofSeconds(8))
                .build();
        Work work = new Work(request, LOCAL);
        Attempt local = work.call(new Scripted().then(localAnswer), "qwen3:8b", TIMEOUT);
        WorkOutcome outcome = work.handOff(Tier.CLOUD, "output is not JSON");

        assertThat(local.cost().breakdown().getSource()).isEqualTo(CostSource.LOCAL_TCO);
        assertThat(local.cost().totalUsd()).isPositive();
        assertThat(outcome.kind()).isEqualTo(WorkOutcome.Kind.HANDED_OFF);
        assertThat(outcome.result()).isEmpty();
        assertThat(outcome.costEvents()).singleElement().satisfies(c -> {
            assertThat(c.getAttempt()).isEqualTo(1);
            assertThat(c.getTier()).isEqualTo(Tier.LOCAL);
            assertThat(c.getReason()).isEqualTo(CostReason.PRIMARY);
        });
        RoutedRequest next = outcome.handOff().orElseThrow().request();
        assertThat(outcome.handOff().get().topic().name()).isEqualTo("inference.tier.cloud");
        assertThat(next.getAttempt()).isEqualTo(2);
        assertThat(next.getEscalationReason()).isEqualTo("output is not JSON");
        assertThat(next.getPriorCostUsd()).isEqualTo(local.cost().totalUsd());
        assertThat(next.getPriorReasons())
                .singleElement()
                .asString()
                .startsWith("ESCALATION to CLOUD (deepseek/deepseek-chat)");
        assertThat(next.getDecision().getTier()).isEqualTo(Tier.CLOUD);
        assertThat(next.getDecision().getModel()).isEqualTo("deepseek/deepseek-chat");
        assertThat(next.getDecision().getFallbackModels()).containsExactly("anthropic/claude-haiku-4.5");
        assertThat(outcome.outputs())
                .extracting(o -> o.topic().name())
                .containsExactly("inference.costs", "inference.tier.cloud");
    }

    @ParameterizedTest(name = "requiresDataSovereignty={0} sensitive={1} decision.sovereign={2}")
    @CsvSource({"true,false,false", "false,true,false", "false,false,true", "true,true,true"})
    void aSovereignRequestIsNeverHandedToTheCloud(boolean requires, boolean sensitive, boolean decision) {
        RoutedRequest request = Fixtures.routed(
                "r4",
                TaskType.EXTRACTION,
                Tier.LOCAL,
                "qwen3:8b",
                List.of("deepseek/deepseek-chat"),
                requires,
                sensitive,
                decision);
        Work work = new Work(request, LOCAL);
        assertThat(work.sovereign()).isTrue();
        assertThatThrownBy(() -> work.handOff(Tier.CLOUD, "queue full"))
                .isInstanceOf(SovereigntyViolationException.class);
        assertThatThrownBy(() -> work.handOff(Tier.CLOUD, "deepseek/deepseek-chat", List.of(), "queue full"))
                .isInstanceOf(SovereigntyViolationException.class);
        // the local tier stays allowed
        assertThat(work.handOff(Tier.LOCAL, "qwen3:8b", List.of(), "retry locally")
                        .handOff())
                .isPresent();
    }

    @Test
    void aFailedRequestStillBillsEveryAttemptIncludingTokensConsumedBeforeTheFailure() {
        RoutedRequest request = Fixtures.cloud("r5", TaskType.DEBUGGING, "anthropic/claude-haiku-4.5", List.of());
        Scripted backend = new Scripted()
                .then(ModelCallException.malformed("stream ended before message_stop", null)
                        .withConsumed(TokenUsage.of(1000, 40)))
                .then(ModelCallException.timeout("no answer in 5 s", null));
        Work work = new Work(request, CLOUD);
        work.call(backend, "anthropic/claude-haiku-4.5", TIMEOUT);
        work.call(backend, "anthropic/claude-haiku-4.5", TIMEOUT);
        WorkOutcome outcome = work.fail("timeout", "no model answered");

        // 1,000 × $1.00/M = $0.001000000; 40 × $5.00/M = $0.000200000
        assertThat(outcome.costEvents())
                .extracting(CostEvent::getCostUsd)
                .containsExactly(Money.usd("0.001200000"), Money.ZERO);
        InferenceResult result = outcome.result().orElseThrow();
        assertThat(result.getStatus()).isEqualTo(ResultStatus.FAILED);
        assertThat(result.getErrorCode()).isEqualTo("timeout");
        assertThat(result.getTotalCostUsd()).isEqualTo(Money.usd("0.001200000"));
        assertThat(result.getAttempts()).isEqualTo(2);
    }

    @Test
    void aRequestFailedWithoutAnyCallCountsOnlyThePriorAttempts() {
        RoutedRequest request = RoutedRequest.newBuilder(
                        Fixtures.cloud("r6", TaskType.DEBUGGING, "anthropic/claude-haiku-4.5", List.of()))
                .setAttempt(2)
                .setEscalationReason("queue full")
                .build();
        WorkOutcome outcome = new Work(request, CLOUD).reject("sovereignty_violation", "no");
        assertThat(outcome.costEvents()).isEmpty();
        assertThat(outcome.result().orElseThrow().getAttempts()).isEqualTo(1);
        assertThat(outcome.result().get().getStatus()).isEqualTo(ResultStatus.REJECTED);
        assertThat(outcome.result().get().getTotalCostUsd()).isEqualTo(Money.ZERO);
    }

    @Test
    void aFirstCallOnAnotherModelThanTheDecisionsIsAFallback() {
        Work work = new Work(
                Fixtures.cloud(
                        "r9", TaskType.DEBUGGING, "anthropic/claude-haiku-4.5", List.of("deepseek/deepseek-chat")),
                CLOUD);
        work.call(new Scripted().then(answer(10, 10)), "deepseek/deepseek-chat", TIMEOUT);
        assertThat(work.complete().costEvents())
                .singleElement()
                .satisfies(c -> assertThat(c.getReason()).isEqualTo(CostReason.FALLBACK));
    }

    @Test
    void completeAfterAFailedAttemptIsABug() {
        Work work = new Work(Fixtures.cloud("r7", TaskType.DEBUGGING, "anthropic/claude-haiku-4.5", List.of()), CLOUD);
        work.call(
                new Scripted().then(ModelCallException.nonRetryable("http_401", "401", 401)),
                "anthropic/claude-haiku-4.5",
                TIMEOUT);
        assertThatThrownBy(work::complete).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void providerReportedCostWinsOverThePriceTable() {
        Work work = new Work(Fixtures.cloud("r8", TaskType.DEBUGGING, "anthropic/claude-haiku-4.5", List.of()), CLOUD);
        ModelResponse reported = ModelResponse.builder("openrouter")
                .output("x")
                .usage(TokenUsage.of(1000, 200))
                .providerCostUsd(Money.usd("0.0021"))
                .build();
        work.call(new Scripted().then(reported), "anthropic/claude-haiku-4.5", TIMEOUT);
        CostEvent cost = work.complete().costEvents().get(0);
        assertThat(cost.getCostUsd()).isEqualTo(Money.usd("0.002100000"));
        assertThat(cost.getBreakdown().getSource()).isEqualTo(CostSource.PROVIDER_REPORTED);
    }

    static final String HAIKU = "anthropic/claude-haiku-4.5";
    static final String DEEPSEEK = "deepseek/deepseek-chat";

    @Test
    void everyCallCarriesAnOutputLimitNeverAboveTheModelsCap() {
        Scripted backend =
                new Scripted().then(answer(10, 10)).then(answer(10, 10)).then(answer(10, 10));
        // no request limit, no endpoint default: the model's cap (haiku 64,000)
        new Work(Fixtures.cloud("o1", TaskType.IMPLEMENTATION, HAIKU, List.of()), CLOUD).call(backend, HAIKU, TIMEOUT);
        // the request's limit
        new Work(
                        Fixtures.withMaxOutputTokens(
                                Fixtures.cloud("o2", TaskType.IMPLEMENTATION, HAIKU, List.of()), 300),
                        CLOUD)
                .call(backend, HAIKU, TIMEOUT);
        // a request limit above deepseek's 8,192: the cap
        new Work(
                        Fixtures.withMaxOutputTokens(
                                Fixtures.cloud("o3", TaskType.IMPLEMENTATION, DEEPSEEK, List.of()), 100_000),
                        CLOUD)
                .call(backend, DEEPSEEK, TIMEOUT);
        assertThat(backend.calls).extracting(ModelCall::maxOutputTokens).containsExactly(64_000, 300, 8192);
    }

    @Test
    void anEndpointDefaultAppliesWhenTheRequestSetsNoLimitCappedByTheModel() {
        Work work = new Work(Fixtures.cloud("o4", TaskType.IMPLEMENTATION, DEEPSEEK, List.of()), CLOUD);
        assertThat(work.outputLimit(DEEPSEEK, java.util.OptionalInt.of(4096))).isEqualTo(4096);
        assertThat(work.outputLimit(DEEPSEEK, java.util.OptionalInt.of(20_000))).isEqualTo(8192);
        assertThat(work.outputLimit("not-in-the-table", java.util.OptionalInt.empty()))
                .isEqualTo(ModelCall.FALLBACK_MAX_OUTPUT_TOKENS);
        Work limited = new Work(
                Fixtures.withMaxOutputTokens(Fixtures.cloud("o5", TaskType.IMPLEMENTATION, DEEPSEEK, List.of()), 500),
                CLOUD);
        assertThat(limited.outputLimit(DEEPSEEK, java.util.OptionalInt.of(4096)))
                .isEqualTo(500);
    }

    @Test
    void aCallWhoseWorstCaseDoesNotFitTheCeilingIsNeverMade() {
        // haiku, 1,200 input tokens ($0.0012) and max_tokens 1,000 ($0.005): worst case $0.0062 per call
        RoutedRequest request = Fixtures.withCeiling(
                Fixtures.withMaxOutputTokens(Fixtures.cloud("c1", TaskType.IMPLEMENTATION, HAIKU, List.of()), 1000),
                "0.01");
        Scripted backend = new Scripted()
                .then(ModelCallException.retryable("server_error", "503", 503, null)
                        .withConsumed(TokenUsage.of(1200, 500))) // cost $0.0037
                .then(answer(10, 10));
        Work work = new Work(request, CLOUD);
        assertThat(work.ceilingRefusal(backend, HAIKU)).isEmpty();
        work.call(backend, HAIKU, TIMEOUT);
        assertThat(work.costUsd()).isEqualTo(Money.usd("0.0037"));
        // 0.0037 + 0.0062 = 0.0099 ≤ 0.01: a retry fits ...
        assertThat(work.ceilingRefusal(backend, HAIKU)).isEmpty();
        // ... but not with $0.0002 spent by an earlier tier
        Work escalated = new Work(
                RoutedRequest.newBuilder(request)
                        .setAttempt(2)
                        .setPriorCostUsd(Money.usd("0.0039"))
                        .build(),
                CLOUD);
        assertThat(escalated.ceilingRefusal(backend, HAIKU))
                .contains("cost ceiling $0.010000000 of the request: spent $0.003900000 + worst case $0.006200000 of"
                        + " attempt 2 on anthropic/claude-haiku-4.5 (1200 input tokens, max_tokens 1000) ="
                        + " $0.010100000 would exceed it; not called");
        assertThatThrownBy(() -> escalated.call(backend, HAIKU, TIMEOUT))
                .isInstanceOf(CostCeilingExceededException.class)
                .hasMessageContaining("would exceed it; not called");
        assertThat(backend.calls).hasSize(1);
        assertThat(escalated.attempts()).isEmpty();
    }

    @Test
    void aRequestWithoutACeilingIsNotLimited() {
        Work work = new Work(Fixtures.cloud("n1", TaskType.IMPLEMENTATION, HAIKU, List.of()), CLOUD);
        assertThat(work.costCeiling().usd()).isEmpty();
        assertThat(work.ceilingRefusal(HAIKU, 64_000)).isEmpty();
    }

    @Test
    void thePrimaryCallIsNotAdmittedAgainButARetryMustFitTheBudget() {
        // haiku, 1,200 input tokens and max_tokens 1,000: worst case $0.0062 per call
        RoutedRequest request =
                Fixtures.withMaxOutputTokens(Fixtures.cloud("b1", TaskType.IMPLEMENTATION, HAIKU, List.of()), 1000);
        BudgetBoard board = new BudgetBoard(CLOCK, Duration.ofHours(1));
        board.status("team-a", budget("team-a", "0.995", "1"));
        Scripted backend = new Scripted()
                .then(ModelCallException.retryable("server_error", "503", 503, null))
                .then(answer(10, 10));
        Work work = new Work(request, CLOUD, null, WriteAhead.NONE, Takeover.fresh(request), board);
        // the router reserved the primary: not checked here, though its worst case is above the headroom
        assertThat(work.budgetRefusal(backend, HAIKU)).isEmpty();
        work.call(backend, HAIKU, TIMEOUT);
        // held at its worst case while it ran, at its real cost (nothing consumed) once it returned
        assertThat(board.held("team-a")).isEqualTo(Money.ZERO);
        assertThat(work.budgetRefusal(backend, HAIKU))
                .contains("budget exhausted for RETRY attempt 2 on anthropic/claude-haiku-4.5: worst case $0.006200000"
                        + " (1200 input tokens, max_tokens 1000); budget 'team-a' has no daily headroom for $0.0062:"
                        + " spent $0.995 + held $0.00 of $1.00; not called (onExhausted REJECT of 'team-a' cannot"
                        + " apply: a worker neither defers nor moves a routed request)");
        assertThatThrownBy(() -> work.call(backend, HAIKU, TIMEOUT))
                .isInstanceOf(BudgetRefusedException.class)
                .hasMessageContaining("not called");
        assertThat(backend.calls).hasSize(1);
        InferenceResult result = work.budgetExhausted("refused").result().orElseThrow();
        assertThat(result.getStatus()).isEqualTo(ResultStatus.FAILED);
        assertThat(result.getErrorCode()).isEqualTo(Work.BUDGET_EXHAUSTED);
    }

    @Test
    void aFallbackThatFitsIsAdmittedAndARequestRefusedBeforeAnyCallIsRejected() {
        RoutedRequest request =
                Fixtures.withMaxOutputTokens(Fixtures.cloud("b2", TaskType.IMPLEMENTATION, HAIKU, List.of()), 1000);
        BudgetBoard board = new BudgetBoard(CLOCK, Duration.ofHours(1));
        board.status("team-a", budget("team-a", "0.990", "1"));
        Work work = new Work(request, CLOUD, null, WriteAhead.NONE, Takeover.fresh(request), board);
        // a fallback before any call (the primary skipped): deepseek's worst case fits, another haiku would not
        assertThat(work.budgetRefusal(DEEPSEEK, 1000)).isEmpty();
        assertThat(work.budgetRefusal("anthropic/claude-sonnet-4.6", 1000)).isPresent();
        InferenceResult result = work.budgetExhausted("refused").result().orElseThrow();
        assertThat(result.getStatus()).isEqualTo(ResultStatus.REJECTED);
        assertThat(result.getErrorCode()).isEqualTo("BUDGET_EXHAUSTED");
    }

    @Test
    void anEscalatedRequestsFirstCloudCallIsAdmittedAgainstTheBudgetAndALocalCallNeverIs() {
        RoutedRequest escalated = RoutedRequest.newBuilder(Fixtures.withMaxOutputTokens(
                        Fixtures.cloud("b3", TaskType.IMPLEMENTATION, HAIKU, List.of()), 1000))
                .setAttempt(2)
                .setEscalationReason("LOCAL_QUEUE_FULL: test")
                .setPriorCostUsd(Money.usd("0.0001"))
                .build();
        BudgetBoard board = new BudgetBoard(CLOCK, Duration.ofHours(1));
        board.status("team-a", budget("team-a", "0.995", "1"));
        Work work = new Work(escalated, CLOUD, null, WriteAhead.NONE, Takeover.fresh(escalated), board);
        assertThat(work.budgetRefusal(HAIKU, 1000))
                .hasValueSatisfying(
                        r -> assertThat(r).startsWith("budget exhausted for ESCALATION attempt 2 on " + HAIKU));
        // the decision's model on the local tier is not cloud spend: budgets do not count it
        Work local = new Work(
                Fixtures.local("b4", TaskType.EXTRACTION, List.of(HAIKU)),
                LOCAL,
                null,
                WriteAhead.NONE,
                Takeover.fresh(Fixtures.local("b4", TaskType.EXTRACTION, List.of(HAIKU))),
                board);
        assertThat(local.budgetRefusal("qwen3:8b", 32_768)).isEmpty();
        InferenceResult result = work.budgetExhausted("refused").result().orElseThrow();
        assertThat(result.getStatus())
                .as("partly served on the local tier: FAILED, not REJECTED")
                .isEqualTo(ResultStatus.FAILED);
    }

    private static BudgetStatus budget(String scope, String spend, String limit) {
        return BudgetStatus.newBuilder()
                .setScope(scope)
                .setLevel(BudgetLevel.CRITICAL_ONLY)
                .setOnExhausted(OnExhausted.REJECT)
                .setDailySpendUsd(Money.usd(spend))
                .setDailyLimitUsd(Money.usd(limit))
                .setMonthlySpendUsd(Money.usd(spend))
                .setUtilization(0)
                .setBurnRateUsdPerHour(Money.ZERO)
                .setPeriodDayStart(CLOCK.instant())
                .setPeriodMonthStart(CLOCK.instant())
                .setUpdatedAt(CLOCK.instant())
                .build();
    }
}
