package io.tiergate.worker.openai;

import static io.tiergate.worker.testing.FakeModelServer.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.worker.backend.ModelCall;
import io.tiergate.worker.backend.ModelCallException;
import io.tiergate.worker.backend.ModelResponse;
import io.tiergate.worker.http.HttpEndpoint;
import io.tiergate.worker.http.ModelHttp;
import io.tiergate.worker.testing.FakeModelServer;
import io.tiergate.worker.testing.FakeModelServer.Reply;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link OpenAiChatBackend} against a local server (llama.cpp server, vLLM): {@code ServerKind.LOCAL_SERVER}. */
class OpenAiCompatibleServerTest {

    private final FakeModelServer server = new FakeModelServer();
    private final ModelHttp http = new ModelHttp(Duration.ofSeconds(1));

    @AfterEach
    void stop() {
        server.close();
    }

    private OpenAiChatBackend backend(boolean stream) {
        URI base = URI.create(server.baseUrl() + "/v1");
        return new OpenAiChatBackend(
                http,
                HttpEndpoint.localServer(
                        "openai-compatible", base, stream, Duration.ofSeconds(2), Duration.ofMillis(500)));
    }

    private static ModelCall call() {
        return new ModelCall(
                "r-1",
                1,
                "qwen3-8b",
                null,
                "Parse these log lines.",
                128,
                TaskType.EXTRACTION,
                61,
                Duration.ofSeconds(5));
    }

    @Test
    void completionReadsUsageAndLlamaCppTimingsAsTheServersBusyTime() throws Exception {
        server.on("POST", "/v1/chat/completions", Reply.json(200, fixture("llamacpp/chat-completion.json")));

        ModelResponse response = backend(false).call(call());

        assertThat(response.output()).isEqualTo("[{\"level\": \"ERROR\", \"service\": \"billing\"}]");
        assertThat(response.usage().uncachedInput()).isEqualTo(61);
        assertThat(response.usage().output()).isEqualTo(17);
        // timings.prompt_ms 118.204 + predicted_ms 431.796 = 550.000 ms
        assertThat(response.busy()).contains(Duration.ofMillis(550));
        assertThat(response.finishReason()).contains("stop");
        JsonNode sent = new ObjectMapper().readTree(server.received().get(0).body());
        assertThat(sent.get("max_tokens").asInt()).isEqualTo(128);
        assertThat(sent.has("stream_options")).isFalse();
    }

    @Test
    void streamIsAssembledFromDeltasAndPricedFromTheUsageChunk() throws Exception {
        server.on("POST", "/v1/chat/completions", Reply.sse(fixture("llamacpp/chat-completion-stream.sse")));

        ModelResponse response = backend(true).call(call());

        assertThat(response.output()).isEqualTo("Summary: the deploy failed twice.");
        assertThat(response.usage().uncachedInput()).isEqualTo(212);
        assertThat(response.usage().output()).isEqualTo(9);
        assertThat(response.busy()).isEmpty();
        assertThat(response.busy().orElse(response.latency())).isEqualTo(response.latency());
        assertThat(response.finishReason()).contains("stop");
        JsonNode sent = new ObjectMapper().readTree(server.received().get(0).body());
        assertThat(sent.get("stream").asBoolean()).isTrue();
        assertThat(sent.get("stream_options").get("include_usage").asBoolean()).isTrue();
    }

    @Test
    void streamWithoutDoneIsTruncated() {
        server.on("POST", "/v1/chat/completions", Reply.sse(fixture("llamacpp/chat-completion-stream-truncated.sse")));

        assertThatThrownBy(() -> backend(true).call(call())).isInstanceOfSatisfying(ModelCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(ModelCallException.Kind.MALFORMED);
            assertThat(e.getMessage()).contains("ended without data: [DONE]");
        });
    }

    @Test
    void unknownModelIsA404WithTheOpenAiErrorMessage() {
        server.on("POST", "/v1/chat/completions", Reply.json(404, fixture("llamacpp/error-model-not-found.json")));

        assertThatThrownBy(() -> backend(false).call(call())).isInstanceOfSatisfying(ModelCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(ModelCallException.Kind.NON_RETRYABLE);
            assertThat(e.errorCode()).isEqualTo("model_not_found");
            assertThat(e.getMessage()).contains("The model `qwen3:14b` does not exist.");
        });
    }

    @Test
    void vllmStyleErrorObjectIsUnderstood() {
        server.on(
                "POST",
                "/v1/chat/completions",
                Reply.json(
                        500,
                        "{\"object\":\"error\",\"message\":\"CUDA out of memory\",\"type\":\"InternalServerError\",\"param\":null,\"code\":500}"));

        assertThatThrownBy(() -> backend(false).call(call())).isInstanceOfSatisfying(ModelCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(ModelCallException.Kind.RETRYABLE);
            assertThat(e.errorCode()).isEqualTo("http_500");
            assertThat(e.getMessage()).contains("CUDA out of memory");
        });
    }

    @Test
    void malformedJsonIsAProtocolFailure() {
        server.on("POST", "/v1/chat/completions", Reply.json(200, "{\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":"));

        assertThatThrownBy(() -> backend(false).call(call()))
                .isInstanceOfSatisfying(
                        ModelCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(ModelCallException.Kind.MALFORMED));
    }
}
