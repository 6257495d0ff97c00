package io.tiergate.worker.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.worker.Fixtures;
import io.tiergate.worker.backend.Conversation;
import io.tiergate.worker.backend.ModelCall;
import io.tiergate.worker.backend.ModelResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatedToolCallsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static final String TOOLS = "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{"
            + "\"city\":{\"type\":\"string\"},"
            + "\"unit\":{\"type\":\"string\",\"enum\":[\"celsius\",\"fahrenheit\"]},"
            + "\"days\":{\"type\":\"integer\",\"minimum\":3},"
            + "\"precise\":{\"type\":\"boolean\"},"
            + "\"ratio\":{\"type\":\"number\"},"
            + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
            + "\"where\":{\"type\":\"object\",\"properties\":{\"lat\":{\"type\":\"number\"},"
            + "\"note\":{\"type\":\"string\"}},\"required\":[\"lat\"]},"
            + "\"optional\":{\"type\":\"string\"}},"
            + "\"required\":[\"city\",\"unit\",\"days\",\"precise\",\"ratio\",\"tags\",\"where\"]}}},"
            + "{\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"parameters\":{\"type\":\"object\","
            + "\"properties\":{\"zone\":{\"type\":[\"string\",\"null\"]}},\"required\":[\"zone\"]}}}]";

    private final List<Duration> slept = new ArrayList<>();

    private static ModelCall call(String id, List<Conversation.Turn> turns, String tools, String toolChoice) {
        return new ModelCall(
                id,
                1,
                "anthropic/claude-haiku-4.5",
                null,
                "What is the weather?",
                null,
                TaskType.CONVERSATION,
                40,
                Duration.ofMinutes(5),
                new Conversation(turns, tools, toolChoice, null, null),
                Map.of());
    }

    private static List<Conversation.Turn> ask() {
        return List.of(Conversation.Turn.of("user", "What is the weather in Köln?"));
    }

    @Test
    void offeredToolsAreCalledWithPlaceholdersOfEachRequiredPropertysType() throws Exception {
        String json = SimulatedToolCalls.of(call("t1", ask(), TOOLS, null)).orElseThrow();
        JsonNode calls = JSON.readTree(json);
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).path("type").asText()).isEqualTo("function");
        assertThat(calls.get(0).path("id").asText()).startsWith("call_");
        assertThat(calls.get(0).path("function").path("name").asText()).isEqualTo("get_weather");
        JsonNode args =
                JSON.readTree(calls.get(0).path("function").path("arguments").asText());
        assertThat(args.path("city").asText()).isEqualTo("simulated");
        assertThat(args.path("unit").asText()).isEqualTo("celsius");
        assertThat(args.path("days").isIntegralNumber()).isTrue();
        assertThat(args.path("days").asInt()).isEqualTo(3);
        assertThat(args.path("precise").asBoolean()).isTrue();
        assertThat(args.path("ratio").isNumber()).isTrue();
        assertThat(args.path("tags").isArray()).isTrue();
        assertThat(args.path("where").path("lat").isNumber()).isTrue();
        assertThat(args.path("where").has("note")).isFalse();
        assertThat(args.has("optional")).isFalse();
    }

    @Test
    void aChosenFunctionIsTheOneCalled() throws Exception {
        String choice = "{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}";
        JsonNode calls = JSON.readTree(
                SimulatedToolCalls.of(call("t2", ask(), TOOLS, choice)).orElseThrow());
        assertThat(calls.get(0).path("function").path("name").asText()).isEqualTo("get_time");
        JsonNode args =
                JSON.readTree(calls.get(0).path("function").path("arguments").asText());
        assertThat(args.path("zone").asText()).isEqualTo("simulated");
    }

    @Test
    void noCallWithoutToolsWithToolChoiceNoneOrOnceTheToolAnswered() {
        assertThat(SimulatedToolCalls.of(call("t3", ask(), null, null))).isEmpty();
        assertThat(SimulatedToolCalls.of(call("t3", ask(), TOOLS, "\"none\""))).isEmpty();
        List<Conversation.Turn> answered = List.of(
                Conversation.Turn.of("user", "What is the weather in Köln?"),
                new Conversation.Turn(
                        "assistant",
                        "",
                        null,
                        null,
                        "[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{}\"}}]"),
                new Conversation.Turn("tool", "12°C, rain", null, "call_1", null));
        assertThat(SimulatedToolCalls.of(call("t3", answered, TOOLS, null))).isEmpty();
        assertThat(SimulatedToolCalls.of(call("t3", answered, TOOLS, "\"auto\"")))
                .isEmpty();
        // required: the model must call a tool, whatever came before
        assertThat(SimulatedToolCalls.of(call("t3", answered, TOOLS, "\"required\"")))
                .isPresent();
    }

    @Test
    void theSimulatedBackendAnswersTheCallWithoutTextAndTheSameOnARedelivery() throws Exception {
        SimulatedBackend backend = new SimulatedBackend(
                Fixtures.PRICES, SimulationSettings.defaults().withFailures(0, 0), slept::add);
        ModelResponse first = backend.call(call("t4", ask(), TOOLS, null));
        ModelResponse again = backend.call(call("t4", ask(), TOOLS, null));
        assertThat(first.output()).isEmpty();
        assertThat(first.finishReason()).contains("tool_calls");
        assertThat(first.toolCalls()).isPresent().isEqualTo(again.toolCalls());
        assertThat(first.usage()).isEqualTo(again.usage());
        // a tool call is short: about its JSON's length in tokens, not a CONVERSATION answer's
        assertThat(first.usage().output()).isLessThan(first.toolCalls().get().length());

        ModelResponse text = backend.call(call("t5", ask(), null, null));
        assertThat(text.toolCalls()).isEmpty();
        assertThat(text.output()).startsWith("[simulated]");
        assertThat(text.finishReason()).contains("stop");
    }
}
