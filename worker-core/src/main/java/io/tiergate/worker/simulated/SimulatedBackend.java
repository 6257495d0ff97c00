package io.tiergate.worker.simulated;

import io.tiergate.schemas.cost.ModelPrice;
import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.cost.TokenUsage;
import io.tiergate.schemas.results.RequestAttributes;
import io.tiergate.worker.backend.ChunkSink;
import io.tiergate.worker.backend.ModelBackend;
import io.tiergate.worker.backend.ModelCall;
import io.tiergate.worker.backend.ModelCallException;
import io.tiergate.worker.backend.ModelResponse;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * A stand-in model for the embedded demo and load tests — never for a model with a real endpoint
 * configured. Per model profile of the price table: TTFT + prompt and output speed; input tokens
 * from the classifier's estimate; output tokens around the expected length of the request's true task
 * type ({@link RequestAttributes#SIMULATION_TASK_TYPE}, else the classified one) with seeded
 * jitter (capped by maxOutputTokens), or a tool call when the request offers tools
 * ({@link SimulatedToolCalls}); 503s and 429s at configured rates. Everything it answers is
 * labelled {@code simulated=true}, provider {@code simulated}.
 *
 * <p>Deterministic per (seed, request id, attempt, model): a redelivered attempt answers the same
 * tokens and costs the same.
 */
public final class SimulatedBackend implements ModelBackend {

    public static final String PROVIDER = "simulated";

    private final PriceTable prices;
    private final SimulationSettings settings;
    private final Sleeper sleeper;
    private final SimulatedAnswers answers;

    /** How the backend waits; tests replace it to run without wall time. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    public SimulatedBackend(PriceTable prices, SimulationSettings settings) {
        this(prices, settings, d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000));
    }

    public SimulatedBackend(PriceTable prices, SimulationSettings settings, Sleeper sleeper) {
        this.prices = prices;
        this.settings = settings;
        this.sleeper = sleeper;
        this.answers = new SimulatedAnswers(settings.quality());
    }

    public SimulationSettings settings() {
        return settings;
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public boolean simulated() {
        return true;
    }

    @Override
    public ModelResponse call(ModelCall call) throws ModelCallException {
        return call(call, ChunkSink.NONE);
    }

    /** Streamed: the answer is handed out paced by the model profile ({@link SimulatedStream}). */
    @Override
    public ModelResponse call(ModelCall call, ChunkSink chunks) throws ModelCallException {
        ModelPrice model = prices.model(call.model())
                .orElseThrow(() -> ModelCallException.nonRetryable(
                        "model_not_found", "simulated: unknown model " + call.model(), 404));
        SplittableRandom random = new SplittableRandom(seedFor(call));
        double roll = random.nextDouble();
        if (roll < settings.rateLimitRate()) {
            pause(Duration.ofMillis(20));
            throw ModelCallException.retryable(
                    "rate_limited",
                    "simulated 429 for " + call.model(),
                    429,
                    Duration.ofSeconds(settings.retryAfterSeconds()));
        }
        if (roll < settings.rateLimitRate() + settings.failureRate()) {
            pause(Duration.ofMillis(50));
            throw ModelCallException.retryable("http_503", "simulated 503 for " + call.model(), 503, null);
        }
        long input = call.estimatedInputTokens() > 0
                ? call.estimatedInputTokens()
                : Math.max(1, call.prompt().length() / 4);
        long expected = prices.expectedOutputTokens(answerType(call));
        double jitter = 1 + settings.outputJitter() * (2 * random.nextDouble() - 1);
        long output = Math.max(1, Math.round(expected * jitter));
        java.util.Optional<String> toolCalls = SimulatedToolCalls.of(call);
        if (toolCalls.isPresent()) {
            output = SimulatedToolCalls.outputTokens(toolCalls.get());
        }
        if (call.maxOutputTokens() != null) {
            output = Math.min(output, Math.max(1, call.maxOutputTokens()));
        }
        ModelPrice.SpeedProfile profile = model.profile();
        long ttftMs = profile.ttftMs() + Math.round(1000.0 * input / profile.promptTokensPerSecond());
        long totalMs = profile.estimatedMillis(input, output);
        Duration modelled = Duration.ofMillis(totalMs);
        if (scaled(modelled).compareTo(call.timeout()) > 0) {
            sleepWall(call.timeout());
            throw ModelCallException.timeout("simulated call of " + call.model() + " exceeded " + call.timeout(), null);
        }
        String text = toolCalls.isPresent() ? "" : answer(call); // a tool-calling answer has no text
        if (chunks == ChunkSink.NONE) {
            pause(modelled);
        } else {
            SimulatedStream.play(text, Duration.ofMillis(ttftMs), modelled, chunks, this::pause);
        }
        return ModelResponse.builder(PROVIDER)
                .output(text)
                .toolCalls(toolCalls.orElse(null))
                .usage(TokenUsage.of(input, output))
                .latency(modelled)
                .ttft(Duration.ofMillis(ttftMs))
                .busy(modelled)
                .simulated(true)
                .finishReason(
                        toolCalls.isPresent()
                                ? "tool_calls"
                                : call.maxOutputTokens() != null && output == call.maxOutputTokens()
                                        ? "length"
                                        : "stop")
                .build();
    }

    /**
     * A stand-in answer by {@link SimulatedAnswers}: derived from the prompt (so two right models
     * agree), planted wrong for the share of requests {@link SimulationSettings#quality()} says.
     */
    String answer(ModelCall call) {
        return answers.answer(call.requestId(), call.model(), call.taskType(), call.prompt(), call.attributes());
    }

    /** The type whose answer length the simulated answer has: the request's true type when known. */
    static io.tiergate.schemas.events.TaskType answerType(ModelCall call) {
        String truth = call.attributes().get(RequestAttributes.SIMULATION_TASK_TYPE);
        if (truth != null) {
            for (io.tiergate.schemas.events.TaskType type : io.tiergate.schemas.events.TaskType.values()) {
                if (type.name().equals(truth)) {
                    return type;
                }
            }
        }
        return call.taskType();
    }

    private void pause(Duration modelled) throws ModelCallException {
        sleepWall(scaled(modelled));
    }

    private void sleepWall(Duration wall) throws ModelCallException {
        try {
            sleeper.sleep(wall);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ModelCallException.timeout("simulated call interrupted", e);
        }
    }

    private Duration scaled(Duration modelled) {
        return Duration.ofNanos(Math.round(modelled.toNanos() / settings.speedUp()));
    }

    private long seedFor(ModelCall call) {
        long h = settings.seed();
        h = 31 * h + call.requestId().hashCode();
        h = 31 * h + call.attempt();
        h = 31 * h + call.model().hashCode();
        return h;
    }
}
