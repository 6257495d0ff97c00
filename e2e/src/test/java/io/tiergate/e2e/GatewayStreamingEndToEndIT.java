package io.tiergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
 * Streaming through the real system (broker process, registry, the five services and the gateway as
 * their own JVMs; simulated backends in real time, speed-up 1): the workers relay each answer on
 * inference.stream as the model profile produces it and the gateway passes it on, so the official
 * Java SDK gets the first words a time-to-first-token after the call, long before the answer is
 * complete; the stream still ends with the usage chunk carrying the billed cost. Prints the
 * measured first-token and total times (docs/gateway.md, "Streaming").
 */
class GatewayStreamingEndToEndIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** Services on 58591-58595 and the gateway on 58580, broker 59192, registry 59181: apart from every other suite. */
    private static final int PORT_OFFSET = 50500;

    private static LocalStack stack;

    @BeforeAll
    static void startTheSystem() {
        StackOptions options = new StackOptions(
                ROOT,
                ROOT.resolve("e2e/target/gateway-streaming-e2e-data"),
                Optional.empty(),
                Optional.empty(),
                59192,
                59181,
                3,
                true,
                ServiceSpec.ALL,
                PORT_OFFSET);
        stack = LocalStack.start(
                options,
                System.out,
                Map.of("TIERGATE_LOCAL_BACKEND", "simulated", "TIERGATE_SIMULATION_SPEED_UP", "1"));
    }

    @AfterAll
    static void stopTheSystem() {
        if (stack != null) {
            stack.close();
        }
    }

    /** One streamed call as the client saw it. */
    private record Seen(
            String tier, String model, long firstContentMs, long totalMs, int contentChunks, String costUsd) {}

    @Test
    void streamedAnswersArriveWordsFirstAndEndWithTheBilledUsage() throws Exception {
        String costCenter = "gw-stream-" + UUID.randomUUID().toString().substring(0, 6);
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

        List<Seen> seen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ChatCompletionCreateParams request = ChatCompletionCreateParams.builder()
                    .model("tiergate/auto")
                    .addUserMessage(
                            i % 2 == 0
                                    ? "Summarise the incident report of last night's checkout outage for the team."
                                    : "Review this diff for regressions:\n- if (a > b) {\n+ if (a >= b) {\n  charge(a);")
                    .streamOptions(ChatCompletionStreamOptions.builder()
                            .includeUsage(true)
                            .build())
                    .build();
            OpenAIClient caller =
                    i == 0 ? client.withOptions(o -> o.putHeader("x-tiergate-sovereign", "true")) : client;
            long start = System.nanoTime();
            long first = -1;
            int contentChunks = 0;
            StringBuilder text = new StringBuilder();
            ChatCompletionChunk last = null;
            try (StreamResponse<ChatCompletionChunk> stream =
                    caller.chat().completions().createStreaming(request)) {
                for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                    for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                        Optional<String> piece = choice.delta().content().filter(t -> !t.isEmpty());
                        if (piece.isPresent()) {
                            if (first < 0) {
                                first = System.nanoTime() - start;
                            }
                            contentChunks++;
                            text.append(piece.get());
                        }
                    }
                    last = chunk;
                }
            }
            long total = System.nanoTime() - start;
            assertThat(last).isNotNull();
            assertThat(last.choices()).isEmpty();
            Map<String, Object> tiergate = tiergate(last);
            assertThat(text.toString()).startsWith("[simulated]");
            seen.add(new Seen(
                    tiergate.get("tier").toString(),
                    tiergate.get("model").toString(),
                    first / 1_000_000,
                    total / 1_000_000,
                    contentChunks,
                    tiergate.get("cost_usd").toString()));
        }
        for (Seen s : seen) {
            System.out.printf(
                    "[gateway-stream-e2e] %s %s: first words after %d ms, answer complete after %d ms, %d content"
                            + " chunks, cost $%s%n",
                    s.tier(), s.model(), s.firstContentMs(), s.totalMs(), s.contentChunks(), s.costUsd());
        }
        assertThat(seen.get(0).tier()).isEqualTo("LOCAL");
        assertThat(seen).allSatisfy(s -> {
            assertThat(s.contentChunks()).as("relayed piece by piece").isGreaterThan(1);
            assertThat(s.firstContentMs()).as("first words well before the end").isLessThan(s.totalMs() / 2);
        });
    }

    @SuppressWarnings({"unchecked", "deprecation"}) // the SDK's only way to its unknown usage fields
    private static Map<String, Object> tiergate(ChatCompletionChunk chunk) {
        JsonValue ext = chunk.usage().orElseThrow()._additionalProperties().get("tiergate");
        return ext.convert(Map.class);
    }
}
