package io.tiergate.e2e;

import static io.tiergate.worker.testing.FakeModelServer.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Streaming through the real system with a protocol-faithful Ollama behind the local worker (worker-core's
 * {@link FakeModelServer} replaying Ollama's documented NDJSON stream, one line every 150 ms): the
 * local worker asks Ollama for a stream because the client did, and the official Java SDK receives
 * Ollama's pieces one by one through inference.stream and the gateway, then the usage with the
 * billed cost (docs/gateway.md, "Streaming").
 */
class GatewayStreamingOllamaEndToEndIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** Services on 58691-58695 and the gateway on 58680, broker 59292, registry 59281: apart from every other suite. */
    private static final int PORT_OFFSET = 50600;

    private static final FakeModelServer ollama = new FakeModelServer();
    private static LocalStack stack;

    @BeforeAll
    static void startTheSystem() {
        ollama.on("GET", "/api/version", Reply.json(200, fixture("ollama/version.json")));
        ollama.on(
                "POST",
                "/api/chat",
                Reply.ndjson(fixture("ollama/chat-stream.ndjson")).withLineDelay(Duration.ofMillis(150)));
        StackOptions options = new StackOptions(
                ROOT,
                ROOT.resolve("e2e/target/gateway-streaming-ollama-e2e-data"),
                Optional.empty(),
                Optional.empty(),
                59292,
                59281,
                3,
                true,
                ServiceSpec.ALL,
                PORT_OFFSET);
        stack = LocalStack.start(
                options,
                System.out,
                Map.of(
                        "TIERGATE_LOCAL_BACKEND", "ollama",
                        "TIERGATE_OLLAMA_URL", ollama.baseUrl().toString(),
                        "TIERGATE_SIMULATION_SPEED_UP", "50"));
    }

    @AfterAll
    static void stopTheSystem() {
        if (stack != null) {
            stack.close();
        }
        ollama.close();
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
