package io.tiergate.localworker.serve;

import static io.tiergate.localworker.testing.ScriptedBackend.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tiergate.localworker.capacity.AdmissionQueue;
import io.tiergate.localworker.capacity.LocalCircuit;
import io.tiergate.localworker.cost.LocalAttemptPricer;
import io.tiergate.localworker.cost.LocalCostPricer;
import io.tiergate.localworker.cost.TcoOverride;
import io.tiergate.localworker.endpoint.LocalEndpoint;
import io.tiergate.localworker.endpoint.LocalEndpoints;
import io.tiergate.localworker.escalation.EscalationPolicy;
import io.tiergate.localworker.quality.OutputValidator;
import io.tiergate.localworker.testing.Budgets;
import io.tiergate.localworker.testing.Requests;
import io.tiergate.localworker.testing.ScriptedBackend;
import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.CircuitState;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.CostSource;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.worker.backend.ModelCall;
import io.tiergate.worker.backend.ModelCallException;
import io.tiergate.worker.backend.ModelResponse;
import io.tiergate.worker.runtime.BudgetBoard;
import io.tiergate.worker.simulated.SimulatedBackend;
import io.tiergate.worker.simulated.SimulationSettings;
import io.tiergate.worker.work.Work;
import io.tiergate.worker.work.WorkEnvironment;
import io.tiergate.worker.work.WorkOutcome;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The handler's decisions, without Kafka: a scripted model, real capacity, circuit, policy and pricing. */
class LocalRequestHandlerTest {

    private static final BigDecimal FIXTURE_COST = new BigDecimal("0.000431505"); // see LocalCostPricerTest

    private final PriceTable prices = PriceTable.loadDefault();
    private final BudgetBoard budgets = Budgets.board();
    private final ScriptedBackend model = new ScriptedBackend(call -> answer("{\"invoice\": \"INV-2041\"}"));
    private final LocalEndpoints endpoints = new LocalEndpoints(
            List.of(new LocalEndpoint("ollama", model, "scripted", List.of(), TcoOverride.NONE, Duration.ofSeconds(5))),
            "ollama");
    private final WorkEnvironment env = WorkEnvironment.of(
            Tier.LOCAL,
            "local-test",
            new LocalAttemptPricer(prices, new LocalCostPricer(prices, Map.of()), m -> "ollama"));
    private final AdmissionQueue capacity = new AdmissionQueue(1, 1, () -> {});
    private final LocalCircuit circuit = new LocalCircuit("test", 3, Duration.ofMinutes(5), s -> {});
    private final EscalationPolicy policy = new EscalationPolicy(prices, "anthropic/claude-haiku-4.5", budgets);

    private LocalRequestHandler handler(Duration holdMaxWait) {
        return new LocalRequestHandler(
                endpoints, capacity, circuit, policy, new OutputValidator(), holdMaxWait, new SimpleMeterRegistry());
    }

    private WorkOutcome handle(RoutedRequest request) throws Exception {
        return handler(Duration.ofMillis(200)).handle(new Work(request, env));
    }

    @Test
    void acceptedAnswerCompletesWithOneTcoPricedPrimaryAttempt() throws Exception {
        model.script(call -> answer("Here you go:\n```json\n{\"invoice\": \"INV-2041\"}\n```"));

        WorkOutcome outcome = handle(Requests.local("ok-1", TaskType.EXTRACTION).build());

        assertThat(outcome.kind()).isEqualTo(WorkOutcome.Kind.COMPLETED);
        InferenceResult result = outcome.result().orElseThrow();
        assertThat(result.getOutput()).isEqualTo("{\"invoice\": \"INV-2041\"}");
        assertThat(result.getTier()).isEqualTo(Tier.LOCAL);
        assertThat(result.getAttempts()).isEqualTo(1);
        assertThat(result.getTotalCostUsd()).isEqualTo(FIXTURE_COST);
        assertThat(outcome.costEvents()).singleElement().satisfies(c -> {
            assertThat(c.getAttempt()).isEqualTo(1);
            assertThat(c.getReason()).isEqualTo(CostReason.PRIMARY);
            assertThat(c.getCostUsd()).isEqualTo(FIXTURE_COST);
            assertThat(c.getBreakdown().getSource()).isEqualTo(CostSource.LOCAL_TCO);
            assertThat(c.getInputTokens()).isEqualTo(26);
            assertThat(c.getOutputTokens()).isEqualTo(282);
        });
        assertThat(circuit.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(capacity.queueDepth()).isZero();
        assertThat(capacity.running()).isZero();
    }

    @Test
    void anAnswerThatCallsAToolIsDeliveredWithItsCallsAndNotJudgedAsTheTasksOutput() throws Exception {
        String calls = "[{\"id\":\"call_1\",\"type\":\"function\",\"function\":"
                + "{\"name\":\"lookup_invoice\",\"arguments\":\"{\\\"id\\\":\\\"INV-2041\\\"}\"}}]";
        ModelResponse text = answer("");
        model.script(call -> ModelResponse.builder(text.provider())
                .output("")
                .usage(text.usage())
                .latency(text.latency())
                .busy(text.busy().orElse(null))
                .finishReason("tool_calls")
                .toolCalls(calls)
                .build());
        RoutedRequest request = Requests.local("tool-1", TaskType.EXTRACTION)
                .fallbacks(List.of("deepseek/deepseek-chat"))
                .build();

        WorkOutcome outcome = handle(request);

        // an empty EXTRACTION answer would escalate; one that calls a tool is the model's turn, delivered
        assertThat(outcome.kind()).isEqualTo(WorkOutcome.Kind.COMPLETED);
        InferenceResult result = outcome.result().orElseThrow();
        assertThat(result.getToolCalls()).isEqualTo(calls);
        assertThat(result.getFinishReason()).isEqualTo("tool_calls");
        assertThat(result.getOutput()).isEmpty();
        assertThat(result.getAttempts()).isEqualTo(1);
    }

    @Test
    void extractionThatIsNotJsonEscalatesOnceAsAttemptTwo() throws Exception {
        model.script(call -> answer("The invoice number is INV-2041."));
        RoutedRequest request = Requests.local("q-1", TaskType.EXTRACTION)
                .fallbacks(List.of("deepseek/deepseek-chat"))
                .build();

        WorkOutcome outcome = handle(request);

        assertThat(outcome.kind()).isEqualTo(WorkOutcome.Kind.HANDED_OFF);
        assertThat(outcome.result()).isEmpty();
        WorkOutcome.HandOff handOff = outcome.handOff().orElseThrow();
        assertThat(handOff.topic()).isEqualTo(Topics.TIER_CLOUD);
        RoutedRequest next = handOff.request();
        assertThat(next.getAttempt()).isEqualTo(2);
        assertThat(next.getEscalationReason()).startsWith("QUALITY: EXTRACTION output is not valid JSON");
        assertThat(next.getDecision().getTier()).isEqualTo(Tier.CLOUD);
        assertThat(next.getDecision().getModel()).isEqualTo("deepseek/deepseek-chat");
        assertThat(next.getPriorCostUsd()).isEqualTo(FIXTURE_COST);
        CostEvent local = outcome.costEvents().get(0);
        assertThat(outcome.costEvents()).hasSize(1);
        assertThat(local.getAttempt()).isEqualTo(1);
        assertThat(local.getTier()).isEqualTo(Tier.LOCAL);
        assertThat(local.getCostUsd()).isEqualTo(FIXTURE_COST);
    }

    /** {@code request} with the router's ceiling and the request's maxOutputTokens. */
    private static RoutedRequest limited(RoutedRequest request, String ceilingUsd, int maxOutputTokens) {
        return RoutedRequest.newBuilder(request)
                .setDecision(io.tiergate.schemas.events.RoutingDecision.newBuilder(request.getDecision())
                        .setCostCeilingUsd(new BigDecimal(ceilingUsd).setScale(9))
                        .build())
                .setClassified(io.tiergate.schemas.events.ClassifiedRequest.newBuilder(request.getClassified())
                        .setRequest(io.tiergate.schemas.events.InferenceRequest.newBuilder(
                                        request.getClassified().getRequest())
                                .setMaxOutputTokens(maxOutputTokens)
                                .build())
                        .build())
                .build();
    }

    @Test
    void anEscalationWhoseCloudCallCannotFitTheCostCeilingIsWithheld() throws Exception {
        // local attempt: $0.000431505; deepseek's worst case with 40 input tokens and max_tokens 1,000:
        // 0.0000108 + 0.0011 = $0.0011108 → $0.001542305 in all
        RoutedRequest base = Requests.local("cc-1", TaskType.EXTRACTION)
                .fallbacks(List.of("deepseek/deepseek-chat"))
                .build();
        model.script(call -> answer("The invoice number is INV-2041."));
        WorkOutcome withheld = handle(limited(base, "0.0015", 1000));
        assertThat(withheld.kind()).isEqualTo(WorkOutcome.Kind.COMPLETED);
        assertThat(withheld.result().orElseThrow().getReasons())
                .anyMatch(r -> r.startsWith("not escalated to deepseek/deepseek-chat (QUALITY:")
                        && r.contains("cost ceiling $0.001500000 of the request: spent $0.000431505 + worst case"
                                + " $0.001110800"));
        assertThat(model.calls()).extracting(ModelCall::maxOutputTokens).containsOnly(1000);

        WorkOutcome escalated = handle(limited(base, "0.0016", 1000));
        assertThat(escalated.kind()).isEqualTo(WorkOutcome.Kind.HANDED_OFF);
        assertThat(escalated.handOff().orElseThrow().request().getDecision().getCostCeilingUsd())
                .isEqualByComparingTo("0.0016");
    }

    @Test
    void sovereignExtractionThatIsNotJsonStaysLocalWithTheReason() throws Exception {
        model.script(call -> answer("The invoice number is INV-2041."));

        WorkOutcome outcome = handle(Requests.local("q-2", TaskType.EXTRACTION)
                .requiresSovereignty(true)
                .build());

        assertThat(outcome.kind()).isEqualTo(WorkOutcome.Kind.COMPLETED);
        assertThat(outcome.handOff()).isEmpty();
        InferenceResult result = outcome.result().orElseThrow();
        assertThat(result.getOutput()).isEqualTo("The invoice number is INV-2041.");
        assertThat(result.getReasons())
                .anySatisfy(r -> assertThat(r)
                        .contains("QUALITY")
                        .contains("stays on this machine, never sent to a cloud model"));
    }

    @Test
    void exhaustedBudgetDeliversTheLocalAnswerInsteadOfEscalating() throws Exception {
        Budgets.level(budgets, Topics.GLOBAL_SCOPE, BudgetLevel.EXHAUSTED);
        model.script(call -> answer("maybe positive?"));

        WorkOutcome outcome = handle(Requests.local("b-1", TaskType.CLASSIFICATION)
                .attribute("labels", "positive,negative")
                .build());

        assertThat(outcome.kind()).isEqualTo(WorkOutcome.Kind.COMPLETED);
        assertThat(outcome.result().orElseThrow().getReasons())
                .anySatisfy(r -> assertThat(r).contains("budget global is EXHAUSTED"));
    }

    @Test
    void classificationLabelIsDeliveredAsSpelledInTheLabelSet() throws Exception {
        model.script(call -> answer("\"NEGATIVE\"."));

        WorkOutcome outcome = handle(Requests.local("l-1", TaskType.CLASSIFICATION)
                .attribute("labels", "positive,negative")
                .build());

        assertThat(outcome.result().orElseThrow().getOutput()).isEqualTo("negative");
    }

    @Test
    void fullQueueEscalatesNonSovereignWorkWithoutCallingTheModel() throws Exception {
        AdmissionQueue.Ticket running = capacity.tryAdmit().orElseThrow();
        running.awaitStream();
        AdmissionQueue.Ticket queued = capacity.tryAdmit().orElseThrow();

        WorkOutcome outcome =
                handle(Requests.local("f-1", TaskType.SUMMARIZATION).build());

        assertThat(outcome.kind()).isEqualTo(WorkOutcome.Kind.HANDED_OFF);
        RoutedRequest next = outcome.handOff().orElseThrow().request();
        assertThat(next.getEscalationReason()).startsWith("LOCAL_QUEUE_FULL");
        assertThat(next.getAttempt()).as("no local attempt was made").isEqualTo(1);
        assertThat(outcome.costEvents()).isEmpty();
        assertThat(model.calls()).isEmpty();
        running.close();
        queued.close();
    }

    @Test
    void fullQueueHoldsSovereignWorkBackUntilAPlaceFrees() throws Exception {
        AdmissionQueue.Ticket running = capacity.tryAdmit().orElseThrow();
        running.awaitStream();
        AdmissionQueue.Ticket queued = capacity.tryAdmit().orElseThrow();
        LocalRequestHandler patient = handler(Duration.ofSeconds(10));

        CompletableFuture<WorkOutcome> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                return patient.handle(new Work(
                        Requests.local("s-1", TaskType.EXTRACTION)
                                .sensitive(true)
                                .build(),
                        env));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> capacity.queueDepth() == 2);
        assertThat(outcome).isNotDone();

        queued.close();
        running.close();

        assertThat(outcome.get().kind()).isEqualTo(WorkOutcome.Kind.COMPLETED);
        assertThat(outcome.get().result().orElseThrow().getReasons())
                .anySatisfy(r -> assertThat(r).startsWith("held back: LOCAL_QUEUE_FULL"));
    }

    @Test
    void fullQueueFailsSovereignWorkClearlyWhenNoPlaceFrees() throws Exception {
        AdmissionQueue.Ticket running = capacity.tryAdmit().orElseThrow();
        AdmissionQueue.Ticket queued = capacity.tryAdmit().orElseThrow();

        WorkOutcome outcome = handle(Requests.local("s-2", TaskType.EXTRACTION)
                .decisionSovereign(true)
                .build());

        assertThat(outcome.kind()).isEqualTo(WorkOutcome.Kind.FAILED);
        InferenceResult result = outcome.result().orElseThrow();
        assertThat(result.getErrorCode()).isEqualTo("LOCAL_QUEUE_FULL");
        assertThat(result.getErrorMessage())
                .contains("stays on this machine, never sent to a cloud model")
                .contains("no place freed within");
        assertThat(outcome.handOff()).isEmpty();
        running.close();
        queued.close();
    }

    @Test
    void consecutiveFailuresOpenTheCircuitAndThenWorkEscalatesWithoutCallingTheModel() throws Exception {
        model.script(call -> {
            throw ModelCallException.retryable("http_500", "HTTP 500: llama runner process has terminated", 500, null);
        });
        for (int i = 0; i < 3; i++) {
            WorkOutcome failed =
                    handle(Requests.local("c-" + i, TaskType.CONVERSATION).build());
            assertThat(failed.kind()).isEqualTo(WorkOutcome.Kind.HANDED_OFF);
            assertThat(failed.handOff().orElseThrow().request().getEscalationReason())
                    .startsWith("LOCAL_HTTP_500");
            assertThat(failed.handOff().orElseThrow().request().getAttempt()).isEqualTo(2);
            assertThat(failed.costEvents())
                    .singleElement()
                    .satisfies(c -> assertThat(c.getSuccess()).isFalse());
        }
        assertThat(circuit.state()).isEqualTo(CircuitState.OPEN);

        WorkOutcome overflow =
                handle(Requests.local("c-3", TaskType.CONVERSATION).build());

        assertThat(overflow.handOff().orElseThrow().request().getEscalationReason())
                .startsWith("LOCAL_CIRCUIT_OPEN");
        assertThat(model.calls()).hasSize(3);
    }

    @Test
    void sovereignWorkFailsWithAClearErrorWhenTheLocalModelFails() throws Exception {
        model.script(call -> {
            throw ModelCallException.nonRetryable("model_not_found", "HTTP 404: model 'qwen3:8b' not found", 404);
        });

        WorkOutcome outcome = handle(Requests.local("n-1", TaskType.SUMMARIZATION)
                .requiresSovereignty(true)
                .build());

        assertThat(outcome.kind()).isEqualTo(WorkOutcome.Kind.FAILED);
        InferenceResult result = outcome.result().orElseThrow();
        assertThat(result.getErrorCode()).isEqualTo("LOCAL_MODEL_NOT_FOUND");
        assertThat(result.getErrorMessage())
                .contains("model 'qwen3:8b' not found")
                .contains("stays on this machine, never sent to a cloud model");
        assertThat(result.getStatus()).isEqualTo(ResultStatus.FAILED);
        assertThat(outcome.costEvents())
                .singleElement()
                .satisfies(c -> assertThat(c.getSuccess()).isFalse());
    }

    @Test
    void simulatedBackendAnswersAreLabelledSimulatedInResultAndCostEvent() throws Exception {
        LocalEndpoints simulated = new LocalEndpoints(
                List.of(new LocalEndpoint(
                        "ollama",
                        new SimulatedBackend(
                                prices, SimulationSettings.defaults().withSpeedUp(1_000)),
                        "SIMULATED",
                        List.of(),
                        TcoOverride.NONE,
                        Duration.ofSeconds(5))),
                "ollama");
        LocalRequestHandler handler = new LocalRequestHandler(
                simulated,
                capacity,
                circuit,
                policy,
                new OutputValidator(),
                Duration.ofSeconds(1),
                new SimpleMeterRegistry());

        WorkOutcome outcome = handler.handle(
                new Work(Requests.local("sim-1", TaskType.SUMMARIZATION).build(), env));

        InferenceResult result = outcome.result().orElseThrow();
        assertThat(result.getSimulated()).isTrue();
        assertThat(result.getProvider()).isEqualTo("simulated");
        assertThat(outcome.costEvents()).singleElement().satisfies(c -> {
            assertThat(c.getSimulated()).isTrue();
            assertThat(c.getBreakdown().getSource()).isEqualTo(CostSource.LOCAL_TCO);
            assertThat(c.getCostUsd()).isPositive();
        });
    }

    @Test
    void badRequestsDoNotOpenTheCircuit() throws Exception {
        model.script(call -> {
            throw ModelCallException.nonRetryable("bad_request", "HTTP 400: prompt too long", 400);
        });
        for (int i = 0; i < 5; i++) {
            handle(Requests.local("x-" + i, TaskType.CONVERSATION).build());
        }

        assertThat(circuit.state()).isEqualTo(CircuitState.CLOSED);
    }
}
