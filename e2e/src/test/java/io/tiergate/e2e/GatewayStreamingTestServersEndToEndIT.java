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
import io.tiergate.cli.demo.LedgerClient;
import io.tiergate.cli.stack.LocalStack;
import io.tiergate.cli.stack.ServiceSpec;
import io.tiergate.cli.stack.StackOptions;
import io.tiergate.gateway.kafka.KeyAdmin;
import io.tiergate.testkit.NodeScript;
import io.tiergate.worker.testing.FakeModelServer;
import io.tiergate.worker.testing.FakeModelServer.Reply;
import io.tiergate.worker.testing.FakeProvider;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Streaming through the real system with protocol-faithful model servers behind the workers
 * (worker-core's test servers replaying documented streams): Ollama's NDJSON behind the local worker
 * ({@link FakeModelServer}, one line every 150 ms) and OpenRouter's SSE behind the cloud worker
 * ({@link FakeProvider}, one event every 150 ms). Each worker asks its server for a stream because
 * the client did, and the official Java SDK receives the server's pieces one by one through
 * inference.stream and the gateway, then the usage with the billed cost (docs/gateway.md, "Streaming").
 * On the same stack, tools round trips in each wire format, and the official {@code openai} npm package
 * through each server (completion, stream with usage, tools round trip, errors; the ledger counts
 * what it saw).
 */
class GatewayStreamingTestServersEndToEndIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /**
     * Services on 8691-8695 and the gateway on 8680, broker 31392, registry 31381: apart from every other suite, and
     * below the kernel's ephemeral port range (32768-60999), where a client socket could hold them.
     */
    private static final int PORT_OFFSET = 600;

    private static final FakeModelServer ollama = new FakeModelServer();
    private static final FakeProvider openRouter = new FakeProvider();
    /** The cloud worker's model handles (application.yml), all pointed at {@link #openRouter}. */
    private static final List<String> CLOUD_HANDLES =
            List.of("DEEPSEEK_CHAT", "CLAUDE_HAIKU", "CLAUDE_SONNET", "CLAUDE_OPUS");

    /** A cloud model of the price table: naming it pins the npm client's calls to the cloud worker. */
    private static final String PINNED_MODEL = "anthropic/claude-haiku-4.5";

    /** The official npm client's script (the gateway module's). */
    private static final NodeScript NPM_CLIENT =
            new NodeScript(ROOT.resolve("gateway/src/test/node"), "openai-client.mjs");

    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalStack stack;

    @BeforeAll
    static void startTheSystem() {
        ollama.on("GET", "/api/version", Reply.json(200, fixture("ollama/version.json")));
        // Ollama's documented answers by what the local worker asks: a request that offers tools gets its
        // tool calls until its last turn is a tool result; every other request the text answer (NDJSON when
        // it asks for a stream, which the local worker's Ollama endpoint does by default)
        ollama.on("POST", "/api/chat", r -> {
            JsonNode body = readJson(r.body());
            JsonNode messages = body.path("messages");
            boolean stream = body.path("stream").asBoolean(true);
            if (body.has("tools")
                    && !"tool"
                            .equals(messages.path(messages.size() - 1)
                                    .path("role")
                                    .asText())) {
                return stream
                        ? Reply.ndjson(fixture("ollama/chat-tool-calls-stream.ndjson"))
                        : Reply.json(200, fixture("ollama/chat-tool-calls.json"));
            }
            return stream
                    ? Reply.ndjson(fixture("ollama/chat-stream.ndjson")).withLineDelay(Duration.ofMillis(150))
                    : Reply.json(200, fixture("ollama/chat.json"));
        });
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
                31392,
                31381,
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
        OpenAIClient client =
                client(key("gw-tools-" + UUID.randomUUID().toString().substring(0, 6), false));
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

    /**
     * The official {@code openai} npm package with OpenRouter's wire behind the cloud worker (every call
     * pinned to a cloud model): a completion, a stream with usage relayed piece by piece with the
     * streamed response's headers, a tools round trip with the provider's two calls and a streamed tool
     * call, OpenAI's errors; every cost the client saw is the provider's reported cost, and the ledger
     * counts exactly their sum.
     */
    @Test
    void theOfficialNpmClientGetsOpenRoutersAnswersThroughTheFiveServices() throws Exception {
        String costCenter = "gw-npm-or-" + UUID.randomUUID().toString().substring(0, 6);
        JsonNode out = npmClient(key(costCenter, false), PINNED_MODEL);
        String reported = "0.001234568"; // the fixtures' usage.cost, as the bill

        JsonNode plain = out.get("plain");
        assertThat(plain.get("content").asText()).isEqualTo("Use a bounded queue.");
        assertThat(plain.get("finishReason").asText()).isEqualTo("stop");
        assertThat(plain.at("/usage/completion_tokens").asInt()).isEqualTo(120);
        assertThat(plain.at("/usage/tiergate/cost_usd").asText()).isEqualTo(reported);
        assertThat(plain.get("costHeader").asText()).isEqualTo(reported);
        assertThat(plain.at("/headers/rule").asText()).isEqualTo("PINNED");

        JsonNode stream = out.get("stream");
        assertThat(stream.get("content").asText()).isEqualTo("Use a bounded queue.");
        assertThat(stream.get("contentChunks").asInt())
                .as("the provider's two pieces")
                .isEqualTo(2);
        assertThat(stream.get("finishReason").asText()).isEqualTo("stop");
        assertThat(stream.get("lastChoices").asInt()).isZero();
        assertThat(stream.at("/usage/completion_tokens").asInt()).isEqualTo(120);
        assertThat(stream.at("/usage/tiergate/cost_usd").asText()).isEqualTo(reported);
        assertStreamedHeaders(stream, "CLOUD", PINNED_MODEL, "PINNED");

        // the round trip: the provider's two calls (OpenAI's documented chunks, joined by the cloud worker)
        JsonNode call = out.at("/tools/call");
        assertThat(call.get("finishReason").asText()).isEqualTo("tool_calls");
        assertThat(call.get("content").isNull()).isTrue();
        assertThat(call.get("ids"))
                .extracting(JsonNode::asText)
                .containsExactly("call_Zk3Rm8wQ1pT6vB2n", "call_Yq7Wn2dE5sH0jL4c");
        assertThat(call.get("names")).extracting(JsonNode::asText).containsExactly("get_weather", "get_time");
        assertThat(call.at("/arguments/city").asText()).isEqualTo("Köln");
        assertThat(out.at("/tools/content").asText()).isEqualTo("Use a bounded queue.");
        assertThat(out.at("/tools/toolCalls").isNull()).isTrue();
        assertThat(out.at("/tools/finishReason").asText()).isEqualTo("stop");
        // the client's assistant turn and its two tool results reached the provider in OpenAI's chat shape
        JsonNode sent = lastRoundTrip(
                openRouter.received().stream().map(FakeProvider.Received::body).toList());
        assertThat(sent.findValuesAsText("role")).containsExactly("user", "assistant", "tool", "tool");
        assertThat(sent.path(1).path("tool_calls").findValuesAsText("id"))
                .containsExactly("call_Zk3Rm8wQ1pT6vB2n", "call_Yq7Wn2dE5sH0jL4c");
        assertThat(sent.path(2).path("tool_call_id").asText()).isEqualTo("call_Zk3Rm8wQ1pT6vB2n");
        assertThat(sent.path(2).path("content").asText()).isEqualTo("12°C, rain");
        assertThat(sent.path(3).path("tool_call_id").asText()).isEqualTo("call_Yq7Wn2dE5sH0jL4c");
        assertThat(sent.path(3).path("content").asText()).isEqualTo("result of get_time"); // the npm client's

        JsonNode streamed = out.get("toolStream");
        assertThat(streamed.at("/calls/0/id").asText()).isEqualTo("call_Zk3Rm8wQ1pT6vB2n");
        assertThat(streamed.at("/calls/0/name").asText()).isEqualTo("get_weather");
        assertThat(streamed.at("/calls/0/arguments").asText()).isEqualTo("{\"city\":\"Köln\"}");
        assertThat(streamed.at("/calls/1/name").asText()).isEqualTo("get_time");
        assertThat(streamed.get("finishReason").asText()).isEqualTo("tool_calls");

        assertOpenAiErrors(out);
        assertTheLedgerCountsWhatTheClientSaw(costCenter, out);
    }

    /**
     * The official {@code openai} npm package with Ollama's wire behind the local worker ({@code
     * tiergate/local}: every call sovereign): a completion, a stream with usage relayed piece by piece
     * with the streamed response's headers, a tools round trip (Ollama's call, which has no id: the
     * worker makes one) and a streamed tool call, OpenAI's errors; the ledger counts exactly the costs
     * the client saw.
     */
    @Test
    void theOfficialNpmClientGetsOllamasAnswersThroughTheFiveServices() throws Exception {
        String costCenter = "gw-npm-ol-" + UUID.randomUUID().toString().substring(0, 6);
        JsonNode out = npmClient(key(costCenter, false), "tiergate/local");
        String answer = ollamaStreamedText();

        JsonNode plain = out.get("plain");
        assertThat(plain.get("content").asText()).isEqualTo(answer);
        assertThat(plain.get("finishReason").asText()).isEqualTo("stop");
        assertThat(plain.at("/usage/completion_tokens").asInt()).isEqualTo(282); // the fixture's eval_count
        assertThat(plain.get("costHeader").asText())
                .isEqualTo(plain.at("/usage/tiergate/cost_usd").asText());
        assertThat(plain.at("/headers/tier").asText()).isEqualTo("LOCAL");

        JsonNode stream = out.get("stream");
        assertThat(stream.get("content").asText()).isEqualTo(answer);
        assertThat(stream.get("contentChunks").asInt())
                .as("Ollama's pieces, one by one")
                .isGreaterThan(2);
        assertThat(stream.get("finishReason").asText()).isEqualTo("stop");
        assertThat(stream.get("lastChoices").asInt()).isZero();
        assertThat(stream.at("/usage/completion_tokens").asInt()).isEqualTo(282);
        assertThat(stream.at("/usage/tiergate/cost_usd").isTextual()).isTrue();
        assertStreamedHeaders(
                stream,
                "LOCAL",
                stream.at("/usage/tiergate/model").asText(),
                plain.at("/headers/rule").asText());

        JsonNode call = out.at("/tools/call");
        assertThat(call.get("finishReason").asText()).isEqualTo("tool_calls");
        assertThat(call.get("content").isNull()).isTrue();
        assertThat(call.get("names")).extracting(JsonNode::asText).containsExactly("get_weather");
        assertThat(call.get("id").asText()).isNotBlank();
        assertThat(call.at("/arguments/city").asText()).isEqualTo("Köln");
        assertThat(call.at("/arguments/unit").asText()).isEqualTo("celsius");
        assertThat(out.at("/tools/content").asText()).isEqualTo(answer);
        assertThat(out.at("/tools/toolCalls").isNull()).isTrue();
        assertThat(out.at("/tools/finishReason").asText()).isEqualTo("stop");
        // the client's assistant turn and tool result reached Ollama in its chat shape
        JsonNode sent = lastRoundTrip(ollama.received().stream()
                .filter(r -> r.path().equals("/api/chat"))
                .map(FakeModelServer.Received::body)
                .toList());
        assertThat(sent.findValuesAsText("role")).containsExactly("user", "assistant", "tool");
        assertThat(sent.path(1)
                        .path("tool_calls")
                        .path(0)
                        .path("function")
                        .path("name")
                        .asText())
                .isEqualTo("get_weather");
        assertThat(sent.path(2).path("content").asText()).isEqualTo("12°C, rain");

        JsonNode streamed = out.get("toolStream");
        assertThat(streamed.at("/calls/0/name").asText()).isEqualTo("get_weather");
        assertThat(streamed.at("/calls/0/id").asText()).isNotBlank();
        assertThat(JSON.readTree(streamed.at("/calls/0/arguments").asText())
                        .path("city")
                        .asText())
                .isEqualTo("Köln");
        assertThat(streamed.get("finishReason").asText()).isEqualTo("tool_calls");

        assertOpenAiErrors(out);
        assertTheLedgerCountsWhatTheClientSaw(costCenter, out);
    }

    /** Runs the npm client (no rejected key, no failing stream: those need a scripted pipeline). */
    private static JsonNode npmClient(String key, String model) throws Exception {
        Optional<String> missing = NPM_CLIENT.missing("openai");
        Assumptions.assumeTrue(missing.isEmpty(), () -> "Skipped: " + missing.orElseThrow());
        String gatewayUrl = stack.service("gateway").orElseThrow().spec().baseUrl();
        JsonNode out = JSON.readTree(
                NPM_CLIENT.run(Duration.ofSeconds(180), Map.of("OPENAI_CLIENT_MODEL", model), gatewayUrl + "/v1", key));
        System.out.println("[gateway-servers-e2e] npm client (" + model + ") saw: " + out);
        return out;
    }

    /** A streamed response's headers: an unstreamed answer's known at the first chunk; the cost is in the usage. */
    private static void assertStreamedHeaders(JsonNode stream, String tier, String model, String rule) {
        assertThat(stream.at("/headers/requestId").asText())
                .isEqualTo(stream.at("/usage/tiergate/request_id").asText());
        assertThat(stream.at("/headers/tier").asText()).isEqualTo(tier);
        assertThat(stream.at("/headers/model").asText()).isEqualTo(model);
        assertThat(stream.at("/headers/rule").asText()).isEqualTo(rule).isNotBlank();
        assertThat(stream.at("/usage/tiergate/rule").asText()).isEqualTo(rule);
        assertThat(stream.at("/headers/cost").isNull())
                .as("the cost is in the usage chunk")
                .isTrue();
    }

    private static void assertOpenAiErrors(JsonNode out) {
        assertThat(out.at("/unknownKey/status").asInt()).isEqualTo(401);
        assertThat(out.at("/unknownKey/code").asText()).isEqualTo("invalid_api_key");
        assertThat(out.at("/badTemperature/status").asInt()).isEqualTo(400);
        assertThat(out.at("/badTemperature/param").asText()).isEqualTo("temperature");
        assertThat(out.at("/unknownModel/status").asInt()).isEqualTo(404);
        assertThat(out.at("/unknownModel/code").asText()).isEqualTo("model_not_found");
        assertThat(out.has("rejected")).isFalse();
        assertThat(out.has("streamFailure")).isFalse();
    }

    /**
     * The ledger's total for the key's cost center is the sum of the costs the client saw in its five
     * billed calls' usage (the completion, the stream's usage chunk, both legs of the round trip, the
     * streamed tool call's usage chunk), to the nano-dollar.
     */
    private static void assertTheLedgerCountsWhatTheClientSaw(String costCenter, JsonNode out) {
        BigDecimal seen = BigDecimal.ZERO;
        for (String usage :
                List.of("/plain/usage", "/stream/usage", "/tools/call/usage", "/tools/usage", "/toolStream/usage")) {
            seen = seen.add(new BigDecimal(out.at(usage + "/tiergate/cost_usd").asText()));
        }
        BigDecimal clientSaw = seen;
        LedgerClient ledger = new LedgerClient(
                stack.service("ledger-streams").orElseThrow().spec().baseUrl(), stack.apiToken());
        await("the ledger counts what the npm client saw, exactly")
                .atMost(Duration.ofSeconds(60))
                .until(() -> ledger.totalUsd(costCenter)
                        .map(t -> t.compareTo(clientSaw) == 0)
                        .orElse(false));
        System.out.printf(
                "[gateway-servers-e2e] npm client saw $%s over 5 calls; ledger for %s: $%s%n",
                clientSaw.toPlainString(),
                costCenter,
                ledger.totalUsd(costCenter).orElseThrow());
    }

    /** The text of Ollama's streamed answer fixture. */
    private static String ollamaStreamedText() throws Exception {
        StringBuilder expected = new StringBuilder();
        for (String line : fixture("ollama/chat-stream.ndjson").split("\n")) {
            if (!line.isBlank()) {
                expected.append(
                        JSON.readTree(line).path("message").path("content").asText(""));
            }
        }
        return expected.toString();
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

    /** A new key for {@code costCenter}, once the gateway knows it. */
    private static String key(String costCenter, boolean sovereign) {
        String token;
        try (KeyAdmin keys = new KeyAdmin(stack.bootstrapServers(), stack.registryUrl())) {
            token = keys.create(costCenter, "e2e", null, sovereign).token();
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

    /** The messages of the last request among {@code bodies} that offered tools and sent a tool's result back. */
    private static JsonNode lastRoundTrip(List<String> bodies) {
        return bodies.stream()
                .map(GatewayStreamingTestServersEndToEndIT::readJson)
                .filter(b -> b.has("tools")
                        && b.path("messages").findValuesAsText("role").contains("tool"))
                .reduce((a, b) -> b)
                .orElseThrow()
                .path("messages");
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
