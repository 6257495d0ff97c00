package io.tiergate.cloudworker.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tiergate.cloudworker.config.ApiKeySource;
import io.tiergate.cloudworker.config.CloudWorkerConfiguration.BackendMode;
import io.tiergate.cloudworker.config.ModelEndpoint;
import io.tiergate.cloudworker.config.ModelProperties;
import io.tiergate.cloudworker.resilience.Backoff;
import io.tiergate.cloudworker.resilience.RetryPolicy;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.worker.Fixtures;
import io.tiergate.worker.http.ModelHttp;
import io.tiergate.worker.runtime.BudgetBoard;
import io.tiergate.worker.simulated.SimulatedBackend;
import io.tiergate.worker.simulated.SimulationSettings;
import io.tiergate.worker.testing.FakeProvider;
import io.tiergate.worker.testing.FakeProvider.Reply;
import io.tiergate.worker.work.Takeover;
import io.tiergate.worker.work.Work;
import io.tiergate.worker.work.WorkEnvironment;
import io.tiergate.worker.work.WorkOutcome;
import io.tiergate.worker.work.WriteAhead;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CloudRequestHandlerTest {

    static final String HAIKU = "anthropic/claude-haiku-4.5";
    static final String SONNET = "anthropic/claude-sonnet-4.6";
    static final String DEEPSEEK = "deepseek/deepseek-chat";

    final FakeProvider server = new FakeProvider();
    final ModelHttp http = new ModelHttp(Duration.ofSeconds(2));
    final List<Duration> slept = new ArrayList<>();
    final AdvancingClock clock = new AdvancingClock();

    /** The system clock, plus whatever a test has moved it on by (breakers time their open state on it). */
    static final class AdvancingClock extends Clock {
        private final AtomicReference<Duration> ahead = new AtomicReference<>(Duration.ZERO);

        void advance(Duration by) {
            ahead.accumulateAndGet(by, Duration::plus);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("UTC only");
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(ahead.get());
        }
    }

    final WorkEnvironment env = WorkEnvironment.of(Tier.CLOUD, "cw-test", Fixtures.PRICER);

    @AfterEach
    void stop() {
        server.close();
    }

    ModelProperties model(String id, Consumer<ModelProperties.Builder> tweak) {
        ModelProperties.Builder p = ModelProperties.builder(id.replace('/', '-'))
                .model(id)
                .api(ModelEndpoint.Api.OPENAI)
                .baseUrl(server.baseUrl().toString())
                .apiKeyEnv("TEST_KEY")
                .stream(false);
        tweak.accept(p);
        return p.build();
    }

    CloudRequestHandler handler(List<ModelProperties> models, int maxAttempts) {
        CloudModels built = CloudModels.build(
                models,
                BackendMode.AUTO,
                Fixtures.PRICES,
                new ApiKeySource(Map.of("TEST_KEY", "sk-test-key-123456")::get),
                http,
                new SimulatedBackend(Fixtures.PRICES, SimulationSettings.defaults()),
                clock);
        RetryPolicy policy = new RetryPolicy(
                maxAttempts,
                new Backoff(Duration.ofMillis(500), Duration.ofSeconds(8)),
                Duration.ofSeconds(30),
                Duration.ofSeconds(1),
                Duration.ofMinutes(5));
        return new CloudRequestHandler(
                built, policy, Fixtures.PRICES, slept::add, () -> 0.5, new SimpleMeterRegistry());
    }

    WorkOutcome serve(CloudRequestHandler handler, RoutedRequest request) throws Exception {
        return handler.handle(new Work(request, env));
    }

    @Test
    void a429IsRetriedAfterItsRetryAfterAndEachAttemptIsBilled() throws Exception {
        server.then(Reply.json(429, "openai/error-429.json").header("retry-after", "2"))
                .then(Reply.json(200, "openai/chat-completion.json"));
        WorkOutcome outcome = serve(
                handler(List.of(model(HAIKU, p -> {})), 3),
                Fixtures.cloud("h1", TaskType.IMPLEMENTATION, HAIKU, List.of()));

        assertThat(slept).containsExactly(Duration.ofSeconds(2)); // backoff ≤ 500 ms × jitter < Retry-After
        assertThat(outcome.costEvents())
                .extracting(CostEvent::getAttempt, CostEvent::getReason, CostEvent::getSuccess)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, CostReason.PRIMARY, false),
                        org.assertj.core.groups.Tuple.tuple(2, CostReason.RETRY, true));
        assertThat(outcome.costEvents().get(0).getCostUsd()).isEqualTo(Money.ZERO);
        InferenceResult result = outcome.result().orElseThrow();
        assertThat(result.getStatus()).isEqualTo(ResultStatus.COMPLETED);
        assertThat(result.getAttempts()).isEqualTo(2);
        assertThat(result.getTotalCostUsd()).isEqualTo(Money.usd("0.001778000")); // see OpenAiChatBackendTest
    }

    @Test
    void aModelNotFoundFallsBackToTheNextModelOfTheDecision() throws Exception {
        server.then(Reply.json(404, "openai/error-404-model.json"))
                .then(Reply.json(200, "openrouter/chat-completion.json"));
        WorkOutcome outcome = serve(
                handler(List.of(model(HAIKU, p -> {}), model(SONNET, p -> {})), 3),
                Fixtures.cloud("h2", TaskType.CODE_REVIEW, HAIKU, List.of(SONNET)));
        assertThat(slept).isEmpty();
        assertThat(outcome.costEvents()).extracting(CostEvent::getModel).containsExactly(HAIKU, SONNET);
        assertThat(outcome.costEvents())
                .extracting(CostEvent::getReason)
                .containsExactly(CostReason.PRIMARY, CostReason.FALLBACK);
        assertThat(outcome.result().orElseThrow().getModel()).isEqualTo(SONNET);
        assertThat(outcome.result().get().getReasons())
                .singleElement()
                .asString()
                .contains("FALLBACK")
                .contains("model_not_found");
        assertThat(server.received()).extracting(r -> r.body().contains(SONNET)).containsExactly(false, true);
    }

    @Test
    void afterMaxAttemptsOnOneModelTheNextOneIsTried() throws Exception {
        server.then(Reply.json(503, "openai/error-503.json"))
                .then(Reply.json(503, "openai/error-503.json"))
                .then(Reply.json(200, "openai/chat-completion.json"));
        WorkOutcome outcome = serve(
                handler(List.of(model(HAIKU, p -> {}), model(DEEPSEEK, p -> {})), 2),
                Fixtures.cloud("h3", TaskType.IMPLEMENTATION, HAIKU, List.of(DEEPSEEK)));
        assertThat(outcome.costEvents())
                .extracting(CostEvent::getReason)
                .containsExactly(CostReason.PRIMARY, CostReason.RETRY, CostReason.FALLBACK);
        // full jitter at 0.5: retry 1 waits 0.5 × 500 ms
        assertThat(slept).containsExactly(Duration.ofMillis(250));
        assertThat(outcome.result().orElseThrow().getAttempts()).isEqualTo(3);
    }

    @Test
    void aRetryAfterLongerThanTheLimitMovesOnInsteadOfWaiting() throws Exception {
        server.then(Reply.json(429, "openrouter/error-429.json").header("retry-after", "120"))
                .then(Reply.json(200, "openai/chat-completion.json"));
        WorkOutcome outcome = serve(
                handler(List.of(model(HAIKU, p -> {}), model(DEEPSEEK, p -> {})), 3),
                Fixtures.cloud("h4", TaskType.IMPLEMENTATION, HAIKU, List.of(DEEPSEEK)));
        assertThat(slept).isEmpty();
        assertThat(outcome.result().orElseThrow().getModel()).isEqualTo(DEEPSEEK);
        assertThat(outcome.result().get().getReasons()).anyMatch(r -> r.contains("Retry-After PT2M exceeds"));
    }

    @Test
    void anOpenCircuitSkipsTheModelWithoutCallingIt() throws Exception {
        CloudRequestHandler handler = handler(
                List.of(
                        model(HAIKU, p -> {
                            p.circuitMinimumCalls(2);
                            p.circuitOpenFor(Duration.ofMinutes(5));
                        }),
                        model(DEEPSEEK, p -> {})),
                2);
        server.then(Reply.json(500, "openai/error-500.json"))
                .then(Reply.json(500, "openai/error-500.json"))
                .then(Reply.json(200, "openai/chat-completion.json"));
        serve(handler, Fixtures.cloud("h5", TaskType.IMPLEMENTATION, HAIKU, List.of(DEEPSEEK)));
        int callsBefore = server.received().size();

        server.then(Reply.json(200, "openai/chat-completion.json"));
        WorkOutcome outcome = serve(handler, Fixtures.cloud("h6", TaskType.IMPLEMENTATION, HAIKU, List.of(DEEPSEEK)));
        assertThat(server.received()).hasSize(callsBefore + 1);
        assertThat(server.received().get(callsBefore).body()).contains(DEEPSEEK);
        assertThat(outcome.costEvents()).singleElement().satisfies(c -> {
            assertThat(c.getModel()).isEqualTo(DEEPSEEK);
            assertThat(c.getReason()).isEqualTo(CostReason.FALLBACK); // attempt 1, another model than the decision's
        });
        assertThat(outcome.result().orElseThrow().getReasons()).anyMatch(r -> r.contains("circuit OPEN"));
    }

    @Test
    void requestsThatFindAHalfOpenCircuitsTrialsTakenWaitForTheVerdictInsteadOfFailing() throws Exception {
        CloudRequestHandler handler = handler(
                List.of(model(HAIKU, p -> {
                    p.circuitMinimumCalls(2);
                    p.circuitOpenFor(Duration.ofMillis(100));
                })),
                1);
        server.then(Reply.json(500, "openai/error-500.json")).then(Reply.json(500, "openai/error-500.json"));
        serve(handler, Fixtures.cloud("o1", TaskType.IMPLEMENTATION, HAIKU, List.of()));
        serve(handler, Fixtures.cloud("o2", TaskType.IMPLEMENTATION, HAIKU, List.of()));
        clock.advance(
                Duration.ofMillis(200)); // past open-for: the next call finds the breaker HALF_OPEN (two trial calls)

        // the provider is back, a little slow: while the two trials run, two more requests arrive
        server.otherwise(r -> Reply.json(200, "openai/chat-completion.json").delay(Duration.ofMillis(300)));
        List<Future<WorkOutcome>> outcomes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int i = 0; i < 4; i++) {
                String id = "after-" + i;
                outcomes.add(pool.submit(
                        () -> serve(handler, Fixtures.cloud(id, TaskType.IMPLEMENTATION, HAIKU, List.of()))));
            }
            for (var f : outcomes) {
                assertThat(f.get(10, TimeUnit.SECONDS).result().orElseThrow().getStatus())
                        .isEqualTo(ResultStatus.COMPLETED);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.received()).hasSize(6); // two that opened it, two trials, two after it closed
    }

    @Test
    void aModelOverItsRequestsPerMinuteIsSkippedWhenTheWaitIsTooLong() throws Exception {
        CloudRequestHandler handler =
                handler(List.of(model(HAIKU, p -> p.requestsPerMinute(1L)), model(DEEPSEEK, p -> {})), 2);
        server.otherwise(r -> Reply.json(200, "openai/chat-completion.json"));
        serve(handler, Fixtures.cloud("r1", TaskType.IMPLEMENTATION, HAIKU, List.of(DEEPSEEK)));
        WorkOutcome second = serve(handler, Fixtures.cloud("r2", TaskType.IMPLEMENTATION, HAIKU, List.of(DEEPSEEK)));
        assertThat(second.result().orElseThrow().getModel()).isEqualTo(DEEPSEEK);
        assertThat(second.result().get().getReasons()).anyMatch(r -> r.contains("rpm/tpm budget"));
        assertThat(slept).isEmpty(); // a 60 s wait exceeds max-rate-limit-wait (1 s): no waiting
    }

    @Test
    void aSovereignRequestIsRefusedWithoutAnyCall() throws Exception {
        RoutedRequest sovereign =
                Fixtures.routed("s1", TaskType.DEBUGGING, Tier.CLOUD, HAIKU, List.of(), true, false, false);
        WorkOutcome outcome = serve(handler(List.of(model(HAIKU, p -> {})), 3), sovereign);
        assertThat(server.received()).isEmpty();
        assertThat(outcome.costEvents()).isEmpty();
        assertThat(outcome.result().orElseThrow().getStatus()).isEqualTo(ResultStatus.REJECTED);
        assertThat(outcome.result().get().getErrorCode()).isEqualTo("sovereignty_violation");
    }

    /** A stream cut off after its usage chunk (no [DONE]): a failed, retryable attempt billed for what it consumed. */
    static Reply cutOffAfter(long promptTokens, long completionTokens) {
        return Reply.body(
                200,
                "text/event-stream",
                "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"partial\"}}]}\n\n"
                        + "data: {\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":" + promptTokens
                        + ",\"completion_tokens\":" + completionTokens + "}}\n\n");
    }

    @Test
    void aRequestWhoseRetriesAndFallbacksWouldExceedItsCeilingMakesExactlyTheCallsThatFitAndOneResultSayingWhy()
            throws Exception {
        // every call is cut off after 1,200 in / 500 out: haiku bills $0.0037, deepseek $0.000874.
        // max_tokens 1,000, 1,200 input tokens: worst case haiku $0.0062, deepseek $0.001424. Ceiling $0.0105:
        //   haiku 1: 0 + 0.0062 fits; haiku 2: 0.0037 + 0.0062 = 0.0099 fits; haiku 3: 0.0074 + 0.0062 does not
        //   deepseek 1: 0.0074 + 0.001424 fits; deepseek 2: 0.008274 + 0.001424 = 0.009698 fits;
        //   deepseek 3: 0.009148 + 0.001424 = 0.010572 does not
        server.otherwise(r -> cutOffAfter(1200, 500));
        RoutedRequest request = Fixtures.withCeiling(
                Fixtures.withMaxOutputTokens(
                        Fixtures.cloud("cc1", TaskType.IMPLEMENTATION, HAIKU, List.of(DEEPSEEK)), 1000),
                "0.0105");
        WorkOutcome outcome = serve(
                handler(List.of(model(HAIKU, p -> p.stream(true)), model(DEEPSEEK, p -> p.stream(true))), 3), request);

        assertThat(server.received()).hasSize(4); // 2 on haiku, 2 on deepseek: the 3rd of each did not fit
        assertThat(server.received())
                .extracting(r -> r.body().contains("\"max_tokens\":1000"))
                .containsOnly(true);
        assertThat(outcome.costEvents())
                .extracting(CostEvent::getModel)
                .containsExactly(HAIKU, HAIKU, DEEPSEEK, DEEPSEEK);
        assertThat(outcome.costEvents())
                .extracting(CostEvent::getCostUsd)
                .containsExactly(
                        Money.usd("0.0037"), Money.usd("0.0037"), Money.usd("0.000874"), Money.usd("0.000874"));
        InferenceResult result = outcome.result().orElseThrow();
        assertThat(result.getStatus()).isEqualTo(ResultStatus.FAILED);
        assertThat(result.getErrorCode()).isEqualTo("cost_ceiling");
        assertThat(result.getErrorMessage())
                .startsWith("cost ceiling $0.010500000 of the request: spent $0.009148000 + worst case $0.001424000 of"
                        + " attempt 5 on deepseek/deepseek-chat (1200 input tokens, max_tokens 1000) = $0.010572000"
                        + " would exceed it; not called; the last call failed: ");
        assertThat(result.getTotalCostUsd()).isEqualTo(Money.usd("0.009148"));
        assertThat(result.getAttempts()).isEqualTo(4);
        assertThat(result.getReasons())
                .anyMatch(r -> r.startsWith("skipped anthropic/claude-haiku-4.5: cost ceiling $0.010500000")
                        && r.contains("attempt 3 on anthropic/claude-haiku-4.5"));
    }

    @Test
    void anEscalationWhoseFirstCallCannotFitTheCeilingMakesNoCall() throws Exception {
        server.otherwise(r -> Reply.json(200, "openai/chat-completion.json"));
        // the local tier spent $0.009; haiku's worst case with max_tokens 1,000 is $0.0062: over $0.01
        RoutedRequest escalated = RoutedRequest.newBuilder(Fixtures.withCeiling(
                        Fixtures.withMaxOutputTokens(
                                Fixtures.cloud("cc2", TaskType.IMPLEMENTATION, HAIKU, List.of()), 1000),
                        "0.01"))
                .setAttempt(2)
                .setEscalationReason("LOCAL_QUEUE_FULL: test")
                .setPriorCostUsd(Money.usd("0.009"))
                .build();
        WorkOutcome outcome = serve(handler(List.of(model(HAIKU, p -> {})), 3), escalated);

        assertThat(server.received()).isEmpty();
        assertThat(outcome.costEvents()).isEmpty();
        InferenceResult result = outcome.result().orElseThrow();
        assertThat(result.getStatus()).isEqualTo(ResultStatus.FAILED);
        assertThat(result.getErrorCode()).isEqualTo("cost_ceiling");
        assertThat(result.getErrorMessage()).doesNotContain("the last call failed");
        assertThat(result.getTotalCostUsd()).isEqualTo(Money.usd("0.009"));
    }

    @Test
    void retriesAndFallbacksAreAdmittedAgainstTheBudgetAndARefusedCallIsNeverMade() throws Exception {
        // every call cut off after 1,200 in / 500 out: haiku bills $0.0037, deepseek $0.000874; worst cases
        // (max_tokens 1,000): haiku $0.0062, deepseek $0.001424. Budget team-a: $0.99 spent of $1.00. What this
        // worker holds for a call: its worst case while it runs, its real cost once it returned.
        //   haiku 1, the primary: reserved by the router, not checked; then held at $0.0037
        //   haiku 2 (retry): 0.99 + 0.0037 + 0.0062 = 0.9999 fits; haiku 3: 0.99 + 0.0074 + 0.0062: refused
        //   deepseek 1: 0.99 + 0.0074 + 0.001424 fits; deepseek 2: 0.99 + 0.008274 + 0.001424 = 0.999698 fits;
        //   deepseek 3: 0.99 + 0.009148 + 0.001424 = 1.000572: refused
        server.otherwise(r -> cutOffAfter(1200, 500));
        BudgetBoard board = new BudgetBoard(Clock.systemUTC(), Duration.ofHours(1));
        board.status("team-a", budget("team-a", "0.99", "1"));
        RoutedRequest request = Fixtures.withMaxOutputTokens(
                Fixtures.cloud("bb1", TaskType.IMPLEMENTATION, HAIKU, List.of(DEEPSEEK)), 1000);
        WorkOutcome outcome = handler(
                        List.of(model(HAIKU, p -> p.stream(true)), model(DEEPSEEK, p -> p.stream(true))), 3)
                .handle(new Work(request, env, null, WriteAhead.NONE, Takeover.fresh(request), board));

        assertThat(server.received()).hasSize(4);
        assertThat(outcome.costEvents())
                .extracting(CostEvent::getModel)
                .containsExactly(HAIKU, HAIKU, DEEPSEEK, DEEPSEEK);
        assertThat(outcome.costEvents())
                .extracting(CostEvent::getReason)
                .containsExactly(CostReason.PRIMARY, CostReason.RETRY, CostReason.FALLBACK, CostReason.RETRY);
        InferenceResult result = outcome.result().orElseThrow();
        assertThat(result.getStatus()).isEqualTo(ResultStatus.FAILED);
        assertThat(result.getErrorCode()).isEqualTo("BUDGET_EXHAUSTED");
        assertThat(result.getErrorMessage())
                .startsWith("budget exhausted for RETRY attempt 5 on deepseek/deepseek-chat: worst case $0.001424000"
                        + " (1200 input tokens, max_tokens 1000); budget 'team-a' has no daily headroom for"
                        + " $0.001424: spent $0.99 + held $0.009148 of $1.00; not called");
        assertThat(result.getReasons())
                .anyMatch(
                        r -> r.startsWith("skipped anthropic/claude-haiku-4.5: budget exhausted for RETRY attempt 3"));
        assertThat(board.held("team-a")).isEqualTo(Money.usd("0.009148"));
    }

    static BudgetStatus budget(String scope, String spend, String limit) {
        Instant t = Instant.now();
        return BudgetStatus.newBuilder()
                .setScope(scope)
                .setLevel(BudgetLevel.CRITICAL_ONLY)
                .setOnExhausted(OnExhausted.REJECT)
                .setDailySpendUsd(Money.usd(spend))
                .setDailyLimitUsd(Money.usd(limit))
                .setMonthlySpendUsd(Money.usd(spend))
                .setUtilization(0)
                .setBurnRateUsdPerHour(Money.ZERO)
                .setPeriodDayStart(t)
                .setPeriodMonthStart(t)
                .setUpdatedAt(t)
                .build();
    }

    @Test
    void aRequestWithoutACeilingRetriesAsBefore() throws Exception {
        server.otherwise(r -> cutOffAfter(1200, 500));
        WorkOutcome outcome = serve(
                handler(List.of(model(HAIKU, p -> p.stream(true)), model(DEEPSEEK, p -> p.stream(true))), 3),
                Fixtures.withMaxOutputTokens(
                        Fixtures.cloud("cc3", TaskType.IMPLEMENTATION, HAIKU, List.of(DEEPSEEK)), 1000));
        assertThat(server.received()).hasSize(6);
        assertThat(outcome.result().orElseThrow().getErrorCode()).isEqualTo("malformed_response");
    }

    @Test
    void whenEveryModelFailsTheResultIsFailedAndEveryAttemptBilled() throws Exception {
        server.otherwise(r -> Reply.json(401, "openai/error-401.json"));
        WorkOutcome outcome = serve(
                handler(List.of(model(HAIKU, p -> {}), model(DEEPSEEK, p -> {})), 3),
                Fixtures.cloud("f1", TaskType.IMPLEMENTATION, HAIKU, List.of(DEEPSEEK, "no/such-model", "qwen3:8b")));
        InferenceResult result = outcome.result().orElseThrow();
        assertThat(result.getStatus()).isEqualTo(ResultStatus.FAILED);
        assertThat(result.getErrorCode()).isEqualTo("unauthorized");
        assertThat(result.getErrorMessage()).doesNotContain("sk-test");
        assertThat(outcome.costEvents()).hasSize(2).allMatch(c -> !c.getSuccess());
        assertThat(result.getReasons())
                .anyMatch(r -> r.contains("skipped no/such-model"))
                .anyMatch(r -> r.contains("skipped qwen3:8b"));
    }

    @Test
    void aModelWithoutAKeyIsUnavailableNotSimulatedWhileOthersHaveKeys() throws Exception {
        CloudRequestHandler handler =
                handler(List.of(model(HAIKU, p -> p.apiKeyEnv("MISSING_KEY")), model(DEEPSEEK, p -> {})), 2);
        server.then(Reply.json(200, "openai/chat-completion.json"));
        WorkOutcome outcome = serve(handler, Fixtures.cloud("k1", TaskType.IMPLEMENTATION, HAIKU, List.of(DEEPSEEK)));
        assertThat(outcome.result().orElseThrow().getModel()).isEqualTo(DEEPSEEK);
        assertThat(outcome.result().get().getSimulated()).isFalse();
        assertThat(outcome.result().get().getReasons())
                .anyMatch(r -> r.contains("skipped " + HAIKU + ": not available"));
    }
}
