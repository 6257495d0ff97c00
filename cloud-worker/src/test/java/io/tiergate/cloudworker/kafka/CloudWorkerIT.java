package io.tiergate.cloudworker.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tiergate.cloudworker.testing.IsolatedCluster;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.money.Money;
import io.tiergate.testkit.TestBrokers;
import io.tiergate.worker.Fixtures;
import io.tiergate.worker.kafka.KillSwitch;
import io.tiergate.worker.kafka.TierWorker;
import io.tiergate.worker.kafka.TopicReader;
import io.tiergate.worker.testing.FakeProvider;
import io.tiergate.worker.testing.FakeProvider.Reply;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CloudWorkerIT {

    private static final String HAIKU = "anthropic/claude-haiku-4.5";
    private static final String DEEPSEEK = "deepseek/deepseek-chat";
    /** The request id in a provider call's body, from the prompt {@link Fixtures#routed} writes. */
    private static final Pattern ID = Pattern.compile("incident report for ([\\w-]+)");

    private final IsolatedCluster cluster =
            new IsolatedCluster(TestBrokers.shared().bootstrapServers(), 3);
    private final FakeProvider provider = new FakeProvider();
    private final FakeProvider otherProvider = new FakeProvider();

    @AfterEach
    void close() {
        cluster.close();
        provider.close();
        otherProvider.close();
    }

    private static String requestId(FakeProvider.Received r) {
        Matcher m = ID.matcher(r.body());
        return m.find() ? m.group(1) : "?";
    }

    private static Map<String, Long> perAttempt(List<CostEvent> costs) {
        return costs.stream()
                .collect(Collectors.groupingBy(c -> c.getRequestId() + "#" + c.getAttempt(), Collectors.counting()));
    }

    @Test
    void twoInstancesPublishExactlyOneResultPerRequestAndOneCostEventPerAttempt() {
        // every 5th request is rate limited once (429, Retry-After 0) before it answers
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        provider.otherwise(r -> {
            String id = requestId(r);
            int n = calls.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            if (id.endsWith("0") || id.endsWith("5")) {
                if (n == 1) {
                    return Reply.json(429, "openai/error-429.json").header("retry-after", "0");
                }
            }
            return Reply.sse("openai/chat-completion-stream.sse").betweenEvents(Duration.ofMillis(2));
        });
        int n = 40;
        for (int i = 0; i < n; i++) {
            cluster.send(Fixtures.cloud("two-" + i, TaskType.BOILERPLATE, DEEPSEEK, List.of(HAIKU)));
        }
        cluster.flush();
        cluster.start("a", cluster.handler(provider.baseUrl(), true), 8);
        cluster.start("b", cluster.handler(provider.baseUrl(), true), 8);
        try (TopicReader<InferenceResult> results = cluster.reader(cluster.results);
                TopicReader<CostEvent> costs = cluster.reader(cluster.costs)) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> results.poll().size() >= n && costs.poll().size() >= n + 8);
            await().during(Duration.ofMillis(700))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> costs.poll().size() == n + 8);

            List<InferenceResult> all = results.poll();
            assertThat(all).hasSize(n);
            assertThat(all.stream().map(InferenceResult::getRequestId).distinct())
                    .hasSize(n);
            assertThat(all).allMatch(r -> r.getStatus() == ResultStatus.COMPLETED && !r.getSimulated());
            assertThat(perAttempt(costs.poll()))
                    .hasSize(n + 8)
                    .allSatisfy((k, v) -> assertThat(v).isEqualTo(1L));
            List<CostEvent> retried = costs.poll().stream()
                    .filter(c -> c.getReason() == CostReason.RETRY)
                    .toList();
            assertThat(retried).hasSize(8).allMatch(c -> c.getAttempt() == 2 && c.getSuccess());
            // priced from the streamed usage chunk: 0.000614200 each (see OpenAiChatBackendTest)
            assertThat(all).allMatch(r -> r.getTotalCostUsd().equals(Money.usd("0.000614200")));
        }
    }

    @Test
    void aWorkerKilledMidFlightIsReplacedAndEveryCallTheProvidersServedIsBilled() {
        CountDownLatch release = new CountDownLatch(1);
        provider.otherwise(r -> {
            try {
                release.await(30, TimeUnit.SECONDS); // A's calls hang until A is dead
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Reply.sse("openai/chat-completion-stream.sse");
        });
        otherProvider.otherwise(r -> Reply.sse("openai/chat-completion-stream.sse"));
        int n = 6;
        for (int i = 0; i < n; i++) {
            cluster.send(Fixtures.cloud("kill-" + i, TaskType.BOILERPLATE, DEEPSEEK, List.of()));
        }
        cluster.flush();
        try (TopicReader<InferenceResult> results = cluster.reader(cluster.results);
                TopicReader<CostEvent> costs = cluster.reader(cluster.costs)) {
            KillSwitch killA = new KillSwitch();
            TierWorker a = cluster.start("a", cluster.handler(provider.baseUrl(), true), 8, killA);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> provider.received().size() == n);

            killA.kill(a); // dies with all six model calls in flight
            release.countDown(); // the provider answers A's calls: the tokens were spent, A never commits

            cluster.start("b", cluster.handler(otherProvider.baseUrl(), true), 8);
            await().atMost(Duration.ofSeconds(60)).until(() -> results.poll().size() >= n);
            await().during(Duration.ofMillis(700))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> costs.poll().size() == 2 * n);

            assertThat(results.poll())
                    .extracting(InferenceResult::getRequestId)
                    .doesNotHaveDuplicates()
                    .hasSize(n);
            // each request reached a model twice (docs/delivery.md, "Write-ahead attempts"), and both calls
            // are billed: A's, which never reported, by B at its worst case in doubt; B's as attempt 2
            assertThat(provider.received()).hasSize(n);
            assertThat(otherProvider.received()).hasSize(n);
            List<CostEvent> billed = costs.poll();
            assertThat(perAttempt(billed))
                    .hasSize(2 * n)
                    .allSatisfy((k, v) -> assertThat(v).isEqualTo(1L));
            List<CostEvent> inDoubt =
                    billed.stream().filter(CostEvent::getInDoubt).toList();
            List<CostEvent> reported =
                    billed.stream().filter(c -> !c.getInDoubt()).toList();
            assertThat(inDoubt).hasSize(n).allMatch(c -> c.getAttempt() == 1);
            assertThat(reported).hasSize(n).allMatch(c -> c.getAttempt() == 2 && c.getSuccess());
            // A's calls were the same as B's (same fixture reply): each worst case covers what its call cost
            BigDecimal perCall = reported.get(0).getCostUsd();
            assertThat(reported).allMatch(c -> c.getCostUsd().equals(perCall));
            assertThat(inDoubt).allSatisfy(c -> assertThat(c.getCostUsd()).isGreaterThan(perCall));
        }
    }
}
