package io.tiergate.worker.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.schemas.cost.TokenUsage;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostSource;
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
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiChatBackendTest {

    static final String KEY = "sk-test-0123456789abcdef0123456789abcd";
    static final FakeProvider server = new FakeProvider();
    static final ModelHttp http = new ModelHttp(Duration.ofSeconds(2));

    @AfterAll
    static void stop() {
        server.close();
    }

    static OpenAiChatBackend backend(String model, String provider, boolean stream) {
        return new OpenAiChatBackend(
                http,
                HttpEndpoint.providerApi(
                        provider,
                        server.baseUrl().resolve("/api/v1"),
                        model,
                        KEY,
                        Map.of("X-Title", "tiergate"),
                        stream));
    }

    static ModelCall call(String model) {
        return new ModelCall(
                "req-1",
                1,
                model,
                "You are terse.",
                "Explain the outage",
                null,
                TaskType.DEBUGGING,
                1500,
                Duration.ofSeconds(5));
    }

    /** Calls through Work, so the cost is the one the cost event will carry. */
    static CostEvent billed(OpenAiChatBackend backend, String model) {
        Work work = new Work(
                Fixtures.cloud("req-1", TaskType.DEBUGGING, model, List.of()),
                WorkEnvironment.of(Tier.CLOUD, "t", Fixtures.PRICER));
        work.call(backend, model, Duration.ofSeconds(5));
        return work.attempts().get(0).success()
                ? work.complete().costEvents().get(0)
                : work.fail("x", "y").costEvents().get(0);
    }

    @Test
    void aNonStreamedAnswerIsPricedWithCachedTokensSplitOut() throws Exception {
        server.then(Reply.json(200, "openai/chat-completion.json"));
        ModelResponse r =
                backend("anthropic/claude-haiku-4.5", "openai", false).call(call("anthropic/claude-haiku-4.5"));
        assertThat(r.output()).startsWith("The incident was caused");
        // prompt_tokens 2006 includes cached_tokens 1920
        assertThat(r.usage()).isEqualTo(new TokenUsage(86, 300, 1920, 0));
        assertThat(r.providerCostUsd()).isEmpty();
        assertThat(r.finishReason()).contains("stop");

        server.then(Reply.json(200, "openai/chat-completion.json"));
        CostEvent cost = billed(backend("anthropic/claude-haiku-4.5", "openai", false), "anthropic/claude-haiku-4.5");
        // claude-haiku-4.5: input $1.00/M, output $5.00/M, cached read $0.10/M
        //   uncached 86 × 1.00 / 1e6   = 0.000086000
        //   cached 1,920 × 0.10 / 1e6  = 0.000192000
        //   output 300 × 5.00 / 1e6    = 0.001500000
        //   total                      = 0.001778000
        assertThat(cost.getCostUsd()).isEqualTo(Money.usd("0.001778000"));
        assertThat(cost.getBreakdown().getSource()).isEqualTo(CostSource.PRICE_TABLE);
        assertThat(cost.getInputTokens()).isEqualTo(86);
        assertThat(cost.getCachedReadTokens()).isEqualTo(1920);
    }

    @Test
    void toolCallsOfAWholeAnswerComeBackInOpenAisShapeWithoutText() throws Exception {
        server.then(Reply.json(200, "openai/chat-completion-tool-calls.json"));
        ModelResponse r = backend("openai/gpt-4.1", "openai", false).call(call("openai/gpt-4.1"));
        assertThat(r.output()).isEmpty();
        assertThat(r.finishReason()).contains("tool_calls");
        JsonNode calls = new ObjectMapper().readTree(r.toolCalls().orElseThrow());
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).path("id").asText()).isEqualTo("call_Zk3Rm8wQ1pT6vB2n");
        assertThat(calls.get(0).path("type").asText()).isEqualTo("function");
        assertThat(calls.get(0).path("function").path("name").asText()).isEqualTo("get_weather");
        // arguments stay a JSON string, as OpenAI sends them
        assertThat(calls.get(0).path("function").path("arguments").isTextual()).isTrue();
        assertThat(new ObjectMapper()
                        .readTree(
                                calls.get(0).path("function").path("arguments").asText())
                        .path("city")
                        .asText())
                .isEqualTo("Köln");
        assertThat(calls.get(1).path("function").path("name").asText()).isEqualTo("get_time");
        assertThat(r.usage()).isEqualTo(new TokenUsage(82, 51, 0, 0));
    }

    @Test
    void streamedToolCallFragmentsAreJoinedByIndex() throws Exception {
        server.then(Reply.sse("openai/chat-completion-tool-calls-stream.sse"));
        ModelResponse r = backend("openai/gpt-4.1", "openai", true).call(call("openai/gpt-4.1"));
        assertThat(r.output()).isEmpty();
        assertThat(r.finishReason()).contains("tool_calls");
        JsonNode calls = new ObjectMapper().readTree(r.toolCalls().orElseThrow());
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).path("id").asText()).isEqualTo("call_Zk3Rm8wQ1pT6vB2n");
        assertThat(calls.get(0).path("function").path("arguments").asText()).isEqualTo("{\"city\":\"Köln\"}");
        assertThat(calls.get(1).path("id").asText()).isEqualTo("call_Yq7Wn2dE5sH0jL4c");
        assertThat(calls.get(1).path("function").path("name").asText()).isEqualTo("get_time");
        assertThat(calls.get(1).path("function").path("arguments").asText())
                .isEqualTo("{\"timezone\":\"Europe/Berlin\"}");
    }

    @Test
    void aTextAnswerHasNoToolCalls() throws Exception {
        server.then(Reply.json(200, "openai/chat-completion.json"));
        assertThat(backend("openai/gpt-4.1", "openai", false)
                        .call(call("openai/gpt-4.1"))
                        .toolCalls())
                .isEmpty();
    }

    @Test
    void theRequestCarriesModelMessagesKeyAndStreamOptions() throws Exception {
        server.then(Reply.sse("openai/chat-completion-stream.sse"));
        backend("deepseek/deepseek-chat", "openai-compatible", true).call(call("deepseek/deepseek-chat"));
        FakeProvider.Received req = server.received().get(server.received().size() - 1);
        assertThat(req.path()).isEqualTo("/api/v1/chat/completions");
        assertThat(req.headers())
                .containsEntry("authorization", "Bearer " + KEY)
                .containsEntry("x-title", "tiergate");
        JsonNode body = new ObjectMapper().readTree(req.body());
        assertThat(body.path("model").asText()).isEqualTo("deepseek/deepseek-chat");
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("stream_options").path("include_usage").asBoolean())
                .isTrue();
        assertThat(body.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(body.path("messages").get(1).path("content").asText()).isEqualTo("Explain the outage");
    }

    @Test
    void everyRequestCarriesMaxTokensEvenWhenNothingAskedForOne() throws Exception {
        String haiku = "anthropic/claude-haiku-4.5";
        OpenAiChatBackend plain = backend(haiku, "openai", false);
        OpenAiChatBackend withDefault = new OpenAiChatBackend(
                http,
                HttpEndpoint.providerApi("openai", server.baseUrl().resolve("/api/v1"), haiku, KEY, Map.of(), false),
                java.util.OptionalInt.of(2048));
        for (int i = 0; i < 5; i++) {
            server.then(Reply.json(200, "openai/chat-completion.json"));
        }
        int before = server.received().size();
        // a call built by hand without a limit: the fallback, or the endpoint's default
        plain.call(call(haiku));
        withDefault.call(call(haiku));
        // through Work (as the workers call): the request's limit, else the endpoint default, else the
        // model's cap (haiku 64,000), never above the cap
        var request = Fixtures.cloud("mt-1", TaskType.DEBUGGING, haiku, List.of());
        WorkEnvironment env = WorkEnvironment.of(Tier.CLOUD, "t", Fixtures.PRICER);
        new Work(request, env).call(plain, haiku, Duration.ofSeconds(5));
        new Work(request, env).call(withDefault, haiku, Duration.ofSeconds(5));
        new Work(Fixtures.withMaxOutputTokens(request, 100_000), env).call(withDefault, haiku, Duration.ofSeconds(5));

        List<Integer> sent = new java.util.ArrayList<>();
        for (FakeProvider.Received r :
                server.received().subList(before, server.received().size())) {
            JsonNode body = new ObjectMapper().readTree(r.body());
            assertThat(body.has("max_tokens")).as("max_tokens in " + r.body()).isTrue();
            sent.add(body.get("max_tokens").asInt());
        }
        assertThat(sent).containsExactly(ModelCall.FALLBACK_MAX_OUTPUT_TOKENS, 2048, 64_000, 2048, 64_000);
    }

    @Test
    void aStreamIsPricedFromItsFinalUsageChunkNeverZero() throws Exception {
        server.then(Reply.sse("openai/chat-completion-stream.sse").betweenEvents(Duration.ofMillis(5)));
        ModelResponse r =
                backend("deepseek/deepseek-chat", "openai-compatible", true).call(call("deepseek/deepseek-chat"));
        assertThat(r.output()).isEqualTo("record Invoice(String id, BigDecimal total) {}");
        assertThat(r.usage()).isEqualTo(new TokenUsage(176, 450, 1024, 0));
        assertThat(r.ttft()).isPresent();
        assertThat(r.finishReason()).contains("stop");

        server.then(Reply.sse("openai/chat-completion-stream.sse"));
        CostEvent cost = billed(backend("deepseek/deepseek-chat", "openai-compatible", true), "deepseek/deepseek-chat");
        // deepseek-chat: input $0.27/M, output $1.10/M, cached read $0.07/M
        //   uncached (1,200 − 1,024) = 176 × 0.27 / 1e6 = 0.000047520
        //   cached 1,024 × 0.07 / 1e6                 = 0.000071680
        //   output 450 × 1.10 / 1e6                   = 0.000495000
        //   total                                     = 0.000614200
        assertThat(cost.getCostUsd()).isEqualTo(Money.usd("0.000614200"));
    }

    @Test
    void openRouterReportedCostWinsOverThePriceTable() {
        server.then(Reply.json(200, "openrouter/chat-completion.json"));
        CostEvent cost =
                billed(backend("anthropic/claude-sonnet-4.6", "openrouter", false), "anthropic/claude-sonnet-4.6");
        // usage.cost = 0.02835 (USD credits) — the bill. The table's own estimate is kept in the breakdown:
        //   input 5,000 × 3.00 / 1e6 = 0.015000000; output 800 × 15.00 / 1e6 = 0.012000000
        assertThat(cost.getCostUsd()).isEqualTo(Money.usd("0.028350000"));
        assertThat(cost.getBreakdown().getSource()).isEqualTo(CostSource.PROVIDER_REPORTED);
        assertThat(cost.getBreakdown().getInputUsd()).isEqualTo(Money.usd("0.015000000"));
        assertThat(cost.getBreakdown().getOutputUsd()).isEqualTo(Money.usd("0.012000000"));
        assertThat(cost.getProvider()).isEqualTo("openrouter");
    }

    @Test
    void anOpenRouterStreamWithKeepAliveCommentsIsPricedFromItsReportedCost() throws Exception {
        server.then(Reply.sse("openrouter/chat-completion-stream.sse"));
        ModelResponse r =
                backend("anthropic/claude-haiku-4.5", "openrouter", true).call(call("anthropic/claude-haiku-4.5"));
        assertThat(r.output()).isEqualTo("Use a bounded queue.");
        // prompt_tokens 3,000 = 500 uncached + 2,000 cached reads + 500 cache writes
        assertThat(r.usage()).isEqualTo(new TokenUsage(500, 120, 2000, 500));

        server.then(Reply.sse("openrouter/chat-completion-stream.sse"));
        CostEvent cost =
                billed(backend("anthropic/claude-haiku-4.5", "openrouter", true), "anthropic/claude-haiku-4.5");
        // usage.cost = 0.00123456789 → nano-dollars, half-even: 0.001234568
        // (table estimate: 500 × 1.00 + 120 × 5.00 + 2,000 × 0.10 + 500 × 1.25 = 1,925 µ$ per 1e6 → 0.001925000)
        assertThat(cost.getCostUsd()).isEqualTo(Money.usd("0.001234568"));
        assertThat(cost.getCacheWriteTokens()).isEqualTo(500);
        assertThat(cost.getBreakdown().getCacheWriteUsd()).isEqualTo(Money.usd("0.000625000"));
    }

    @ParameterizedTest(name = "HTTP {0} → {1}, retryable={2}")
    @CsvSource({
        "400, openai/error-400.json, http_400, false",
        "401, openai/error-401.json, unauthorized, false",
        "404, openai/error-404-model.json, model_not_found, false",
        "429, openai/error-429.json, rate_limited, true",
        "500, openai/error-500.json, http_500, true",
        "503, openai/error-503.json, http_503, true",
        "402, openrouter/error-402.json, payment_required, false",
        "429, openrouter/error-429.json, rate_limited, true"
    })
    void httpErrorsAreTyped(int status, String fixture, String code, boolean retryable) {
        server.then(Reply.json(status, fixture));
        assertThatThrownBy(
                        () -> backend("deepseek/deepseek-chat", "openai", false).call(call("deepseek/deepseek-chat")))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(code);
                    assertThat(e.retryable()).isEqualTo(retryable);
                    assertThat(e.httpStatus()).hasValue(status);
                    assertThat(e.getMessage()).doesNotContain(KEY).doesNotContain("sk-test-");
                });
    }

    @Test
    void retryAfterIsReadInSecondsOrAsADate() {
        server.then(Reply.json(429, "openai/error-429.json").header("retry-after", "2"));
        assertThatThrownBy(
                        () -> backend("deepseek/deepseek-chat", "openai", false).call(call("deepseek/deepseek-chat")))
                .isInstanceOfSatisfying(
                        ModelCallException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(2)));
        server.then(Reply.json(503, "openai/error-503.json")
                .header("retry-after-ms", "1500")
                .header("retry-after", "9"));
        assertThatThrownBy(
                        () -> backend("deepseek/deepseek-chat", "openai", false).call(call("deepseek/deepseek-chat")))
                .isInstanceOfSatisfying(
                        ModelCallException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofMillis(1500)));
    }

    @Test
    void aSlowServerTimesOutAndSoDoesAStreamThatStalls() {
        server.then(Reply.json(200, "openai/chat-completion.json").delay(Duration.ofMillis(1500)));
        ModelCall tight = new ModelCall(
                "req-1", 1, "deepseek/deepseek-chat", null, "x", null, TaskType.DEBUGGING, 10, Duration.ofMillis(300));
        assertThatThrownBy(
                        () -> backend("deepseek/deepseek-chat", "openai", false).call(tight))
                .isInstanceOfSatisfying(
                        ModelCallException.class, e -> assertThat(e.kind()).isEqualTo(ModelCallException.Kind.TIMEOUT));
        server.then(Reply.sse("openai/chat-completion-stream.sse").betweenEvents(Duration.ofMillis(400)));
        assertThatThrownBy(
                        () -> backend("deepseek/deepseek-chat", "openai", true).call(tight))
                .isInstanceOfSatisfying(
                        ModelCallException.class, e -> assertThat(e.kind()).isEqualTo(ModelCallException.Kind.TIMEOUT));
    }

    @Test
    void aStreamCutBeforeDoneIsMalformedAndStillBillsWhatItConsumed() {
        server.then(Reply.sse("openai/chat-completion-stream-truncated.sse"));
        assertThatThrownBy(
                        () -> backend("deepseek/deepseek-chat", "openai", true).call(call("deepseek/deepseek-chat")))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ModelCallException.Kind.MALFORMED);
                    assertThat(e.retryable()).isTrue();
                    // no usage chunk arrived: the classifier's 1,500 input tokens and "record Invoice(" (15 chars) / 4
                    // → 4
                    assertThat(e.consumed()).contains(TokenUsage.of(1500, 4));
                });
    }

    @Test
    void malformedJsonAndADroppedConnectionAreMalformed() {
        server.then(Reply.body(
                200, "application/json", new String(FakeProvider.fixture("openai/chat-completion-malformed.json"))));
        assertThatThrownBy(
                        () -> backend("deepseek/deepseek-chat", "openai", false).call(call("deepseek/deepseek-chat")))
                .isInstanceOfSatisfying(
                        ModelCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(ModelCallException.Kind.MALFORMED));
        server.then(Reply.json(200, "openai/chat-completion.json").dropMidBody());
        assertThatThrownBy(
                        () -> backend("deepseek/deepseek-chat", "openai", false).call(call("deepseek/deepseek-chat")))
                .isInstanceOfSatisfying(
                        ModelCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(ModelCallException.Kind.MALFORMED));
    }

    @Test
    void anOpenRouterErrorInsideTheStreamFailsTheCall() {
        server.then(Reply.sse("openrouter/stream-midstream-error.sse"));
        assertThatThrownBy(() -> backend("anthropic/claude-haiku-4.5", "openrouter", true)
                        .call(call("anthropic/claude-haiku-4.5")))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).contains("Provider disconnected");
                    assertThat(e.consumed()).isPresent();
                });
    }

    @Test
    void aConnectionRefusedIsRetryable() {
        OpenAiChatBackend nowhere = new OpenAiChatBackend(
                http, HttpEndpoint.providerApi("openai", URI.create("http://127.0.0.1:1"), "x", KEY, Map.of(), false));
        assertThatThrownBy(() -> nowhere.call(call("deepseek/deepseek-chat")))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).doesNotContain(KEY);
                });
    }
}
