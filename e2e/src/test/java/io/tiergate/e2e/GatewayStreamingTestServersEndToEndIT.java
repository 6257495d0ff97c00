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
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
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
        openRouter.otherwise(r ->
                FakeProvider.Reply.sse("openrouter/chat-completion-stream.sse").betweenEvents(Duration.ofMillis(150)));
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
