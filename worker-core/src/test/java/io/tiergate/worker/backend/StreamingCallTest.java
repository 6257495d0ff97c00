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
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ModelBackend#call(ModelCall, ChunkSink)} of the three HTTP backends against the
 * protocol-faithful test servers: a backend asked for chunks streams even when its endpoint is set
 * not to, hands every piece in order (the pieces join to the answer), and hands the pieces it had
 * before a failure mid-stream, then throws as an unstreamed call would.
 */
class StreamingCallTest {

    private final FakeProvider provider = new FakeProvider();
    private final FakeModelServer local = new FakeModelServer();
    private final ModelHttp http = new ModelHttp(Duration.ofSeconds(2));
    private final List<String> pieces = new CopyOnWriteArrayList<>();
    private final ChunkSink sink = pieces::add;

    @AfterEach
    void stop() {
        provider.close();
        local.close();
    }

    private static ModelCall call(String model) {
        return new ModelCall("req-s", 1, model, "be terse", "Why?", 64, TaskType.DEBUGGING, 100, Duration.ofSeconds(5));
    }

    private OpenAiChatBackend openAi(String providerName) {
        return new OpenAiChatBackend(
                http,
                HttpEndpoint.providerApi(
                        providerName, provider.baseUrl().resolve("/api/v1"), null, "sk-test", Map.of(), false));
    }

    private OpenAiChatBackend llamaCpp() {
        return new OpenAiChatBackend(
                http,
                HttpEndpoint.localServer(
                        "openai-compatible",
                        URI.create(local.baseUrl() + "/v1"),
                        false,
                        Duration.ofSeconds(2),
                        Duration.ofMillis(500)));
    }

    private OllamaChatBackend ollama() {
        return new OllamaChatBackend(
                http,
                HttpEndpoint.localServer(
                        "ollama", local.baseUrl(), false, Duration.ofSeconds(2), Duration.ofMillis(500)),
                new OllamaChatBackend.Options(Boolean.FALSE, null, null));
    }

    private AnthropicMessagesBackend anthropic() {
        return new AnthropicMessagesBackend(
                http, HttpEndpoint.providerApi("anthropic", provider.baseUrl(), null, "sk-ant", Map.of(), false), 1024);
    }

    @Test
    void openAiChunksAreHandedInOrderAndTheUnstreamedEndpointIsAskedForAStreamWithUsage() throws Exception {
        provider.then(
                FakeProvider.Reply.sse("openai/chat-completion-stream.sse").betweenEvents(Duration.ofMillis(2)));

        ModelResponse response = openAi("openai").call(call("gpt-4o-mini"), sink);

        assertThat(pieces).hasSizeGreaterThan(1);
        assertThat(String.join("", pieces)).isEqualTo(response.output()).isNotEmpty();
        assertThat(pieces).doesNotContain("");
        JsonNode sent = new ObjectMapper().readTree(provider.received().get(0).body());
        assertThat(sent.path("stream").asBoolean()).isTrue();
        assertThat(sent.path("stream_options").path("include_usage").asBoolean())
                .isTrue();
        assertThat(response.usage().output()).isPositive();
    }

    @Test
    void withoutASinkTheUnstreamedEndpointIsNotAskedForAStream() throws Exception {
        provider.then(FakeProvider.Reply.json(200, "openai/chat-completion.json"));

        openAi("openai").call(call("gpt-4o-mini"));

        JsonNode sent = new ObjectMapper().readTree(provider.received().get(0).body());
        assertThat(sent.path("stream").asBoolean()).isFalse();
        assertThat(sent.has("stream_options")).isFalse();
    }

    @Test
    void anOpenRouterErrorMidStreamFailsTheCallAfterThePiecesBeforeIt() {
        provider.then(FakeProvider.Reply.sse("openrouter/stream-midstream-error.sse"));

        assertThatThrownBy(() -> openAi("openrouter").call(call("anthropic/claude-haiku-4.5"), sink))
                .isInstanceOfSatisfying(
                        ModelCallException.class, e -> assertThat(e.retryable()).isTrue());
        assertThat(pieces).containsExactly("Partial ");
    }

    @Test
    void aLocalServerErrorMidStreamFailsTheCallAfterThePiecesBeforeIt() {
        local.on(
                "POST",
                "/v1/chat/completions",
                FakeModelServer.Reply.sse(fixture("llamacpp/chat-completion-stream-midstream-error.sse")));

        assertThatThrownBy(() -> llamaCpp().call(call("qwen3-8b"), sink))
                .isInstanceOfSatisfying(
                        ModelCallException.class,
                        e -> assertThat(e.getMessage()).contains("out of memory"));
        assertThat(pieces).containsExactly("The deploy");
    }

    @Test
    void aLocalServersThinkingIsNotStreamedAndThePiecesJoinToTheAnswer() throws Exception {
        local.on(
                "POST",
                "/v1/chat/completions",
                FakeModelServer.Reply.sse(fixture("llamacpp/chat-completion-stream-thinking.sse")));

        ModelResponse response = llamaCpp().call(call("qwen3-8b"), sink);

        assertThat(response.output()).isEqualTo("The deploy failed <twice>.");
        assertThat(String.join("", pieces)).isEqualTo(response.output());
        assertThat(String.join("", pieces)).doesNotContain("think", "user wants");
    }

    @Test
    void anthropicTextDeltasAreHandedInOrder() throws Exception {
        provider.then(FakeProvider.Reply.sse("anthropic/message-stream.sse"));

        ModelResponse response = anthropic().call(call("anthropic/claude-haiku-4.5"), sink);

        assertThat(pieces).containsExactly("Retry with ", "jittered backoff.");
        assertThat(response.output()).isEqualTo("Retry with jittered backoff.");
        assertThat(new ObjectMapper()
                        .readTree(provider.received().get(0).body())
                        .path("stream")
                        .asBoolean())
                .isTrue();
        assertThat(response.finishReason()).contains("end_turn");
    }

    @Test
    void anAnthropicErrorEventMidStreamFailsTheCall() {
        provider.then(FakeProvider.Reply.sse("anthropic/stream-overloaded-error.sse"));

        assertThatThrownBy(() -> anthropic().call(call("anthropic/claude-haiku-4.5"), sink))
                .isInstanceOfSatisfying(
                        ModelCallException.class, e -> assertThat(e.errorCode()).isEqualTo("overloaded"));
        assertThat(pieces).isEmpty();
    }

    @Test
    void ollamaNdjsonPiecesAreHandedInOrderAndTheUnstreamedEndpointIsAskedForAStream() throws Exception {
        local.on("POST", "/api/chat", FakeModelServer.Reply.ndjson(fixture("ollama/chat-stream.ndjson")));

        ModelResponse response = ollama().call(call("qwen3:8b"), sink);

        assertThat(pieces).hasSizeGreaterThan(2);
        assertThat(String.join("", pieces)).isEqualTo(response.output());
        assertThat(new ObjectMapper()
                        .readTree(local.received().get(0).body())
                        .path("stream")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void anOllamaErrorLineMidStreamFailsTheCallAfterThePiecesBeforeIt() {
        local.on(
                "POST",
                "/api/chat",
                FakeModelServer.Reply.ndjson(fixture("ollama/chat-stream-midstream-error.ndjson")));

        assertThatThrownBy(() -> ollama().call(call("qwen3:8b"), sink)).isInstanceOf(ModelCallException.class);
        assertThat(pieces).containsExactly("{\"", "invoice");
    }
}
