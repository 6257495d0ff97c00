package io.tiergate.localworker.endpoint;

import static io.tiergate.worker.testing.FakeModelServer.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.localworker.capacity.LocalCircuit;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.worker.backend.ModelBackend;
import io.tiergate.worker.backend.ModelCall;
import io.tiergate.worker.backend.ModelCallException;
import io.tiergate.worker.backend.ModelResponse;
import io.tiergate.worker.http.ModelHttp;
import io.tiergate.worker.testing.FakeModelServer;
import io.tiergate.worker.testing.FakeModelServer.Reply;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The local worker's backends as {@link LocalEndpoints#client} builds them from its settings
 * (worker-core's clients for a local server), and how their failures count for the local circuit.
 */
class LocalBackendTest {

    private final FakeModelServer server = new FakeModelServer();
    private final ModelHttp http = new ModelHttp(Duration.ofSeconds(1));
    private final ModelBackend backend =
            LocalEndpoints.client(LocalApi.OLLAMA, EndpointSettings.defaults("o", server.baseUrl()), http);

    @AfterEach
    void stop() {
        server.close();
    }

    private static ModelCall call() {
        return new ModelCall(
                "r-1", 1, "qwen3:8b", null, "hello", null, TaskType.CONVERSATION, 5, Duration.ofSeconds(5));
    }

    @Test
    void answerCarriesTokensBusyTimeAndTtftIntoTheSpi() throws Exception {
        server.on("POST", "/api/chat", Reply.ndjson(fixture("ollama/chat-stream.ndjson")));

        ModelResponse r = backend.call(call());

        assertThat(r.provider()).isEqualTo("ollama");
        assertThat(r.simulated()).isFalse();
        assertThat(r.usage().uncachedInput()).isEqualTo(26);
        assertThat(r.usage().output()).isEqualTo(282);
        assertThat(r.busy()).contains(Duration.ofNanos(4_883_583_458L));
        assertThat(r.ttft()).isPresent();
        assertThat(r.finishReason()).contains("stop");
    }

    @Test
    void failuresKeepTheirKindForRetryingAndForTheCircuit() {
        server.on("POST", "/api/chat", Reply.json(404, fixture("ollama/error-model-not-found.json")));
        assertThatThrownBy(() -> backend.call(call())).isInstanceOfSatisfying(ModelCallException.class, e -> {
            assertThat(e.errorCode()).isEqualTo("model_not_found");
            assertThat(e.retryable()).isFalse();
            assertThat(LocalCircuit.countsAgainstServer(e)).isTrue();
        });

        server.on("POST", "/api/chat", Reply.json(400, "{\"error\":\"invalid options\"}"));
        assertThatThrownBy(() -> backend.call(call())).isInstanceOfSatisfying(ModelCallException.class, e -> {
            assertThat(e.errorCode()).isEqualTo("bad_request");
            assertThat(LocalCircuit.countsAgainstServer(e)).isFalse();
        });

        server.on("POST", "/api/chat", Reply.json(500, fixture("ollama/error-runner-crashed.json")));
        assertThatThrownBy(() -> backend.call(call())).isInstanceOfSatisfying(ModelCallException.class, e -> {
            assertThat(e.errorCode()).isEqualTo("http_500");
            assertThat(e.retryable()).isTrue();
            assertThat(LocalCircuit.countsAgainstServer(e)).isTrue();
        });

        server.on("POST", "/api/chat", Reply.ndjson(fixture("ollama/chat-stream-truncated.ndjson")));
        assertThatThrownBy(() -> backend.call(call()))
                .isInstanceOfSatisfying(
                        ModelCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(ModelCallException.Kind.MALFORMED));
    }

    private ModelBackend openAiCompatible(URI baseUrl) {
        return LocalEndpoints.client(LocalApi.OPENAI_COMPATIBLE, EndpointSettings.defaults("llama-cpp", baseUrl), http);
    }

    @Test
    void anOpenAiCompatibleServerIsCalledUnderV1() throws Exception {
        server.on("POST", "/v1/chat/completions", Reply.sse(fixture("llamacpp/chat-completion-stream.sse")));

        ModelResponse r = openAiCompatible(server.baseUrl()).call(call());

        assertThat(r.provider()).isEqualTo("openai-compatible");
        assertThat(server.received().get(0).path()).isEqualTo("/v1/chat/completions");
    }

    @Test
    void baseUrlEndingInV1IsNotDoubled() throws Exception {
        server.on("POST", "/v1/chat/completions", Reply.sse(fixture("llamacpp/chat-completion-stream.sse")));

        openAiCompatible(URI.create(server.baseUrl() + "/v1")).call(call());

        assertThat(server.received().get(0).path()).isEqualTo("/v1/chat/completions");
    }
}
