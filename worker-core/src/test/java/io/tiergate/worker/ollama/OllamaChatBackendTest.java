package io.tiergate.worker.ollama;

import static io.tiergate.worker.testing.FakeModelServer.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.worker.backend.ModelCall;
import io.tiergate.worker.backend.ModelCallException;
import io.tiergate.worker.backend.ModelResponse;
import io.tiergate.worker.backend.ToolCalls;
import io.tiergate.worker.http.HttpEndpoint;
import io.tiergate.worker.http.ModelHttp;
import io.tiergate.worker.testing.FakeModelServer;
import io.tiergate.worker.testing.FakeModelServer.Ending;
import io.tiergate.worker.testing.FakeModelServer.Reply;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OllamaChatBackendTest {

    private final FakeModelServer server = new FakeModelServer();
    private final ModelHttp http = new ModelHttp(Duration.ofSeconds(1));

    @AfterEach
    void stop() {
        server.close();
    }

    private OllamaChatBackend backend(boolean stream) {
        return new OllamaChatBackend(
                http,
                HttpEndpoint.localServer(
                        "ollama", server.baseUrl(), stream, Duration.ofSeconds(2), Duration.ofMillis(500)),
                new OllamaChatBackend.Options(Boolean.FALSE, "10m", 8192));
    }

    private static ModelCall call() {
        return new ModelCall(
                "r-1",
                1,
                "qwen3:8b",
                "Answer in JSON.",
                "Extract the invoice number and total.",
                256,
                TaskType.EXTRACTION,
                26,
                Duration.ofSeconds(5));
    }

    @Test
    void streamedAnswerIsAssembledAndTheFinalChunkCarriesTokensAndDurations() throws Exception {
        server.on(
                "POST",
                "/api/chat",
                Reply.ndjson(fixture("ollama/chat-stream.ndjson")).withLineDelay(Duration.ofMillis(5)));

        ModelResponse response = backend(true).call(call());

        assertThat(response.output()).isEqualTo("{\"invoice\": \"INV-2041\", \"total\": 118.40}");
        assertThat(response.usage().uncachedInput()).isEqualTo(26);
        assertThat(response.usage().output()).isEqualTo(282);
        assertThat(response.busy()).contains(Duration.ofNanos(4_883_583_458L));
        assertThat(response.busy().orElse(response.latency())).isEqualTo(Duration.ofNanos(4_883_583_458L));
        assertThat(response.finishReason()).contains("stop");
        assertThat(response.ttft()).isPresent();
        assertThat(response.ttft().get()).isLessThanOrEqualTo(response.latency());
    }

    @Test
    void toolCallsWithObjectArgumentsComeBackInOpenAisShapeWithAnId() throws Exception {
        for (boolean stream : new boolean[] {false, true}) {
            server.on(
                    "POST",
                    "/api/chat",
                    stream
                            ? Reply.ndjson(fixture("ollama/chat-tool-calls-stream.ndjson"))
                            : Reply.json(200, fixture("ollama/chat-tool-calls.json")));
            ModelResponse response = backend(stream).call(call());
            assertThat(response.output()).isEmpty();
            JsonNode calls = new ObjectMapper().readTree(response.toolCalls().orElseThrow());
            assertThat(calls).hasSize(1);
            JsonNode first = calls.get(0);
            // Ollama gives no id: one is made from the request, so the client can answer the call
            assertThat(first.path("id").asText()).isEqualTo(ToolCalls.madeId("r-1", 0));
            assertThat(first.path("type").asText()).isEqualTo("function");
            assertThat(first.path("function").path("name").asText()).isEqualTo("get_weather");
            assertThat(first.path("function").path("arguments").isTextual()).isTrue();
            assertThat(new ObjectMapper()
                            .readTree(first.path("function").path("arguments").asText()))
                    .isEqualTo(new ObjectMapper().readTree("{\"city\":\"Köln\",\"unit\":\"celsius\"}"));
            assertThat(response.usage().output()).isEqualTo(33);
        }
    }

    @Test
    void requestCarriesThinkFalseKeepAliveNumCtxAndTheMessages() throws Exception {
        server.on("POST", "/api/chat", Reply.ndjson(fixture("ollama/chat-stream.ndjson")));

        backend(true).call(call());

        JsonNode sent = new ObjectMapper().readTree(server.received().get(0).body());
        assertThat(sent.get("model").asText()).isEqualTo("qwen3:8b");
        assertThat(sent.get("stream").asBoolean()).isTrue();
        assertThat(sent.get("think").isBoolean()).isTrue();
        assertThat(sent.get("think").asBoolean()).isFalse();
        assertThat(sent.get("keep_alive").asText()).isEqualTo("10m");
        assertThat(sent.get("options").get("num_ctx").asInt()).isEqualTo(8192);
        assertThat(sent.get("options").get("num_predict").asInt()).isEqualTo(256);
        assertThat(sent.get("messages").get(0).get("role").asText()).isEqualTo("system");
        assertThat(sent.get("messages").get(1).get("role").asText()).isEqualTo("user");
        assertThat(sent.get("messages").get(1).get("content").asText())
                .isEqualTo("Extract the invoice number and total.");
    }

    @Test
    void aCallWithoutALimitStillSendsNumPredictAndAWorkCallSendsTheModelsCap() throws Exception {
        server.on("POST", "/api/chat", Reply.ndjson(fixture("ollama/chat-stream.ndjson")));
        backend(true)
                .call(new ModelCall(
                        "r-1", 1, "qwen3:8b", null, "Extract.", null, TaskType.EXTRACTION, 26, Duration.ofSeconds(5)));
        io.tiergate.worker.work.Work work = new io.tiergate.worker.work.Work(
                io.tiergate.worker.Fixtures.local("r-2", TaskType.EXTRACTION, java.util.List.of()),
                io.tiergate.worker.work.WorkEnvironment.of(
                        io.tiergate.schemas.events.Tier.LOCAL, "lw", io.tiergate.worker.Fixtures.PRICER));
        work.call(backend(true), "qwen3:8b", Duration.ofSeconds(5));

        assertThat(server.received())
                .extracting(r -> new ObjectMapper()
                        .readTree(r.body())
                        .get("options")
                        .get("num_predict")
                        .asInt())
                .containsExactly(ModelCall.FALLBACK_MAX_OUTPUT_TOKENS, 32768); // qwen3:8b's cap in the table
    }

    @Test
    void nonStreamedAnswerIsOneObjectWithTheStatistics() throws Exception {
        server.on("POST", "/api/chat", Reply.json(200, fixture("ollama/chat.json")));

        ModelResponse response = backend(false).call(call());

        assertThat(response.output()).isEqualTo("positive");
        assertThat(response.usage().uncachedInput()).isEqualTo(48);
        assertThat(response.usage().output()).isEqualTo(3);
        assertThat(response.busy()).contains(Duration.ofMillis(1250));
        assertThat(new ObjectMapper()
                        .readTree(server.received().get(0).body())
                        .get("stream")
                        .asBoolean())
                .isFalse();
    }

    @Test
    void inlineThinkingBlockIsRemovedFromTheAnswer() throws Exception {
        server.on("POST", "/api/chat", Reply.json(200, fixture("ollama/chat-thinking-inline.json")));

        assertThat(backend(false).call(call()).output()).isEqualTo("negative");
    }

    @Test
    void missingModelIsA404WithTheServersMessage() {
        server.on("POST", "/api/chat", Reply.json(404, fixture("ollama/error-model-not-found.json")));

        assertThatThrownBy(() -> backend(true).call(call())).isInstanceOfSatisfying(ModelCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(ModelCallException.Kind.NON_RETRYABLE);
            assertThat(e.httpStatus()).hasValue(404);
            assertThat(e.getMessage()).contains("model 'qwen3:8b' not found");
            assertThat(e.errorCode()).isEqualTo("model_not_found");
        });
    }

    @Test
    void serverErrorIsA500WithTheServersMessage() {
        server.on("POST", "/api/chat", Reply.json(500, fixture("ollama/error-runner-crashed.json")));

        assertThatThrownBy(() -> backend(false).call(call())).isInstanceOfSatisfying(ModelCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(ModelCallException.Kind.RETRYABLE);
            assertThat(e.errorCode()).isEqualTo("http_500");
            assertThat(e.getMessage()).contains("llama runner process has terminated");
        });
    }

    @Test
    void errorLineInTheMiddleOfAStreamFailsTheCallThoughTheStatusWas200() {
        server.on("POST", "/api/chat", Reply.ndjson(fixture("ollama/chat-stream-midstream-error.ndjson")));

        assertThatThrownBy(() -> backend(true).call(call())).isInstanceOfSatisfying(ModelCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(ModelCallException.Kind.RETRYABLE);
            assertThat(e.errorCode()).isEqualTo("server_error");
            assertThat(e.getMessage()).contains("an error was encountered while running the model");
        });
    }

    @Test
    void streamThatEndsBeforeDoneIsTruncated() {
        server.on("POST", "/api/chat", Reply.ndjson(fixture("ollama/chat-stream-truncated.ndjson")));

        assertThatThrownBy(() -> backend(true).call(call())).isInstanceOfSatisfying(ModelCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(ModelCallException.Kind.MALFORMED);
            assertThat(e.getMessage()).contains("ended before the final \"done\": true chunk");
        });
    }

    @Test
    void connectionDroppedMidStreamIsAProtocolFailure() {
        server.on(
                "POST",
                "/api/chat",
                Reply.ndjson(fixture("ollama/chat-stream-truncated.ndjson")).endingWith(Ending.CUT_CONNECTION));

        assertThatThrownBy(() -> backend(true).call(call()))
                .isInstanceOfSatisfying(
                        ModelCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(ModelCallException.Kind.MALFORMED));
    }

    @Test
    void malformedJsonBodyIsAProtocolFailure() {
        server.on("POST", "/api/chat", Reply.json(200, fixture("ollama/chat-malformed.json")));

        assertThatThrownBy(() -> backend(false).call(call())).isInstanceOfSatisfying(ModelCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(ModelCallException.Kind.MALFORMED);
            assertThat(e.getMessage()).contains("malformed JSON");
        });
    }

    @Test
    void serverThatGoesSilentMidStreamTimesOutOnTheIdleLimit() {
        server.on(
                "POST",
                "/api/chat",
                Reply.ndjson(fixture("ollama/chat-stream-truncated.ndjson")).endingWith(Ending.HANG));

        long start = System.nanoTime();
        assertThatThrownBy(() -> backend(true).call(call())).isInstanceOfSatisfying(ModelCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(ModelCallException.Kind.TIMEOUT);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void serverThatNeverAnswersTimesOutOnTheFirstByteLimit() {
        server.on("POST", "/api/chat", r -> {
            try {
                Thread.sleep(1_500); // the fake server is slow to answer; the client gives up after 300 ms
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Reply.json(200, fixture("ollama/chat.json"));
        });
        OllamaChatBackend impatient = new OllamaChatBackend(
                http,
                HttpEndpoint.localServer(
                        "ollama", server.baseUrl(), false, Duration.ofMillis(300), Duration.ofMillis(300)),
                new OllamaChatBackend.Options(null, null, null));

        assertThatThrownBy(() -> impatient.call(call())).isInstanceOfSatisfying(ModelCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(ModelCallException.Kind.TIMEOUT);
            assertThat(e.getMessage()).contains("no response head");
        });
    }

    @Test
    void thinkKeepAliveAndNumCtxAreLeftOutWhenNotConfiguredButNumPredictIsAlwaysSent() throws Exception {
        server.on("POST", "/api/chat", Reply.json(200, fixture("ollama/chat.json")));
        new OllamaChatBackend(
                        http,
                        HttpEndpoint.localServer(
                                "ollama", server.baseUrl(), false, Duration.ofSeconds(120), Duration.ofSeconds(30)),
                        new OllamaChatBackend.Options(null, null, null))
                .call(new ModelCall(
                        "r-1", 1, "llama3.2", null, "hi", null, TaskType.CONVERSATION, 1, Duration.ofSeconds(300)));

        JsonNode sent = new ObjectMapper().readTree(server.received().get(0).body());
        assertThat(sent.has("think")).isFalse();
        assertThat(sent.has("keep_alive")).isFalse();
        assertThat(sent.get("options").has("num_ctx")).isFalse();
        assertThat(sent.get("options").get("num_predict").asInt()).isEqualTo(ModelCall.FALLBACK_MAX_OUTPUT_TOKENS);
        assertThat(sent.get("messages")).hasSize(1);
    }

    @Test
    void nothingListeningIsUnreachable() {
        OllamaChatBackend nowhere = new OllamaChatBackend(
                http,
                HttpEndpoint.localServer(
                        "ollama",
                        URI.create("http://127.0.0.1:1"),
                        true,
                        Duration.ofSeconds(120),
                        Duration.ofSeconds(30)),
                new OllamaChatBackend.Options(Boolean.FALSE, "5m", null));

        assertThatThrownBy(() -> nowhere.call(call())).isInstanceOfSatisfying(ModelCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(ModelCallException.Kind.RETRYABLE);
            assertThat(e.errorCode()).isEqualTo("unreachable");
        });
    }
}
