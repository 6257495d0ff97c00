package io.tiergate.worker.backend;

import static io.tiergate.worker.testing.FakeModelServer.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.worker.anthropic.AnthropicMessagesBackend;
import io.tiergate.worker.http.HttpEndpoint;
import io.tiergate.worker.http.ModelHttp;
import io.tiergate.worker.ollama.OllamaChatBackend;
import io.tiergate.worker.openai.OpenAiChatBackend;
import io.tiergate.worker.testing.FakeModelServer;
import io.tiergate.worker.testing.FakeProvider;
import io.tiergate.worker.testing.FakeProvider.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A multi-turn chat with a tool round trip, as each backend puts it on the wire. */
class ConversationWireTest {

    static final FakeProvider provider = new FakeProvider();
    static final ModelHttp http = new ModelHttp(Duration.ofSeconds(2));
    static final ObjectMapper JSON = new ObjectMapper();

    static final String TOOL_CALLS = "[{\"id\":\"call_7\",\"type\":\"function\",\"function\":"
            + "{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Köln\\\"}\"}}]";
    static final String TOOLS = "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            + "\"description\":\"Weather of a city\",\"parameters\":{\"type\":\"object\","
            + "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}]";

    static final Conversation CHAT = new Conversation(
            List.of(
                    Conversation.Turn.of("system", "You are terse."),
                    Conversation.Turn.of("user", "Hi, I am Ana."),
                    Conversation.Turn.of("assistant", "Hello Ana."),
                    Conversation.Turn.of("user", "Weather in Köln?"),
                    new Conversation.Turn("assistant", "", null, null, TOOL_CALLS),
                    new Conversation.Turn("tool", "12°C, rain", "get_weather", "call_7", null)),
            TOOLS,
            "\"required\"",
            "{\"type\":\"json_object\"}",
            0.2);

    @AfterAll
    static void stop() {
        provider.close();
    }

    static ModelCall call(String model) {
        return new ModelCall(
                        "req-c",
                        1,
                        model,
                        "You are terse.",
                        "user: Hi, I am Ana.\n\nassistant: Hello Ana.\n\nuser: Weather in Köln?",
                        200,
                        TaskType.CONVERSATION,
                        40,
                        Duration.ofSeconds(5))
                .withConversation(CHAT);
    }

    JsonNode lastBody() throws Exception {
        return JSON.readTree(
                provider.received().get(provider.received().size() - 1).body());
    }

    @Test
    void openAiChatCompletionsGetEveryTurnAsItWasWithToolsChoiceFormatAndTemperature() throws Exception {
        provider.then(Reply.json(200, "openai/chat-completion.json"));
        new OpenAiChatBackend(
                        http,
                        HttpEndpoint.providerApi(
                                "openai", provider.baseUrl().resolve("/v1"), "gpt-4.1-mini", "sk-x", Map.of(), false))
                .call(call("gpt-4.1-mini"));

        JsonNode sent = lastBody();
        JsonNode messages = sent.get("messages");
        assertThat(messages).hasSize(6);
        assertThat(messages.findValuesAsText("role"))
                .containsExactly("system", "user", "assistant", "user", "assistant", "tool");
        assertThat(messages.get(2).get("content").asText()).isEqualTo("Hello Ana.");
        assertThat(messages.get(4)
                        .get("tool_calls")
                        .get(0)
                        .get("function")
                        .get("arguments")
                        .asText())
                .isEqualTo("{\"city\":\"Köln\"}");
        assertThat(messages.get(5).get("tool_call_id").asText()).isEqualTo("call_7");
        assertThat(sent.get("tools").get(0).get("function").get("name").asText())
                .isEqualTo("get_weather");
        assertThat(sent.get("tool_choice").asText()).isEqualTo("required");
        assertThat(sent.get("response_format").get("type").asText()).isEqualTo("json_object");
        assertThat(sent.get("temperature").asDouble()).isEqualTo(0.2);
        assertThat(sent.get("max_tokens").asInt()).isEqualTo(200);
    }

    @Test
    void anthropicGetsTheSystemApartAlternatingTurnsAndToolUseAndResultBlocks() throws Exception {
        provider.then(Reply.json(200, "anthropic/message.json"));
        new AnthropicMessagesBackend(
                        http,
                        HttpEndpoint.providerApi(
                                "anthropic", provider.baseUrl(), "claude-haiku-4-5", "sk-ant", Map.of(), false),
                        1024)
                .call(call("anthropic/claude-haiku-4.5"));

        JsonNode sent = lastBody();
        assertThat(sent.get("system").asText()).isEqualTo("You are terse.");
        JsonNode messages = sent.get("messages");
        assertThat(messages.findValuesAsText("role")).containsExactly("user", "assistant", "user", "assistant", "user");
        assertThat(messages.get(1).get("content").get(0).get("text").asText()).isEqualTo("Hello Ana.");
        JsonNode use = messages.get(3).get("content").get(0);
        assertThat(use.get("type").asText()).isEqualTo("tool_use");
        assertThat(use.get("id").asText()).isEqualTo("call_7");
        assertThat(use.get("input").get("city").asText()).isEqualTo("Köln");
        JsonNode result = messages.get(4).get("content").get(0);
        assertThat(result.get("type").asText()).isEqualTo("tool_result");
        assertThat(result.get("tool_use_id").asText()).isEqualTo("call_7");
        assertThat(result.get("content").asText()).isEqualTo("12°C, rain");
        JsonNode tool = sent.get("tools").get(0);
        assertThat(tool.get("name").asText()).isEqualTo("get_weather");
        assertThat(tool.get("input_schema").get("required").get(0).asText()).isEqualTo("city");
        assertThat(sent.get("tool_choice").get("type").asText()).isEqualTo("any");
        assertThat(sent.has("response_format")).isFalse();
        assertThat(sent.get("temperature").asDouble()).isEqualTo(0.2);
    }

    @Test
    void ollamaGetsTheTurnsWithObjectArgumentsToolNameFormatAndTemperature() throws Exception {
        try (FakeModelServer ollama = new FakeModelServer()) {
            ollama.on("POST", "/api/chat", FakeModelServer.Reply.ndjson(fixture("ollama/chat-stream.ndjson")));
            new OllamaChatBackend(
                            http,
                            HttpEndpoint.localServer(
                                    "ollama", ollama.baseUrl(), true, Duration.ofSeconds(2), Duration.ofMillis(500)),
                            new OllamaChatBackend.Options(Boolean.FALSE, null, null))
                    .call(call("qwen3:8b"));

            JsonNode sent = JSON.readTree(ollama.received().get(0).body());
            JsonNode messages = sent.get("messages");
            assertThat(messages.findValuesAsText("role"))
                    .containsExactly("system", "user", "assistant", "user", "assistant", "tool");
            assertThat(messages.get(4)
                            .get("tool_calls")
                            .get(0)
                            .get("function")
                            .get("arguments")
                            .get("city")
                            .asText())
                    .isEqualTo("Köln");
            assertThat(messages.get(5).get("tool_name").asText()).isEqualTo("get_weather");
            assertThat(sent.get("tools").get(0).get("function").get("name").asText())
                    .isEqualTo("get_weather");
            assertThat(sent.get("format").asText()).isEqualTo("json");
            assertThat(sent.get("options").get("temperature").asDouble()).isEqualTo(0.2);
            assertThat(sent.has("tool_choice")).isFalse();
        }
    }

    @Test
    void toolsThatAreNotJsonFailTheCallWithoutRetryNamingTheField() {
        ModelCall bad =
                call("gpt-4.1-mini").withConversation(new Conversation(CHAT.turns(), "[{not json", null, null, null));
        OpenAiChatBackend backend = new OpenAiChatBackend(
                http,
                HttpEndpoint.providerApi(
                        "openai", provider.baseUrl().resolve("/v1"), "gpt-4.1-mini", "sk-x", Map.of(), false));
        assertThatThrownBy(() -> backend.call(bad))
                .isInstanceOfSatisfying(
                        ModelCallException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessageContaining("tools");
    }
}
