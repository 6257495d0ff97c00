package io.tiergate.e2e;

import static io.tiergate.worker.testing.FakeModelServer.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import io.tiergate.cli.stack.LocalStack;
import io.tiergate.cli.stack.ServiceSpec;
import io.tiergate.cli.stack.StackOptions;
import io.tiergate.gateway.kafka.KeyAdmin;
import io.tiergate.worker.testing.FakeModelServer;
import io.tiergate.worker.testing.FakeModelServer.Reply;
import io.tiergate.worker.testing.FakeProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Streaming through the real system with protocol-faithful model servers behind the workers
 * (worker-core's test servers replaying documented streams): Ollama's NDJSON behind the local worker
 * ({@link FakeModelServer}, one line every 150 ms) and OpenRouter's SSE behind the cloud worker
 * ({@link FakeProvider}, one event every 150 ms). Each worker asks its server for a stream because
 * the client did, and the official Java SDK receives the server's pieces one by one through
 * inference.stream and the gateway, then the usage with the billed cost (docs/gateway.md, "Streaming").
 */
class GatewayStreamingTestServersEndToEndIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** Services on 58691-58695 and the gateway on 58680, broker 59292, registry 59281: apart from every other suite. */
    private static final int PORT_OFFSET = 50600;

    private static final FakeModelServer ollama = new FakeModelServer();
    private static final FakeProvider openRouter = new FakeProvider();
    /** The cloud worker's model handles (application.yml), all pointed at {@link #openRouter}. */
    private static final List<String> CLOUD_HANDLES =
            List.of("DEEPSEEK_CHAT", "CLAUDE_HAIKU", "CLAUDE_SONNET", "CLAUDE_OPUS");

    private static LocalStack stack;

    @BeforeAll
    static void startTheSystem() {
        ollama.on("GET", "/api/version", Reply.json(200, fixture("ollama/version.json")));
        ollama.on(
                "POST",
                "/api/chat",
                Reply.ndjson(fixture("ollama/chat-stream.ndjson")).withLineDelay(Duration.ofMillis(150)));
        // the cloud worker asks for a stream: a request that offers tools gets OpenAI's documented streamed
        // tool calls, until its last turn is a tool result; every other request the streamed text answer
        openRouter.otherwise(r -> {
            JsonNode body = readJson(r.body());
            JsonNode messages = body.path("messages");
            if (body.has("tools")
                    && !"tool"
                            .equals(messages.path(messages.size() - 1)
                                    .path("role")
                                    .asText())) {
                return FakeProvider.Reply.sse("openai/chat-completion-tool-calls-stream.sse");
            }
            return FakeProvider.Reply.sse("openrouter/chat-completion-stream.sse")
                    .betweenEvents(Duration.ofMillis(150));
        });
        Map<String, String> env = new HashMap<>(Map.of(
                "TIERGATE_LOCAL_BACKEND", "ollama",
                "TIERGATE_OLLAMA_URL", ollama.baseUrl().toString(),
                "TIERGATE_CLOUD_BACKEND", "real",
                "OPENROUTER_API_KEY", "sk-or-v1-test0123456789abcdef0123456789abcdef"));
        for (String handle : CLOUD_HANDLES) {
            env.put("TIERGATE_CLOUD_WORKER_MODELS_" + handle + "_BASE_URL", openRouter.baseUrl() + "/api/v1");
        }
        StackOptions options = new StackOptions(
                ROOT,
                ROOT.resolve("e2e/target/gateway-streaming-servers-e2e-data"),
                Optional.empty(),
                Optional.empty(),
                59292,
                59281,
                3,
                true,
                ServiceSpec.ALL,
                PORT_OFFSET);
        stack = LocalStack.start(options, System.out, env);
    }

    @AfterAll
    static void stopTheSystem() {
        if (stack != null) {
            stack.close();
        }
        ollama.close();
        openRouter.close();
    }

    @Test
    void openRoutersStreamedPiecesReachTheSdkAndTheUsageCarriesItsReportedCost() throws Exception {
        String costCenter = "gw-openrouter-" + UUID.randomUUID().toString().substring(0, 6);
        String gatewayUrl = stack.service("gateway").orElseThrow().spec().baseUrl();
        String token;
        try (KeyAdmin keys = new KeyAdmin(stack.bootstrapServers(), stack.registryUrl())) {
            token = keys.create(costCenter, "e2e", null, false).token();
        }
        OpenAIClient client = OpenAIOkHttpClient.builder()
                .baseUrl(gatewayUrl + "/v1")
                .apiKey(token)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(120))
                .build();
        await("the gateway knows the key")
                .atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> !client.models().list().data().isEmpty());

        ChatCompletionCreateParams request = ChatCompletionCreateParams.builder()
                .model("tiergate/auto")
                .addUserMessage("Design the module boundaries and the event flow of a billing platform for 40"
                        + " teams, with the trade-offs of each choice.")
                .streamOptions(
                        ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build();
        List<String> pieces = new ArrayList<>();
        ChatCompletionChunk last = null;
        try (StreamResponse<ChatCompletionChunk> stream =
                client.chat().completions().createStreaming(request)) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                chunk.choices()
                        .forEach(c ->
                                c.delta().content().filter(t -> !t.isEmpty()).ifPresent(pieces::add));
                last = chunk;
            }
        }

        assertThat(pieces).containsExactly("Use a ", "bounded queue.");
        assertThat(last).isNotNull();
        assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(120);
        assertThat(tiergate(last).get("tier")).isEqualTo("CLOUD");
        // the provider's reported cost is the bill (docs/architecture.md, "One cost model")
        assertThat(tiergate(last).get("cost_usd")).isEqualTo("0.001234568");
        JsonNode sent = new ObjectMapper()
                .readTree(openRouter
                        .received()
                        .get(openRouter.received().size() - 1)
                        .body());
        assertThat(sent.path("stream").asBoolean()).isTrue();
        assertThat(sent.path("stream_options").path("include_usage").asBoolean())
                .isTrue();
    }

    /**
     * A tools round trip on a pinned cloud model with OpenRouter's wire behind the cloud worker: the
     * provider's two streamed tool calls (OpenAI's documented chunk shape) reach the SDK joined, with
     * their ids, and the SDK's assistant message and tool results reach the provider in the OpenAI
     * chat shape.
     */
    @Test
    void aToolRoundTripCrossesTheCloudWorkerInTheProvidersWireFormat() throws Exception {
        OpenAIClient client = client(key("gw-tools-", false));
        ChatCompletionCreateParams.Builder ask = ChatCompletionCreateParams.builder()
                .model("anthropic/claude-haiku-4.5")
                .addUserMessage("What is the weather in Köln, and the time there? Use the tools.")
                .addTool(tool("get_weather", "city"))
                .addTool(tool("get_time", "timezone"));

        ChatCompletion first = client.chat().completions().create(ask.build());
        ChatCompletion.Choice choice = first.choices().get(0);
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(choice.message().content()).isEmpty();
        List<ChatCompletionMessageFunctionToolCall> calls = choice.message().toolCalls().orElseThrow().stream()
                .map(ChatCompletionMessageToolCall::asFunction)
                .toList();
        // the fixture's calls, ids and arguments as the provider sent them
        assertThat(calls)
                .extracting(ChatCompletionMessageFunctionToolCall::id)
                .containsExactly("call_Zk3Rm8wQ1pT6vB2n", "call_Yq7Wn2dE5sH0jL4c");
        assertThat(calls).extracting(c -> c.function().name()).containsExactly("get_weather", "get_time");
        // joined by the cloud worker from the provider's argument deltas
        assertThat(calls.get(0).function().arguments()).isEqualTo("{\"city\":\"Köln\"}");
        assertThat(calls.get(1).function().arguments()).isEqualTo("{\"timezone\":\"Europe/Berlin\"}");
        assertThat(tiergate(first)).containsEntry("tier", "CLOUD").containsEntry("rule", "PINNED");
        JsonNode askedFor = lastSentWithTools();
        assertThat(askedFor.path("tools").findValuesAsText("name")).containsExactly("get_weather", "get_time");

        ask.addMessage(choice.message());
        ask.addMessage(ChatCompletionToolMessageParam.builder()
                .toolCallId(calls.get(0).id())
                .content("12°C, rain")
                .build());
        ask.addMessage(ChatCompletionToolMessageParam.builder()
                .toolCallId(calls.get(1).id())
                .content("14:05")
                .build());
        ChatCompletion second = client.chat().completions().create(ask.build());
        assertThat(second.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(second.choices().get(0).message().toolCalls()).isEmpty();
        // the provider's streamed text (openrouter/chat-completion-stream.sse) and its reported cost as the bill
        assertThat(second.choices().get(0).message().content()).contains("Use a bounded queue.");
        assertThat(tiergate(second)).containsEntry("cost_usd", "0.001234568");

        JsonNode sent = lastSentWithTools().path("messages");
        assertThat(sent.findValuesAsText("role")).containsExactly("user", "assistant", "tool", "tool");
        assertThat(sent.path(1).path("tool_calls").findValuesAsText("id"))
                .containsExactly("call_Zk3Rm8wQ1pT6vB2n", "call_Yq7Wn2dE5sH0jL4c");
        assertThat(sent.path(2).path("tool_call_id").asText()).isEqualTo("call_Zk3Rm8wQ1pT6vB2n");
        assertThat(sent.path(3).path("tool_call_id").asText()).isEqualTo("call_Yq7Wn2dE5sH0jL4c");
        assertThat(sent.path(3).path("content").asText()).isEqualTo("14:05");
    }

    private static ChatCompletionFunctionTool tool(String name, String requiredString) {
        return ChatCompletionFunctionTool.builder()
                .function(FunctionDefinition.builder()
                        .name(name)
                        .parameters(FunctionParameters.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty(
                                        "properties", JsonValue.from(Map.of(requiredString, Map.of("type", "string"))))
                                .putAdditionalProperty("required", JsonValue.from(List.of(requiredString)))
                                .build())
                        .build())
                .build();
    }

    private static String key(String prefix, boolean sovereign) {
        String token;
        try (KeyAdmin keys = new KeyAdmin(stack.bootstrapServers(), stack.registryUrl())) {
            token = keys.create(prefix + UUID.randomUUID().toString().substring(0, 6), "e2e", null, sovereign)
                    .token();
        }
        OpenAIClient client = client(token);
        await("the gateway knows the key")
                .atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> !client.models().list().data().isEmpty());
        return token;
    }

    private static OpenAIClient client(String token) {
        return OpenAIOkHttpClient.builder()
                .baseUrl(stack.service("gateway").orElseThrow().spec().baseUrl() + "/v1")
                .apiKey(token)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(120))
                .build();
    }

    /** The last request the provider received that offered tools, as JSON. */
    private static JsonNode lastSentWithTools() {
        return openRouter.received().stream()
                .map(r -> readJson(r.body()))
                .filter(b -> b.has("tools"))
                .reduce((a, b) -> b)
                .orElseThrow();
    }

    private static JsonNode readJson(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }

    @SuppressWarnings({"unchecked", "deprecation"}) // the SDK's only way to its unknown usage fields
    private static Map<String, Object> tiergate(ChatCompletion completion) {
        JsonValue ext = completion.usage().orElseThrow()._additionalProperties().get("tiergate");
        return ext.convert(Map.class);
    }

    @SuppressWarnings({"unchecked", "deprecation"}) // the SDK's only way to its unknown usage fields
    private static Map<String, Object> tiergate(ChatCompletionChunk chunk) {
        JsonValue ext = chunk.usage().orElseThrow()._additionalProperties().get("tiergate");
        return ext.convert(Map.class);
    }

    @Test
    void ollamasStreamedPiecesReachTheSdkOneByOne() throws Exception {
        String costCenter = "gw-ollama-" + UUID.randomUUID().toString().substring(0, 6);
        String gatewayUrl = stack.service("gateway").orElseThrow().spec().baseUrl();
        String token;
        try (KeyAdmin keys = new KeyAdmin(stack.bootstrapServers(), stack.registryUrl())) {
            token = keys.create(costCenter, "e2e", null, true).token(); // sovereign: the local worker serves it
        }
        OpenAIClient client = OpenAIOkHttpClient.builder()
                .baseUrl(gatewayUrl + "/v1")
                .apiKey(token)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(120))
                .build();
        await("the gateway knows the key")
                .atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> !client.models().list().data().isEmpty());

        ChatCompletionCreateParams request = ChatCompletionCreateParams.builder()
                .model("tiergate/auto")
                .addUserMessage("Summarise the incident report of last night's checkout outage for the team.")
                .streamOptions(
                        ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build();
        List<String> pieces = new ArrayList<>();
        ChatCompletionChunk last = null;
        try (StreamResponse<ChatCompletionChunk> stream =
                client.chat().completions().createStreaming(request)) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                chunk.choices()
                        .forEach(c ->
                                c.delta().content().filter(t -> !t.isEmpty()).ifPresent(pieces::add));
                last = chunk;
            }
        }

        StringBuilder expected = new StringBuilder();
        for (String line : fixture("ollama/chat-stream.ndjson").split("\n")) {
            if (!line.isBlank()) {
                JsonNode node = new ObjectMapper().readTree(line);
                expected.append(node.path("message").path("content").asText(""));
            }
        }
        assertThat(String.join("", pieces)).isEqualTo(expected.toString());
        assertThat(pieces).as("Ollama's pieces, relayed one by one").hasSizeGreaterThan(2);
        assertThat(last).isNotNull();
        assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(282); // the fixture's eval_count
        JsonNode sent = new ObjectMapper()
                .readTree(ollama.received().stream()
                        .filter(r -> r.path().equals("/api/chat"))
                        .reduce((a, b) -> b)
                        .orElseThrow()
                        .body());
        assertThat(sent.path("stream").asBoolean()).isTrue();
    }
}
