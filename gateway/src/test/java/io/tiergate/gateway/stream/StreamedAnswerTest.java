package io.tiergate.gateway.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.tiergate.gateway.chat.ApiError;
import io.tiergate.gateway.chat.ChatRequest;
import io.tiergate.gateway.chat.ChatResponseMapper;
import io.tiergate.gateway.chat.Outcome;
import io.tiergate.gateway.chat.TiergateHeaders;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.CapabilityClass;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.RoutingAction;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.events.StreamChunk;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The headers of a streamed response (committed at the first relayed chunk) and its usage chunk:
 * the same tiergate fields as an unstreamed answer, as far as they are known before the first byte.
 */
class StreamedAnswerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID = "gw-s1";

    private final StreamingCalls streams = new StreamingCalls();
    private final ChatResponseMapper responses = new ChatResponseMapper(Duration.ofSeconds(60));
    private final ChatRequest request = new ChatRequest(null, "tiergate/auto", true, true);
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private final StreamingCalls.Live live = streams.open(ID, true, () -> outcome.cancel(false));
    private final AtomicReference<Optional<String>> rule = new AtomicReference<>(Optional.empty());

    private CompletableFuture<MutableHttpResponse<?>> answer() {
        return StreamedAnswer.answer(
                ID,
                request,
                live,
                outcome,
                responses,
                cause -> ApiError.timeout("no result"),
                (o, failure) -> HttpResponse.ok("unstreamed").header(TiergateHeaders.COST_USD, "whole"),
                rule::get);
    }

    private static StreamChunk chunk(int seq, String delta) {
        return StreamChunk.newBuilder()
                .setRequestId(ID)
                .setAttempt(1)
                .setSeq(seq)
                .setDelta(delta)
                .setModel("anthropic/claude-haiku-4.5")
                .setTier(Tier.CLOUD)
                .setProducedAt(Instant.EPOCH)
                .build();
    }

    private static InferenceResult result() {
        return InferenceResult.newBuilder()
                .setRequestId(ID)
                .setCostCenter("cc")
                .setTaskType(TaskType.CONVERSATION)
                .setStatus(ResultStatus.COMPLETED)
                .setTier(Tier.CLOUD)
                .setModel("anthropic/claude-haiku-4.5")
                .setCapabilityClass(CapabilityClass.STANDARD)
                .setProvider("openrouter")
                .setOutput("Use a bounded queue.")
                .setInputTokens(10)
                .setOutputTokens(4)
                .setTotalCostUsd(Money.usd("0.001234568"))
                .setCompletedAt(Instant.ofEpochSecond(1_700_000_000))
                .build();
    }

    private static RoutingDecision decision(String rule) {
        return RoutingDecision.newBuilder()
                .setRequestId(ID)
                .setCostCenter("cc")
                .setTaskType(TaskType.CONVERSATION)
                .setAction(RoutingAction.ROUTE)
                .setTier(Tier.CLOUD)
                .setModel("anthropic/claude-haiku-4.5")
                .setEstimatedCostUsd(Money.ZERO)
                .setBudgetLevel(BudgetLevel.NORMAL)
                .setRule(rule)
                .setRationale("pinned")
                .setSovereign(false)
                .setDecidedAt(Instant.EPOCH)
                .build();
    }

    /** Every event of a finished stream, as the server would write it. */
    private static List<String> drain(Object body) {
        @SuppressWarnings("unchecked")
        Publisher<String> events = (Publisher<String>) body;
        List<String> out = new ArrayList<>();
        events.subscribe(new Subscriber<String>() {
            @Override
            public void onSubscribe(Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(String event) {
                out.add(event);
            }

            @Override
            public void onError(Throwable t) {
                throw new AssertionError(t);
            }

            @Override
            public void onComplete() {}
        });
        return out;
    }

    /** The usage chunk: the last event before {@code [DONE]}. */
    private static JsonNode usageChunk(List<String> events) throws Exception {
        assertThat(events.get(events.size() - 1)).isEqualTo("data: [DONE]\n\n");
        String usage = events.get(events.size() - 2);
        return JSON.readTree(usage.substring("data: ".length()));
    }

    @Test
    void theFirstChunkCommitsTheUnstreamedHeadersKnownByThenAndTheUsageChunkCarriesTheCost() throws Exception {
        CompletableFuture<MutableHttpResponse<?>> answer = answer();
        assertThat(answer).isNotDone(); // nothing is committed before the first chunk
        rule.set(Optional.of("PINNED")); // the decision was read before the worker's first chunk
        live.relay().onChunk(chunk(0, "Use a "));

        MutableHttpResponse<?> response = answer.getNow(null);
        assertThat(response).isNotNull();
        assertThat(response.getHeaders().get(TiergateHeaders.REQUEST_ID)).isEqualTo(ID);
        assertThat(response.getHeaders().get(TiergateHeaders.TIER)).isEqualTo("CLOUD");
        assertThat(response.getHeaders().get(TiergateHeaders.MODEL)).isEqualTo("anthropic/claude-haiku-4.5");
        assertThat(response.getHeaders().get(TiergateHeaders.RULE)).isEqualTo("PINNED");
        // the cost is not known before the end: no header, the usage chunk has it
        assertThat(response.getHeaders().contains(TiergateHeaders.COST_USD)).isFalse();

        live.relay().onChunk(chunk(1, "bounded queue."));
        outcome.complete(Outcome.of(result(), decision("PINNED")));
        JsonNode usage = usageChunk(drain(response.body()));
        assertThat(usage.path("choices")).isEmpty();
        assertThat(usage.at("/usage/tiergate/cost_usd").asText()).isEqualTo("0.001234568");
        assertThat(usage.at("/usage/tiergate/rule").asText()).isEqualTo("PINNED");
        assertThat(usage.at("/usage/tiergate/tier").asText()).isEqualTo("CLOUD");
        assertThat(usage.at("/usage/tiergate/request_id").asText()).isEqualTo(ID);
    }

    @Test
    void aDecisionNotYetReadLeavesTheRuleHeaderOutAndTheUsageChunkStillNamesIt() throws Exception {
        CompletableFuture<MutableHttpResponse<?>> answer = answer();
        live.relay().onChunk(chunk(0, "Use a bounded queue."));

        MutableHttpResponse<?> response = answer.getNow(null);
        assertThat(response.getHeaders().get(TiergateHeaders.TIER)).isEqualTo("CLOUD");
        assertThat(response.getHeaders().contains(TiergateHeaders.RULE)).isFalse();

        outcome.complete(Outcome.of(result(), decision("TASK_TABLE")));
        assertThat(usageChunk(drain(response.body())).at("/usage/tiergate/rule").asText())
                .isEqualTo("TASK_TABLE");
    }

    @Test
    void anOutcomeBeforeAnyChunkIsAnsweredAsUnstreamedWithEveryHeader() {
        CompletableFuture<MutableHttpResponse<?>> answer = answer();
        outcome.complete(Outcome.of(result(), decision("PINNED")));

        assertThat(answer.getNow(null).getHeaders().get(TiergateHeaders.COST_USD))
                .isEqualTo("whole");
        assertThat(streams.size()).isZero();
    }
}
