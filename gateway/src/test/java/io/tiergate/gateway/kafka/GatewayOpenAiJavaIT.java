package io.tiergate.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
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
import com.openai.models.models.Model;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.tiergate.gateway.pending.PendingCalls;
import io.tiergate.gateway.stream.StreamingCalls;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.testkit.TestBrokers;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The gateway on the real broker, driven by the official OpenAI Java SDK (com.openai:openai-java):
 * requests become inference.requests records, results come back from inference.results; keys are
 * real gateway.keys records. The pipeline behind it is {@link ScriptedPipeline}.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayOpenAiJavaIT implements TestPropertyProvider {

    static final String REGISTRY = "mock://gateway-it";
    private static final String API_TOKEN = "gateway-health-details-token-0123456789";

    @Inject
    EmbeddedServer server;

    @Inject
    PendingCalls pending;

    @Inject
    StreamingCalls streams;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String suffix = "-" + run;
    private ScriptedPipeline pipeline;
    private KeyAdmin admin;

    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "kafka.bootstrap.servers",
                TestBrokers.shared().bootstrapServers(),
                "tiergate.schema-registry-url",
                REGISTRY,
                "micronaut.server.port",
                "-1",
                "tiergate.gateway.request-timeout",
                "60s",
                "tiergate.http.api-token", // /health details need it (docs/security.md, "HTTP endpoints")
                API_TOKEN);
    }

    @BeforeAll
    void start() {
        pipeline = new ScriptedPipeline(TestBrokers.shared().bootstrapServers(), REGISTRY, suffix);
        // the rest of a streamed answer and its result follow once this client has read the first words
        pipeline.firstPieceOut = contentRead::contains;
        pipeline.lastPieceOut = id -> streams.relayedLastChunk(id); // and the result once the gateway relayed the last
        admin = new KeyAdmin(TestBrokers.shared().bootstrapServers(), REGISTRY);
    }

    @AfterAll
    void stop() throws InterruptedException {
        pipeline.close();
        admin.close();
    }

    private OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder()
                .baseUrl(server.getURL() + "/v1")
                .apiKey(key)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    /** A key the gateway already knows. */
    private String key(String costCenter) {
        String token = admin.create(costCenter + suffix, "it", null, false).token();
        OpenAIClient client = client(token);
        await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(() -> client.models().list().data().size() > 2);
        return token;
    }

    private static ChatCompletionCreateParams.Builder chat() {
        return ChatCompletionCreateParams.builder()
                .model("tiergate/auto")
                .addSystemMessage("You are terse.")
                .addUserMessage("Hi, I am Ana.")
                .addAssistantMessage("Hello Ana.")
                .addUserMessage("What is my name?");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> tiergateUsage(ChatCompletion completion) {
        JsonValue ext = completion.usage().orElseThrow()._additionalProperties().get("tiergate");
        return ext.convert(Map.class);
    }

    @Test
    void aChatCompletionTravelsAsAnInferenceRequestAndItsResultComesBackWithTiergatesFields() {
        OpenAIClient client = client(key("team"));

        HttpResponseFor<ChatCompletion> raw = client.chat()
                .completions()
                .withRawResponse()
                .create(chat().maxCompletionTokens(64).build());
        ChatCompletion completion = raw.parse();

        assertThat(completion.choices().get(0).message().content()).contains("echo(4 turns): What is my name?");
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(42);
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(7);
        Map<String, Object> tiergate = tiergateUsage(completion);
        assertThat(tiergate.get("cost_usd")).isEqualTo(ScriptedPipeline.COST.toPlainString());
        assertThat(tiergate.get("tier")).isEqualTo("CLOUD");
        assertThat(tiergate.get("rule")).isEqualTo("TASK_TABLE");
        String requestId = raw.headers().values("x-tiergate-request-id").get(0);
        assertThat(tiergate.get("request_id")).isEqualTo(requestId);
        assertThat(raw.headers().values("x-tiergate-cost-usd")).containsExactly("0.000123400");

        InferenceRequest sent = pipeline.received.get(requestId);
        assertThat(sent.getCostCenter()).isEqualTo("team" + suffix);
        assertThat(sent.getMessages())
                .extracting(m -> m.getRole())
                .containsExactly("system", "user", "assistant", "user");
        assertThat(sent.getSystemPrompt()).isEqualTo("You are terse.");
        assertThat(sent.getPrompt())
                .isEqualTo("user: Hi, I am Ana.\n\nassistant: Hello Ana.\n\nuser: What is my name?");
        assertThat(sent.getMaxOutputTokens()).isEqualTo(64);
        assertThat(sent.getRequiresDataSovereignty()).isFalse();
        assertThat(pending.size()).isZero();
    }

    @Test
    void aToolRoundTripGetsToolCallsThenTheAnswerToTheToolsResult() {
        OpenAIClient client = client(key("tools"));
        ChatCompletionFunctionTool weather = ChatCompletionFunctionTool.builder()
                .function(FunctionDefinition.builder()
                        .name("get_weather")
                        .description("Weather of a city")
                        .parameters(FunctionParameters.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty(
                                        "properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                                .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                                .build())
                        .build())
                .build();
        ChatCompletionCreateParams.Builder ask = ChatCompletionCreateParams.builder()
                .model("tiergate/auto")
                .addUserMessage("Weather in Köln?")
                .addTool(weather);

        ChatCompletion first = client.chat().completions().create(ask.build());
        ChatCompletion.Choice choice = first.choices().get(0);
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(choice.message().content()).isEmpty();
        List<ChatCompletionMessageToolCall> calls = choice.message().toolCalls().orElseThrow();
        assertThat(calls).hasSize(1);
        ChatCompletionMessageFunctionToolCall call = calls.get(0).asFunction();
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(call.function().arguments()).isEqualTo("{\"city\":\"Köln\"}");

        // the client answers the call: its assistant turn with the tool calls, then the tool's result
        ChatCompletion second = client.chat()
                .completions()
                .create(ask.addMessage(choice.message())
                        .addMessage(ChatCompletionToolMessageParam.builder()
                                .toolCallId(call.id())
                                .content("12°C, rain")
                                .build())
                        .build());
        assertThat(second.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(second.choices().get(0).message().toolCalls()).isEmpty();
        assertThat(second.choices().get(0).message().content()).contains("echo(3 turns): the tool said 12°C, rain");

        // what the pipeline received: the assistant turn kept its calls, the tool turn the call's id
        InferenceRequest sent = pipeline.received.get(second.id().substring("chatcmpl-".length()));
        assertThat(sent.getMessages()).extracting(m -> m.getRole()).containsExactly("user", "assistant", "tool");
        assertThat(sent.getMessages().get(1).getToolCalls())
                .contains("get_weather")
                .contains(call.id());
        assertThat(sent.getMessages().get(2).getToolCallId()).isEqualTo(call.id());
        assertThat(sent.getTools()).contains("get_weather");
    }

    private static ChatCompletionCreateParams streamed() {
        return chat().streamOptions(
                        ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build();
    }

    /** Request ids of the streamed answers whose first words this client has read. */
    private final Set<String> contentRead = ConcurrentHashMap.newKeySet();

    /** Notes that {@code chunk}'s request has words read, when it carries some. */
    private ChatCompletionChunk read(ChatCompletionChunk chunk) {
        if (chunk.choices().stream()
                .anyMatch(ch -> ch.delta().content().filter(t -> !t.isEmpty()).isPresent())) {
            contentRead.add(chunk.id().substring("chatcmpl-".length()));
        }
        return chunk;
    }

    /** Every chunk, and when each arrived (epoch ms). */
    private List<ChatCompletionChunk> readAll(OpenAIClient client, List<Long> arrivals) {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream =
                client.chat().completions().createStreaming(streamed())) {
            stream.stream().forEach(c -> {
                arrivals.add(System.currentTimeMillis());
                chunks.add(read(c));
            });
        }
        return chunks;
    }

    private static String text(List<ChatCompletionChunk> chunks) {
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
        return text.toString();
    }

    @Test
    void aStreamedCompletionIsRelayedChunkByChunkFromInferenceStreamAndEndsWithTheUsageChunk() {
        OpenAIClient client = client(key("stream"));
        List<Long> arrivals = new ArrayList<>();

        List<ChatCompletionChunk> chunks = readAll(client, arrivals);

        // the pipeline's duplicate and its late chunk of attempt 1 are not relayed
        assertThat(text(chunks)).isEqualTo("echo(4 turns): What is my name?");
        long contentChunks = chunks.stream()
                .filter(c -> c.choices().stream()
                        .anyMatch(ch ->
                                ch.delta().content().filter(t -> !t.isEmpty()).isPresent()))
                .count();
        assertThat(contentChunks).isEqualTo(6); // one per word, as the worker produced them
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().orElseThrow().totalTokens()).isEqualTo(49);
        assertThat(chunks.stream().flatMap(c -> c.choices().stream()).map(ch -> ch.finishReason()))
                .contains(Optional.of(ChatCompletionChunk.Choice.FinishReason.STOP));
        String requestId = chunks.get(0).id().substring("chatcmpl-".length());
        // the first words reached the client before the result was even written
        int firstContent = 0;
        while (chunks.get(firstContent).choices().stream()
                .noneMatch(ch -> ch.delta().content().filter(t -> !t.isEmpty()).isPresent())) {
            firstContent++;
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> pipeline.resultTimestamps.containsKey(requestId));
        assertThat(arrivals.get(firstContent)).isLessThan(pipeline.resultTimestamps.get(requestId));
        await().atMost(Duration.ofSeconds(5)).until(() -> streams.size() == 0 && pending.size() == 0);
    }

    @Test
    void aStreamedCallToAWorkerThatDoesNotStreamGetsTheWholeAnswerWithTheResult() {
        List<ChatCompletionChunk> chunks = readAll(client(key("nochunks-stream")), new ArrayList<>());

        assertThat(text(chunks)).isEqualTo("echo(4 turns): What is my name?");
        assertThat(chunks.get(chunks.size() - 1).usage().orElseThrow().completionTokens())
                .isEqualTo(7);
    }

    @Test
    void aResultThatFailsAfterTheStreamStartedEndsTheStreamWithAnOpenAiErrorEvent() {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        OpenAIClient client = client(key("streamfail"));

        assertThatThrownBy(() -> {
                    try (StreamResponse<ChatCompletionChunk> stream =
                            client.chat().completions().createStreaming(streamed())) {
                        stream.stream().forEach(c -> chunks.add(read(c)));
                    }
                })
                .hasMessageContaining("the provider dropped the stream");
        assertThat(text(chunks)).isEqualTo("echo(4 turns): What is my name?");
    }

    @Test
    void aStreamWhoseAttemptIsSupersededEndsWithAnErrorEventNotAMixOfTwoAnswers() {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        OpenAIClient client = client(key("superseded"));

        assertThatThrownBy(() -> {
                    try (StreamResponse<ChatCompletionChunk> stream =
                            client.chat().completions().createStreaming(streamed())) {
                        stream.stream().forEach(c -> chunks.add(read(c)));
                    }
                })
                .hasMessageContaining("superseded");
        assertThat(text(chunks)).isEqualTo("echo(4 turns): ");
    }

    @Test
    void aClientThatLeavesMidStreamReleasesItsCall() throws Exception {
        String token = key("hold");
        int before = pending.size();
        OpenAIClient client = client(token);
        try (StreamResponse<ChatCompletionChunk> stream =
                client.chat().completions().createStreaming(streamed())) {
            // the first piece arrives; the rest and the result never will
            assertThat(stream.stream().limit(2).map(ChatCompletionChunk::id).toList())
                    .hasSize(2);
            assertThat(streams.size()).isPositive();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> pending.size() == before && streams.size() == 0);
    }

    @Test
    void theSovereignHeaderKeepsTheRequestLocal() {
        OpenAIClient client = client(key("sov")).withOptions(o -> o.putHeader("x-tiergate-sovereign", "true"));
        HttpResponseFor<ChatCompletion> raw =
                client.chat().completions().withRawResponse().create(chat().build());
        assertThat(raw.headers().values("x-tiergate-tier")).containsExactly("LOCAL");
        String id = raw.headers().values("x-tiergate-request-id").get(0);
        assertThat(pipeline.received.get(id).getRequiresDataSovereignty()).isTrue();

        HttpResponseFor<ChatCompletion> byModel = client(key("sov2"))
                .chat()
                .completions()
                .withRawResponse()
                .create(chat().model("tiergate/local").build());
        assertThat(pipeline.received
                        .get(byModel.headers().values("x-tiergate-request-id").get(0))
                        .getRequiresDataSovereignty())
                .isTrue();
    }

    @Test
    void modelsListsTheAliasesAndThePriceTablesModels() {
        List<String> ids = client(key("models")).models().list().data().stream()
                .map(Model::id)
                .toList();
        assertThat(ids).startsWith("tiergate/auto", "tiergate/local").contains("qwen3:8b", "anthropic/claude-opus-4.6");
    }

    @Test
    void errorsAreOpenAiShapedAndTheSdkRaisesItsTypedExceptions() {
        assertThatThrownBy(() -> client("tg-not-a-key").chat().completions().create(chat().build()))
                .isInstanceOf(UnauthorizedException.class)
                .hasMessageContaining("not a tiergate key");

        assertThatThrownBy(() -> client(key("reject")).chat().completions().create(chat().build()))
                .isInstanceOfSatisfying(
                        RateLimitException.class, e -> assertThat(e.code()).contains("budget_exhausted"))
                .hasMessageContaining("EXHAUSTED");

        assertThatThrownBy(() -> client(key("defer")).chat().completions().create(chat().build()))
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.code()).contains("budget_deferred");
                    assertThat(e.headers().values("retry-after")).containsExactly("60");
                });

        String ok = key("bad");
        assertThatThrownBy(() -> client(ok)
                        .chat()
                        .completions()
                        .create(chat().temperature(7.0).build()))
                .isInstanceOfSatisfying(
                        BadRequestException.class, e -> assertThat(e.param()).contains("temperature"));
        assertThatThrownBy(() -> client(ok)
                        .chat()
                        .completions()
                        .create(chat().model("gpt-9").build()))
                .isInstanceOfSatisfying(
                        NotFoundException.class, e -> assertThat(e.code()).contains("model_not_found"));
    }

    @Test
    void healthIsUpWithTheGatewaysReadersRunning() throws Exception {
        java.net.http.HttpResponse<String> health = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(URI.create(server.getURL() + "/health"))
                                .header("Authorization", "Bearer " + API_TOKEN)
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body())
                .contains("\"gateway\"")
                .contains("\"pendingCalls\"")
                .contains("UP");
        java.net.http.HttpResponse<String> anonymous = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(URI.create(server.getURL() + "/health"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.body()).contains("UP").doesNotContain("pendingCalls");
    }

    @Test
    void aRevokedKeyIsRefused() {
        String token = key("revoked");
        OpenAIClient client = client(token);
        assertThat(client.chat().completions().create(chat().build()).choices()).hasSize(1);

        admin.revoke(token.substring(0, 10));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThatThrownBy(() -> client.models().list())
                        .isInstanceOf(UnauthorizedException.class)
                        .hasMessageContaining("revoked"));
    }

    @Test
    void aClientThatDisconnectsReleasesItsPendingCall() throws Exception {
        String token = key("slow");
        URI url = URI.create(server.getURL().toString());
        String body = "{\"model\":\"tiergate/auto\",\"messages\":[{\"role\":\"user\",\"content\":\"wait\"}]}";
        int before = pending.size();
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                            + "\r\nContent-Type: application/json\r\nContent-Length: "
                            + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> pending.size() == before + 1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> pending.size() == before);
    }
}
