package io.tiergate.worker.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.StreamChunk;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.results.RequestAttributes;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.worker.Fixtures;
import io.tiergate.worker.simulated.SimulatedBackend;
import io.tiergate.worker.simulated.SimulationSettings;
import io.tiergate.worker.work.Attempt;
import io.tiergate.worker.work.RequestHandler;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A worker on the real broker relays the answer of a request that asked to stream to its
 * inference.stream topic while the model produces it, outside its transaction; the final result is
 * published as always (docs/gateway.md, "Streaming").
 */
class StreamRelayIT {

    private final BrokerFixture kafka = new BrokerFixture(2);
    private final Topic<StreamChunk> stream =
            new Topic<>("it-" + kafka.id + ".stream", StreamChunk.class, Topic.Cleanup.DELETE);

    @AfterEach
    void close() {
        kafka.close();
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
    void aStreamedRequestsAnswerIsOnTheStreamTopicBeforeItsResultAndAnUnstreamedOnesIsNot() {
        TestTopics.create(kafka.settings, List.of(new NewTopic(stream.name(), 2, (short) 1)));
        // modelled seconds played 10x faster: the answer takes a few hundred ms of wall time
        SimulatedBackend simulated = new SimulatedBackend(
                Fixtures.PRICES, SimulationSettings.defaults().withSpeedUp(10));
        RequestHandler handler = work -> {
            Attempt a = work.call(simulated, work.decision().getModel(), Duration.ofMinutes(5));
            return a.success() ? work.complete() : work.fail(a.outcomeCode(), "failed");
        };
        try (TierWorker worker = new TierWorker(
                                kafka.settings,
                                kafka.config("w-stream").streamTopic(stream).build(),
                                kafka.environment(Tier.LOCAL, "w-stream", Fixtures.PRICER),
                                handler,
                                kafka.inbound,
                                kafka.meters)
                        .start();
                TopicReader<StreamChunk> chunks = kafka.reader(stream, false);
                TopicReader<InferenceResult> results = kafka.reader(kafka.results, true)) {
            kafka.send(streamed(Fixtures.local("st-1", TaskType.SUMMARIZATION, List.of())));
            kafka.send(Fixtures.local("st-2", TaskType.SUMMARIZATION, List.of()));

            await().atMost(Duration.ofSeconds(60)).until(() -> results.poll().size() == 2);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> chunks.poll().stream().anyMatch(c -> c.getFinishReason() != null));

            InferenceResult result = results.poll().stream()
                    .filter(r -> r.getRequestId().equals("st-1"))
                    .findFirst()
                    .orElseThrow();
            List<StreamChunk> relayed = chunks.poll();
            assertThat(relayed).extracting(StreamChunk::getRequestId).containsOnly("st-1");
            assertThat(relayed).hasSizeGreaterThan(2);
            assertThat(relayed).extracting(StreamChunk::getSeq).isSorted().doesNotHaveDuplicates();
            assertThat(relayed.stream().map(StreamChunk::getDelta).collect(Collectors.joining()))
                    .isEqualTo(result.getOutput());
            StreamChunk last = relayed.get(relayed.size() - 1);
            assertThat(last.getOutputTokens()).isEqualTo(result.getOutputTokens());
            assertThat(last.getAttempt()).isEqualTo(1);
            StreamChunk first = relayed.stream()
                    .min(Comparator.comparing(StreamChunk::getSeq))
                    .orElseThrow();
            // the first piece left the worker a modelled generation time before the call ended
            assertThat(first.getProducedAt()).isBefore(last.getProducedAt().minusMillis(100));
            assertThat(first.getProducedAt()).isBefore(result.getCompletedAt());
        }
    }
}
