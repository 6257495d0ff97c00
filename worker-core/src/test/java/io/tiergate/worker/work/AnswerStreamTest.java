package io.tiergate.worker.work;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.StreamChunk;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.results.RequestAttributes;
import io.tiergate.worker.Fixtures;
import io.tiergate.worker.simulated.SimulatedBackend;
import io.tiergate.worker.simulated.SimulationSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A call of a request that asked to stream relays its answer as numbered chunks, the last with usage. */
class AnswerStreamTest {

    private final List<StreamChunk> relayed = new CopyOnWriteArrayList<>();
    private final SimulatedBackend simulated =
            new SimulatedBackend(Fixtures.PRICES, SimulationSettings.defaults(), d -> {});

    private Work work(RoutedRequest request) {
        return new Work(
                request,
                WorkEnvironment.of(Tier.LOCAL, "w", Fixtures.PRICER),
                null,
                WriteAhead.NONE,
                Takeover.fresh(request),
                BudgetAdmission.NONE,
                relayed::add);
    }

    private static RoutedRequest streamed(RoutedRequest routed) {
        InferenceRequest request = routed.getClassified().getRequest();
        return RoutedRequest.newBuilder(routed)
                .setClassified(ClassifiedRequest.newBuilder(routed.getClassified())
                        .setRequest(InferenceRequest.newBuilder(request)
                                .setAttributes(Map.of(RequestAttributes.STREAM, "true"))
                                .build())
                        .build())
                .build();
    }

    @Test
    void aStreamedRequestsAnswerIsRelayedInNumberedChunksEndingWithTheFinishReasonAndUsage() {
        Work work = work(streamed(Fixtures.local("s-1", TaskType.SUMMARIZATION, List.of())));

        Attempt attempt = work.call(simulated, "qwen3:8b", Duration.ofMinutes(1));

        assertThat(attempt.success()).isTrue();
        assertThat(relayed).hasSizeGreaterThan(1);
        assertThat(relayed)
                .extracting(StreamChunk::getSeq)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, relayed.size())
                        .boxed()
                        .toList());
        assertThat(relayed).allSatisfy(c -> {
            assertThat(c.getRequestId()).isEqualTo("s-1");
            assertThat(c.getAttempt()).isEqualTo(attempt.number());
            assertThat(c.getModel()).isEqualTo("qwen3:8b");
            assertThat(c.getTier()).isEqualTo(Tier.LOCAL);
        });
        assertThat(relayed.stream().map(StreamChunk::getDelta).collect(Collectors.joining()))
                .isEqualTo(attempt.response().orElseThrow().output());
        StreamChunk last = relayed.get(relayed.size() - 1);
        assertThat(last.getFinishReason()).isEqualTo("stop");
        assertThat(last.getOutputTokens()).isEqualTo(attempt.usage().output());
        assertThat(last.getInputTokens()).isEqualTo(attempt.usage().totalInput());
        assertThat(relayed.subList(0, relayed.size() - 1)).allSatisfy(c -> {
            assertThat(c.getFinishReason()).isNull();
            assertThat(c.getOutputTokens()).isNull();
        });
    }

    @Test
    void laterPiecesArriveGatheredButTheFirstPieceIsRelayedAlone() {
        Work work = work(streamed(Fixtures.local("s-2", TaskType.SUMMARIZATION, List.of())));
        AnswerStream stream = work.stream(
                io.tiergate.worker.backend.ModelCall.of(work.request(), "qwen3:8b", 1, Duration.ofSeconds(1)));

        stream.text("a");
        stream.text("b");
        stream.text("c");

        assertThat(relayed).extracting(StreamChunk::getDelta).containsExactly("a");
    }

    @Test
    void aRequestThatDidNotAskToStreamRelaysNothingAndItsBackendIsCalledUnstreamed() {
        Work work = work(Fixtures.local("s-3", TaskType.SUMMARIZATION, List.of()));

        Attempt attempt = work.call(simulated, "qwen3:8b", Duration.ofMinutes(1));

        assertThat(attempt.success()).isTrue();
        assertThat(relayed).isEmpty();
        assertThat(work.stream(io.tiergate.worker.backend.ModelCall.of(
                                work.request(), "qwen3:8b", 1, Duration.ofSeconds(1)))
                        .sink())
                .isSameAs(io.tiergate.worker.backend.ChunkSink.NONE);
    }
}
