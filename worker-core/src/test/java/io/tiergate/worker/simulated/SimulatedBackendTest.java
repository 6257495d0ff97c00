package io.tiergate.worker.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.results.RequestAttributes;
import io.tiergate.worker.Fixtures;
import io.tiergate.worker.backend.Conversation;
import io.tiergate.worker.backend.ModelCall;
import io.tiergate.worker.backend.ModelCallException;
import io.tiergate.worker.backend.ModelResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatedBackendTest {

    private final List<Duration> slept = new ArrayList<>();

    private SimulatedBackend backend(SimulationSettings settings) {
        return new SimulatedBackend(Fixtures.PRICES, settings, slept::add);
    }

    private static ModelCall call(String id, int attempt, String model, TaskType type) {
        return new ModelCall(id, attempt, model, null, "Write a record class", null, type, 800, Duration.ofMinutes(5));
    }

    @Test
    void answersArePlausibleForTheModelProfileAndLabelledSimulated() throws Exception {
        ModelResponse r = backend(SimulationSettings.defaults())
                .call(call("s1", 1, "anthropic/claude-haiku-4.5", TaskType.IMPLEMENTATION));
        assertThat(r.simulated()).isTrue();
        assertThat(r.provider()).isEqualTo("simulated");
        assertThat(r.usage().uncachedInput()).isEqualTo(800);
        // IMPLEMENTATION expects 1,200 output tokens; jitter ±30 %
        assertThat(r.usage().output()).isBetween(840L, 1560L);
        // haiku profile: 600 ms TTFT + 800/8000 s prompt + output/120 s
        long expected = 600 + 100 + Math.round(1000.0 * r.usage().output() / 120);
        assertThat(r.latency()).isEqualTo(Duration.ofMillis(expected));
        assertThat(r.ttft()).contains(Duration.ofMillis(700));
    }

    @Test
    void theAnswerIsAsLongAsTheRequestsTrueTypeNeedsWhateverItWasClassifiedAs() throws Exception {
        SimulatedBackend b = backend(SimulationSettings.defaults());
        ModelCall typedAsConversation = call("s-true", 1, "deepseek/deepseek-chat", TaskType.CONVERSATION);
        ModelCall labelledArchitecture = new ModelCall(
                "s-true",
                1,
                "deepseek/deepseek-chat",
                null,
                "Write a record class",
                null,
                TaskType.CONVERSATION,
                800,
                Duration.ofMinutes(5),
                Conversation.NONE,
                Map.of(RequestAttributes.SIMULATION_TASK_TYPE, "ARCHITECTURE"));
        long asTyped = b.call(typedAsConversation).usage().output();
        long asTruth = b.call(labelledArchitecture).usage().output();
        double jitter = asTyped / (double) Fixtures.PRICES.expectedOutputTokens(TaskType.CONVERSATION);
        // the same seeded jitter (read back from a rounded count: ±1 token), applied to the true type's length
        long expected = Math.round(Fixtures.PRICES.expectedOutputTokens(TaskType.ARCHITECTURE) * jitter);
        assertThat(asTruth).isBetween(expected - 1, expected + 1);
        assertThat(asTruth).isNotEqualTo(asTyped);
        // an attribute that names no task type is ignored
        ModelCall nonsense = labelledArchitecture.withConversation(Conversation.NONE);
        assertThat(SimulatedBackend.answerType(new ModelCall(
                        "s-x",
                        1,
                        "deepseek/deepseek-chat",
                        null,
                        "x",
                        null,
                        TaskType.DEBUGGING,
                        10,
                        Duration.ofMinutes(5),
                        Conversation.NONE,
                        Map.of(RequestAttributes.SIMULATION_TASK_TYPE, "NOT_A_TYPE"))))
                .isEqualTo(TaskType.DEBUGGING);
        assertThat(SimulatedBackend.answerType(nonsense)).isEqualTo(TaskType.ARCHITECTURE);
    }

    @Test
    void theSameAttemptAnswersTheSameTokensSoARedeliveryCostsTheSame() throws Exception {
        SimulatedBackend b = backend(SimulationSettings.defaults());
        ModelResponse first = b.call(call("s2", 1, "deepseek/deepseek-chat", TaskType.BOILERPLATE));
        ModelResponse again = b.call(call("s2", 1, "deepseek/deepseek-chat", TaskType.BOILERPLATE));
        assertThat(again.usage()).isEqualTo(first.usage());
        List<Long> outputs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            outputs.add(b.call(call("other-" + i, 1, "deepseek/deepseek-chat", TaskType.BOILERPLATE))
                    .usage()
                    .output());
        }
        assertThat(outputs.stream().distinct().count()).isGreaterThan(5); // jitter does vary across requests
    }

    @Test
    void theSpeedUpDividesTheWallTimeButNotTheReportedLatency() throws Exception {
        ModelResponse r = backend(SimulationSettings.defaults().withSpeedUp(50))
                .call(call("s3", 1, "anthropic/claude-opus-4.6", TaskType.ARCHITECTURE));
        assertThat(slept)
                .singleElement()
                .satisfies(d -> assertThat(d.toNanos()).isEqualTo(r.latency().toNanos() / 50));
    }

    @Test
    void rateLimitsAndFailuresComeAtTheConfiguredRates() {
        SimulatedBackend limited = backend(SimulationSettings.defaults().withFailures(0, 1));
        assertThatThrownBy(() -> limited.call(call("s4", 1, "deepseek/deepseek-chat", TaskType.BOILERPLATE)))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ModelCallException.Kind.RETRYABLE);
                    assertThat(e.httpStatus()).hasValue(429);
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
                });
        SimulatedBackend flaky = backend(SimulationSettings.defaults().withFailures(0.2, 0));
        int failures = 0;
        for (int i = 0; i < 1000; i++) {
            try {
                flaky.call(call("f-" + i, 1, "deepseek/deepseek-chat", TaskType.CLASSIFICATION));
            } catch (ModelCallException e) {
                assertThat(e.httpStatus()).hasValue(503);
                failures++;
            }
        }
        assertThat(failures).isBetween(140, 260);
    }

    @Test
    void maxOutputTokensCapsTheAnswerAndUnknownModelsAreNotFound() throws Exception {
        SimulatedBackend b = backend(SimulationSettings.defaults());
        ModelCall capped =
                new ModelCall("s5", 1, "qwen3:8b", null, "x", 50, TaskType.ARCHITECTURE, 10, Duration.ofMinutes(5));
        ModelResponse r = b.call(capped);
        assertThat(r.usage().output()).isEqualTo(50);
        assertThat(r.finishReason()).contains("length");
        assertThatThrownBy(() -> b.call(call("s6", 1, "no/such-model", TaskType.CLASSIFICATION)))
                .isInstanceOfSatisfying(
                        ModelCallException.class, e -> assertThat(e.errorCode()).isEqualTo("model_not_found"));
    }

    @Test
    void aCallSlowerThanItsTimeoutTimesOut() {
        ModelCall tight = new ModelCall(
                "s7",
                1,
                "anthropic/claude-opus-4.6",
                null,
                "x",
                null,
                TaskType.ARCHITECTURE,
                10,
                Duration.ofMillis(100));
        assertThatThrownBy(() -> backend(SimulationSettings.defaults()).call(tight))
                .isInstanceOfSatisfying(
                        ModelCallException.class, e -> assertThat(e.kind()).isEqualTo(ModelCallException.Kind.TIMEOUT));
    }

    @Test
    void extractionAnswersAreJsonSoQualityChecksJudgeTheRoutingNotTheSimulation() throws Exception {
        ModelCall extraction = new ModelCall(
                "s9",
                1,
                "qwen3:8b",
                null,
                "Extract \"invoice\" fields:\n\tno. 42",
                null,
                TaskType.EXTRACTION,
                10,
                Duration.ofMinutes(5));
        String output = backend(SimulationSettings.defaults()).call(extraction).output();
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(output);
        assertThat(json.get("simulated").asBoolean()).isTrue();
        assertThat(json.get("answer").asText()).contains("Extract \"invoice\" fields");
        String conversation = backend(SimulationSettings.defaults())
                .call(call("s10", 1, "qwen3:8b", TaskType.CONVERSATION))
                .output();
        assertThat(conversation).startsWith("[simulated]");
    }
}
