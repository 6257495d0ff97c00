package io.tiergate.gateway.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.schemas.events.CapabilityClass;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.results.Rejections;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChatResponseMapperTest {

    private final ChatResponseMapper mapper = new ChatResponseMapper(Duration.ofSeconds(60));

    private static InferenceResult.Builder result(ResultStatus status, Tier tier) {
        return InferenceResult.newBuilder()
                .setRequestId("gw-1")
                .setCostCenter("cc")
                .setTaskType(TaskType.CONVERSATION)
                .setStatus(status)
                .setTier(tier)
                .setModel("qwen3:8b")
                .setCapabilityClass(CapabilityClass.LOCAL)
                .setProvider("ollama")
                .setOutput("Hello")
                .setInputTokens(10)
                .setOutputTokens(3)
                .setTotalCostUsd(Money.usd("0.000000123"))
                .setCompletedAt(Instant.ofEpochSecond(1_700_000_000));
    }

    @Test
    void aCompletedResultIsAChatCompletionWithTheExactCostInTheUsageExtension() {
        var completion = mapper.completion(
                new ChatRequest(null, "tiergate/auto", false, false),
                result(ResultStatus.COMPLETED, Tier.LOCAL).build(),
                Optional.of("SOVEREIGNTY"));
        assertThat(completion.get("object").asText()).isEqualTo("chat.completion");
        assertThat(completion.get("model").asText()).isEqualTo("qwen3:8b");
        assertThat(completion.get("created").asLong()).isEqualTo(1_700_000_000L);
        assertThat(completion.at("/choices/0/message/content").asText()).isEqualTo("Hello");
        assertThat(completion.at("/usage/total_tokens").asLong()).isEqualTo(13);
        assertThat(completion.at("/usage/tiergate/cost_usd").asText()).isEqualTo("0.000000123");
        assertThat(completion.at("/usage/tiergate/rule").asText()).isEqualTo("SOVEREIGNTY");
        assertThat(completion.at("/usage/tiergate/tier").asText()).isEqualTo("LOCAL");
    }

    @ParameterizedTest
    @CsvSource({
        "BUDGET_EXHAUSTED,429,budget_exhausted,false",
        "DEFERRAL_EXPIRED,429,deferral_expired,true",
        "DEFERRAL_BACKLOG_FULL,429,deferral_backlog_full,true",
        "sovereignty_violation,503,no_local_capacity,false",
        "INVALID_REQUEST,400,INVALID_REQUEST,false"
    })
    void rejectionsMapToOpenAiErrors(String errorCode, int status, String code, boolean retryAfter) {
        ApiError e = mapper.error(Rejections.rejected(
                "gw-1", "cc", TaskType.CONVERSATION, "router", errorCode, "why", "r", 0, Instant.EPOCH));
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.message()).contains("why").contains("gw-1");
        assertThat(e.retryAfter().isPresent()).isEqualTo(retryAfter);
        assertThat(e.toJson().at("/error/code").asText()).isEqualTo(code);
    }

    @Test
    void aLocalFailureIsUnavailableACloudOneABadGateway() {
        assertThat(mapper.error(result(ResultStatus.FAILED, Tier.LOCAL)
                                .setErrorCode("overloaded")
                                .build())
                        .status())
                .isEqualTo(503);
        assertThat(mapper.error(result(ResultStatus.FAILED, Tier.CLOUD).build()).status())
                .isEqualTo(502);
    }

    @Test
    void aStreamedAnswerIsOpenAiChunksEndingWithUsageAndDone() {
        ChatRequest request = new ChatRequest(null, "tiergate/auto", true, true);
        var completion = mapper.completion(
                request, result(ResultStatus.COMPLETED, Tier.LOCAL).build(), Optional.empty());
        String sse = SseAnswer.of(request, completion);
        assertThat(sse).startsWith("data: {\"id\":\"chatcmpl-gw-1\",\"object\":\"chat.completion.chunk\"");
        assertThat(sse).contains("\"delta\":{\"content\":\"Hello\"}");
        assertThat(sse).contains("\"choices\":[],\"usage\":{\"prompt_tokens\":10");
        assertThat(sse).endsWith("data: [DONE]\n\n");
    }

    static final String CALLS = "[{\"id\":\"call_1\",\"type\":\"function\",\"function\":"
            + "{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Köln\\\"}\"}}]";

    @Test
    void anAnswerThatCallsToolsHasToolCallsNullContentAndFinishReasonToolCalls() {
        var completion = mapper.completion(
                new ChatRequest(null, "tiergate/auto", false, false),
                result(ResultStatus.COMPLETED, Tier.CLOUD)
                        .setOutput("")
                        .setToolCalls(CALLS)
                        .setFinishReason("tool_use")
                        .build(),
                Optional.empty());
        assertThat(completion.at("/choices/0/message/content").isNull()).isTrue();
        assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(completion.at("/choices/0/message/tool_calls/0/id").asText()).isEqualTo("call_1");
        assertThat(completion.at("/choices/0/message/tool_calls/0/type").asText())
                .isEqualTo("function");
        assertThat(completion
                        .at("/choices/0/message/tool_calls/0/function/name")
                        .asText())
                .isEqualTo("get_weather");
        assertThat(completion
                        .at("/choices/0/message/tool_calls/0/function/arguments")
                        .asText())
                .isEqualTo("{\"city\":\"Köln\"}");
    }

    @Test
    void textBesideToolCallsIsKeptAndAnAnswerWithoutThemHasNoToolCallsField() {
        var both = mapper.completion(
                new ChatRequest(null, "tiergate/auto", false, false),
                result(ResultStatus.COMPLETED, Tier.CLOUD)
                        .setOutput("Let me check.")
                        .setToolCalls(CALLS)
                        .build(),
                Optional.empty());
        assertThat(both.at("/choices/0/message/content").asText()).isEqualTo("Let me check.");
        assertThat(both.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");

        var text = mapper.completion(
                new ChatRequest(null, "tiergate/auto", false, false),
                result(ResultStatus.COMPLETED, Tier.CLOUD).setToolCalls("[]").build(),
                Optional.empty());
        assertThat(text.at("/choices/0/message").has("tool_calls")).isFalse();
        assertThat(text.at("/choices/0/message/content").asText()).isEqualTo("Hello");
        assertThat(text.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    }

    @ParameterizedTest
    @CsvSource(
            value = {
                "stop,stop",
                "end_turn,stop",
                "length,length",
                "max_tokens,length",
                "content_filter,content_filter",
                "NULL,stop"
            },
            nullValues = "NULL")
    void theBackendsStopReasonIsOpenAisFinishReason(String backend, String openAi) {
        var completion = mapper.completion(
                new ChatRequest(null, "tiergate/auto", false, false),
                result(ResultStatus.COMPLETED, Tier.CLOUD)
                        .setFinishReason(backend)
                        .build(),
                Optional.empty());
        assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo(openAi);
    }

    @Test
    void aStreamedToolCallIsADeltaWithItsIndex() {
        ChatRequest request = new ChatRequest(null, "tiergate/auto", true, false);
        var completion = mapper.completion(
                request,
                result(ResultStatus.COMPLETED, Tier.CLOUD)
                        .setOutput("")
                        .setToolCalls(CALLS)
                        .build(),
                Optional.empty());
        String sse = SseAnswer.of(request, completion);
        assertThat(sse).contains("\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\"");
        assertThat(sse).contains("\"finish_reason\":\"tool_calls\"");
        assertThat(sse).doesNotContain("\"content\":\"null\"");
        assertThat(sse).endsWith("data: [DONE]\n\n");
    }
}
