package io.tiergate.worker.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.schemas.cost.TokenUsage;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.worker.Fixtures;
import io.tiergate.worker.backend.ModelCall;
import io.tiergate.worker.backend.ModelCallException;
import io.tiergate.worker.backend.ModelResponse;
import io.tiergate.worker.http.HttpEndpoint;
import io.tiergate.worker.http.ModelHttp;
import io.tiergate.worker.testing.FakeProvider;
import io.tiergate.worker.testing.FakeProvider.Reply;
import io.tiergate.worker.work.Work;
import io.tiergate.worker.work.WorkEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnthropicMessagesBackendTest {

    static final String KEY = "sk-ant-api03-test0123456789abcdef";
    static final FakeProvider server = new FakeProvider();
    static final ModelHttp http = new ModelHttp(Duration.ofSeconds(2));

    @AfterAll
    static void stop() {
        server.close();
    }

    static AnthropicMessagesBackend backend(String model, String remote, boolean stream) {
        return new AnthropicMessagesBackend(
                http, HttpEndpoint.providerApi("anthropic", server.baseUrl(), remote, KEY, Map.of(), stream), 1024);
    }

    static ModelCall call(String model) {
        return new ModelCall(
                "req-a",
                1,
                model,
                "You are terse.",
                "Why does the ledger drift?",
                null,
                TaskType.ARCHITECTURE,
                2000,
                Duration.ofSeconds(5));
    }

    static CostEvent billed(AnthropicMessagesBackend backend, String model) {
        Work work = new Work(
                Fixtures.cloud("req-a", TaskType.ARCHITECTURE, model, List.of()),
                WorkEnvironment.of(Tier.CLOUD, "t", Fixtures.PRICER));
        work.call(backend, model, Duration.ofSeconds(5));
        return work.attempts().get(0).success()
                ? work.complete().costEvents().get(0)
                : work.fail("x", "y").costEvents().get(0);
    }

    @Test
    void aMessageWithACacheWriteIsPricedPerComponent() throws Exception {
        server.then(Reply.json(200, "anthropic/message.json"));
        ModelResponse r = backend("anthropic/claude-sonnet-4.6", "claude-sonnet-4-6", false)
                .call(call("anthropic/claude-sonnet-4.6"));
        assertThat(r.output()).startsWith("Split the ledger");
        assertThat(r.usage()).isEqualTo(new TokenUsage(2095, 503, 0, 2051));
        assertThat(r.finishReason()).contains("end_turn");

        FakeProvider.Received req = server.received().get(server.received().size() - 1);
        assertThat(req.path()).isEqualTo("/v1/messages");
        assertThat(req.headers()).containsEntry("x-api-key", KEY).containsEntry("anthropic-version", "2023-06-01");
        JsonNode body = new ObjectMapper().readTree(req.body());
        assertThat(body.path("model").asText()).isEqualTo("claude-sonnet-4-6");
        assertThat(body.path("max_tokens").asInt()).isEqualTo(1024); // required by the API: the endpoint default
        assertThat(body.path("system").asText()).isEqualTo("You are terse.");
        assertThat(body.path("messages").get(0).path("role").asText()).isEqualTo("user");

        server.then(Reply.json(200, "anthropic/message.json"));
        CostEvent cost = billed(
                backend("anthropic/claude-sonnet-4.6", "claude-sonnet-4-6", false), "anthropic/claude-sonnet-4.6");
        // claude-sonnet-4.6: input $3.00/M, output $15.00/M, cache write $3.75/M
        //   input 2,095 × 3.00 / 1e6        = 0.006285000
        //   cache write 2,051 × 3.75 / 1e6  = 0.007691250
        //   output 503 × 15.00 / 1e6        = 0.007545000
        //   total                           = 0.021521250
        assertThat(cost.getCostUsd()).isEqualTo(Money.usd("0.021521250"));
        assertThat(cost.getCacheWriteTokens()).isEqualTo(2051);
        assertThat(cost.getBreakdown().getCacheWriteUsd()).isEqualTo(Money.usd("0.007691250"));
    }

    @Test
    void aStreamIsAssembledFromItsEventsAndPricedFromMessageStartPlusMessageDelta() throws Exception {
        server.then(Reply.sse("anthropic/message-stream.sse").betweenEvents(Duration.ofMillis(3)));
        ModelResponse r = backend("anthropic/claude-haiku-4.5", "claude-haiku-4-5", true)
                .call(call("anthropic/claude-haiku-4.5"));
        assertThat(r.output()).isEqualTo("Retry with jittered backoff.");
        assertThat(r.usage()).isEqualTo(new TokenUsage(25, 15, 4000, 0));
        assertThat(r.ttft()).isPresent();
        assertThat(new ObjectMapper()
                        .readTree(server.received()
                                .get(server.received().size() - 1)
                                .body())
                        .path("stream")
                        .asBoolean())
                .isTrue();

        server.then(Reply.sse("anthropic/message-stream.sse"));
        CostEvent cost =
                billed(backend("anthropic/claude-haiku-4.5", "claude-haiku-4-5", true), "anthropic/claude-haiku-4.5");
        // claude-haiku-4.5: input $1.00/M, output $5.00/M, cached read $0.10/M
        //   input 25 × 1.00 / 1e6        = 0.000025000
        //   cache read 4,000 × 0.10 / 1e6 = 0.000400000
        //   output 15 × 5.00 / 1e6       = 0.000075000
        //   total                        = 0.000500000
        assertThat(cost.getCostUsd()).isEqualTo(Money.usd("0.000500000"));
    }

    @Test
    void toolUseBlocksBecomeOpenAiToolCallsWithArgumentsAsJsonText() throws Exception {
        server.then(Reply.json(200, "anthropic/message-tool-use.json"));
        ModelResponse r = backend("anthropic/claude-sonnet-4.6", "claude-sonnet-4-6", false)
                .call(call("anthropic/claude-sonnet-4.6"));
        assertThat(r.output()).isEqualTo("I'll check the current weather in Köln for you.");
        assertThat(r.finishReason()).contains("tool_use");
        JsonNode calls = new ObjectMapper().readTree(r.toolCalls().orElseThrow());
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).path("id").asText()).isEqualTo("toolu_01A09q90qw90lq917835lq9");
        assertThat(calls.get(0).path("type").asText()).isEqualTo("function");
        assertThat(calls.get(0).path("function").path("name").asText()).isEqualTo("get_weather");
        JsonNode arguments = calls.get(0).path("function").path("arguments");
        assertThat(arguments.isTextual()).isTrue();
        assertThat(new ObjectMapper().readTree(arguments.asText()))
                .isEqualTo(new ObjectMapper().readTree("{\"city\": \"Köln\", \"unit\": \"celsius\"}"));
    }

    @Test
    void aStreamedToolUseIsJoinedFromItsInputJsonDeltas() throws Exception {
        server.then(Reply.sse("anthropic/message-tool-use-stream.sse"));
        ModelResponse r = backend("anthropic/claude-haiku-4.5", "claude-haiku-4-5", true)
                .call(call("anthropic/claude-haiku-4.5"));
        assertThat(r.output()).isEqualTo("Let me check the weather.");
        assertThat(r.finishReason()).contains("tool_use");
        JsonNode calls = new ObjectMapper().readTree(r.toolCalls().orElseThrow());
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).path("id").asText()).isEqualTo("toolu_01T1x1fJ34qAmk2tNTrN7Up6");
        assertThat(new ObjectMapper()
                        .readTree(
                                calls.get(0).path("function").path("arguments").asText()))
                .isEqualTo(new ObjectMapper().readTree("{\"city\": \"Köln\", \"unit\": \"celsius\"}"));
        assertThat(r.usage().output()).isEqualTo(89);
    }

    @Test
    void aStreamCutBeforeMessageStopIsMalformedAndBillsWhatMessageStartReported() {
        server.then(Reply.sse("anthropic/message-stream-truncated.sse"));
        assertThatThrownBy(() -> backend("anthropic/claude-haiku-4.5", "claude-haiku-4-5", true)
                        .call(call("anthropic/claude-haiku-4.5")))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ModelCallException.Kind.MALFORMED);
                    // input 25 and cache read 4,000 from message_start; output: message_start said 1; the text that
                    // arrived is "Retry with " (11 chars → 3 tokens estimated; the second delta was cut mid-event and,
                    // per the SSE spec, never dispatched) — the larger figure is billed
                    assertThat(e.consumed()).contains(new TokenUsage(25, 3, 4000, 0));
                });
    }

    @Test
    void anOverloadedErrorEventInsideTheStreamIsRetryable() {
        server.then(Reply.sse("anthropic/stream-overloaded-error.sse"));
        assertThatThrownBy(() -> backend("anthropic/claude-haiku-4.5", "claude-haiku-4-5", true)
                        .call(call("anthropic/claude-haiku-4.5")))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("overloaded");
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.consumed()).contains(new TokenUsage(1000, 1, 0, 0));
                });
    }

    @ParameterizedTest(name = "HTTP {0} {1} → {2}, retryable={3}")
    @CsvSource({
        "429, anthropic/error-429.json, rate_limited, true",
        "429, anthropic/error-429-spend-limit.json, spend_limit_reached, false",
        "529, anthropic/error-529.json, overloaded, true",
        "401, anthropic/error-401.json, unauthorized, false",
        "404, anthropic/error-404.json, model_not_found, false"
    })
    void httpErrorsAreTyped(int status, String fixture, String code, boolean retryable) {
        server.then(Reply.json(status, fixture).header("retry-after", "3"));
        assertThatThrownBy(() -> backend("anthropic/claude-haiku-4.5", "claude-haiku-4-5", false)
                        .call(call("anthropic/claude-haiku-4.5")))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(code);
                    assertThat(e.retryable()).isEqualTo(retryable);
                    assertThat(e.getMessage()).doesNotContain(KEY);
                    if (retryable) {
                        assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
                    }
                });
    }
}
