package io.tiergate.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.platform.kafka.InvalidInputException;
import io.tiergate.schemas.cost.Cost;
import io.tiergate.schemas.cost.ModelPrice;
import io.tiergate.schemas.cost.TokenUsage;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.worker.Fixtures;
import io.tiergate.worker.backend.ModelBackend;
import io.tiergate.worker.backend.ModelCall;
import io.tiergate.worker.backend.ModelResponse;
import io.tiergate.worker.work.AttemptPricer;
import io.tiergate.worker.work.RequestHandler;
import io.tiergate.worker.work.Work;
import io.tiergate.worker.work.WorkEnvironment;
import io.tiergate.worker.work.WorkOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OutcomeGuardTest {

    private static final String HAIKU = "anthropic/claude-haiku-4.5";
    private static final Topic<RoutedRequest> CLOUD =
            new Topic<>("guard-test.tier.cloud", RoutedRequest.class, Topic.Cleanup.DELETE);
    private static final Topic<RoutedRequest> LOCAL =
            new Topic<>("guard-test.tier.local", RoutedRequest.class, Topic.Cleanup.DELETE);
    /** The runtime's view: CLOUD carries cloud-tier work. */
    private static final WorkEnvironment ENV = WorkEnvironment.of(Tier.LOCAL, "lw-1", Fixtures.PRICER)
            .withTopics(Topics.INFERENCE_RESULTS, Topics.INFERENCE_COSTS, Map.of(Tier.CLOUD, CLOUD, Tier.LOCAL, LOCAL));

    private final List<Throwable> deadLettered = new ArrayList<>();
    private final OutcomeGuard.DeadLetter deadLetter = deadLettered::add;

    /** Answers every call with 1000 input and 200 output tokens. */
    private static final ModelBackend ANSWERS = new ModelBackend() {
        @Override
        public String provider() {
            return "ollama";
        }

        @Override
        public ModelResponse call(ModelCall call) {
            return ModelResponse.builder("ollama")
                    .output("ok")
                    .usage(TokenUsage.of(1000, 200))
                    .latency(Duration.ofMillis(400))
                    .build();
        }
    };

    private static RoutedRequest open(String id) {
        return Fixtures.local(id, TaskType.EXTRACTION, List.of(HAIKU));
    }

    private static RoutedRequest sovereign(String id) {
        return Fixtures.routed(id, TaskType.EXTRACTION, Tier.LOCAL, "qwen3:8b", List.of(HAIKU), true, false, false);
    }

    private WorkOutcome run(RoutedRequest request, RequestHandler handler) {
        return new OutcomeGuard(handler, ENV).run(new Work(request, ENV), deadLetter);
    }

    private static WorkOutcome callThen(Work work, Function<Work, WorkOutcome> finish) {
        work.call(ANSWERS, work.decision().getModel(), Duration.ofSeconds(5));
        return finish.apply(work);
    }

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void theHandlersOutcomeIsPublishedAsItIs() {
        WorkOutcome[] returned = new WorkOutcome[1];
        WorkOutcome outcome = run(open("g-1"), work -> returned[0] = callThen(work, Work::complete));

        assertThat(outcome).isSameAs(returned[0]);
        assertThat(deadLettered).isEmpty();
    }

    @Test
    void anOpenRequestMayBeHandedToTheCloud() {
        WorkOutcome outcome =
                run(open("g-2"), work -> callThen(work, w -> w.handOff(Tier.CLOUD, HAIKU, List.of(), "not JSON")));

        assertThat(outcome.kind()).isEqualTo(WorkOutcome.Kind.HANDED_OFF);
        assertThat(outcome.handOff().orElseThrow().topic()).isEqualTo(CLOUD);
    }

    @Test
    void aSovereignRequestMayBeHandedToTheLocalTier() {
        WorkOutcome outcome =
                run(sovereign("g-3"), work -> work.handOff(Tier.LOCAL, "qwen3:8b", List.of(), "retry elsewhere"));

        assertThat(outcome.kind()).isEqualTo(WorkOutcome.Kind.HANDED_OFF);
        assertThat(outcome.handOff().orElseThrow().topic()).isEqualTo(LOCAL);
    }

    @Test
    void aSovereignRequestHandedToACloudTopicIsRejectedWhateverBuiltTheHandOff() {
        // a handler whose own environment does not know the topic carries cloud work: the runtime's check still holds
        WorkEnvironment unaware = ENV.withTopics(ENV.resultsTopic(), ENV.costsTopic(), Map.of(Tier.LOCAL, CLOUD));
        WorkOutcome outcome = run(sovereign("g-4"), work -> {
            work.call(ANSWERS, "qwen3:8b", Duration.ofSeconds(5));
            return new Work(work.request(), unaware).handOff(Tier.LOCAL, "qwen3:8b", List.of(), "escalate");
        });

        assertThat(outcome.kind()).isEqualTo(WorkOutcome.Kind.REJECTED);
        assertThat(outcome.handOff()).isEmpty();
        assertThat(outcome.result().orElseThrow().getErrorCode()).isEqualTo("sovereignty_violation");
        assertThat(outcome.costEvents())
                .singleElement()
                .satisfies(c -> assertThat(c.getAttempt()).isEqualTo(1));
    }

    @Test
    void aSovereigntyViolationOfTheHandlerIsRejectedWithItsAttemptsBilled() {
        WorkOutcome outcome =
                run(sovereign("g-5"), work -> callThen(work, w -> w.handOff(Tier.CLOUD, HAIKU, List.of(), "escalate")));

        assertThat(outcome.kind()).isEqualTo(WorkOutcome.Kind.REJECTED);
        assertThat(outcome.result().orElseThrow().getErrorCode()).isEqualTo("sovereignty_violation");
        assertThat(outcome.costEvents()).hasSize(1);
        assertThat(deadLettered).isEmpty();
    }

    @Test
    void invalidInputIsRejectedAndTheRecordDeadLettered() {
        InvalidInputException invalid = new InvalidInputException("prompt is empty");
        WorkOutcome outcome = run(open("g-6"), work -> {
            throw invalid;
        });

        assertThat(outcome.kind()).isEqualTo(WorkOutcome.Kind.REJECTED);
        assertThat(outcome.result().orElseThrow().getErrorCode()).isEqualTo("invalid_input");
        assertThat(outcome.result().orElseThrow().getErrorMessage()).isEqualTo("prompt is empty");
        assertThat(deadLettered).containsExactly(invalid);
    }

    @Test
    void invalidInputIsRejectedEvenWhenTheDeadLettersAreDown() {
        OutcomeGuard.DeadLetter down = cause -> {
            throw new IllegalStateException("dlq down");
        };
        WorkOutcome outcome = new OutcomeGuard(
                        work -> {
                            throw new InvalidInputException("bad");
                        },
                        ENV)
                .run(new Work(open("g-7"), ENV), down);

        assertThat(outcome.kind()).isEqualTo(WorkOutcome.Kind.REJECTED);
    }

    @Test
    void anUnexpectedExceptionFailsTheRequestAndKeepsTheSpendOfItsAttempts() {
        WorkOutcome outcome = run(open("g-8"), work -> {
            work.call(ANSWERS, "qwen3:8b", Duration.ofSeconds(5));
            work.call(ANSWERS, "qwen3:8b", Duration.ofSeconds(5));
            throw new IllegalArgumentException("boom");
        });

        assertThat(outcome.kind()).isEqualTo(WorkOutcome.Kind.FAILED);
        assertThat(outcome.result().orElseThrow().getErrorCode()).isEqualTo("worker_error");
        assertThat(outcome.result().orElseThrow().getErrorMessage()).isEqualTo("IllegalArgumentException: boom");
        assertThat(outcome.costEvents()).extracting(CostEvent::getAttempt).containsExactly(1, 2);
        assertThat(deadLettered).isEmpty();
    }

    @Test
    void anErrorFailsTheRequestToo() {
        WorkOutcome outcome = run(open("g-9"), work -> {
            throw new AssertionError("handler bug");
        });

        assertThat(outcome.result().orElseThrow().getStatus()).isEqualTo(ResultStatus.FAILED);
        assertThat(outcome.result().orElseThrow().getErrorMessage()).isEqualTo("AssertionError: handler bug");
    }

    @Test
    void aHandlerThatReturnsNothingFailsTheRequest() {
        WorkOutcome outcome = run(open("g-10"), work -> null);

        assertThat(outcome.result().orElseThrow().getErrorCode()).isEqualTo("worker_error");
        assertThat(outcome.result().orElseThrow().getErrorMessage())
                .isEqualTo("IllegalStateException: handler returned no outcome");
    }

    @Test
    void anInterruptedHandlerIsGivenUpAndTheThreadStaysInterrupted() {
        WorkOutcome outcome = run(open("g-11"), work -> {
            throw new InterruptedException("revoked");
        });

        assertThat(outcome.result().orElseThrow().getErrorCode()).isEqualTo("worker_interrupted");
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    void aCancelledRequestIsGivenUpWithoutACall() {
        WorkOutcome outcome = run(open("g-12"), work -> {
            work.cancel();
            return callThen(work, Work::complete);
        });

        assertThat(outcome.result().orElseThrow().getErrorCode()).isEqualTo("worker_interrupted");
        assertThat(outcome.costEvents()).isEmpty();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void whenNoOutcomeCanBeBuiltTheRecordIsDeadLetteredAndNothingPublished() {
        AttemptPricer unreadable = new AttemptPricer() {
            @Override
            public Optional<ModelPrice> model(String modelId) {
                throw new IllegalStateException("price table unreadable");
            }

            @Override
            public Cost priceAnswered(String modelId, ModelResponse response) {
                throw new IllegalStateException("price table unreadable");
            }

            @Override
            public Cost priceFailed(String modelId, Optional<TokenUsage> consumed, Duration busy) {
                throw new IllegalStateException("price table unreadable");
            }

            @Override
            public Optional<java.math.BigDecimal> worstCaseUsd(String modelId, long inputTokens, long outputLimit) {
                throw new IllegalStateException("price table unreadable");
            }
        };
        WorkEnvironment broken = WorkEnvironment.of(Tier.LOCAL, "lw-1", unreadable);
        IllegalArgumentException cause = new IllegalArgumentException("boom");
        WorkOutcome outcome = new OutcomeGuard(
                        work -> {
                            throw cause;
                        },
                        broken)
                .run(new Work(open("g-13"), broken), deadLetter);

        assertThat(outcome.kind()).isEqualTo(WorkOutcome.Kind.NONE);
        assertThat(outcome.outputs()).isEmpty();
        assertThat(deadLettered).singleElement().satisfies(e -> {
            assertThat(e).hasMessage("price table unreadable");
            assertThat(e.getSuppressed()).containsExactly(cause);
        });
    }
}
