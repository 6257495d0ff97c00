package io.tiergate.worker.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.tiergate.schemas.cost.TokenUsage;
import io.tiergate.schemas.events.AttemptStarted;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.worker.Fixtures;
import io.tiergate.worker.backend.ModelBackend;
import io.tiergate.worker.backend.ModelCall;
import io.tiergate.worker.backend.ModelCallException;
import io.tiergate.worker.backend.ModelResponse;
import io.tiergate.worker.work.Attempt;
import io.tiergate.worker.work.RequestHandler;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TierWorkerIT {

    private static final String HAIKU = "anthropic/claude-haiku-4.5";
    private final BrokerFixture kafka = new BrokerFixture(3);

    @AfterEach
    void close() {
        kafka.close();
    }

    /** A backend answering after {@code delay}, counting calls and the most it ever ran at once. */
    static final class CountingBackend implements ModelBackend {
        final Map<String, AtomicInteger> callsById = new ConcurrentHashMap<>();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();
        final Function<ModelCall, Duration> delay;
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile Set<String> gated = Set.of();

        CountingBackend(Function<ModelCall, Duration> delay) {
            this.delay = delay;
        }

        @Override
        public String provider() {
            return "openrouter";
        }

        @Override
        public ModelResponse call(ModelCall call) throws ModelCallException {
            callsById
                    .computeIfAbsent(call.requestId(), k -> new AtomicInteger())
                    .incrementAndGet();
            long start = System.nanoTime();
            int now = running.incrementAndGet();
            maxRunning.accumulateAndGet(now, Math::max);
            try {
                if (gated.contains(call.requestId())) {
                    gate.await(30, TimeUnit.SECONDS);
                }
                Thread.sleep(delay.apply(call).toMillis());
                if (call.requestId().endsWith("-flaky") && call.attempt() == 1) {
                    throw ModelCallException.retryable("rate_limited", "429", 429, Duration.ofMillis(10));
                }
                return ModelResponse.builder("openrouter")
                        .output("answer to " + call.requestId())
                        .usage(TokenUsage.of(1000, 200))
                        .latency(Duration.ofNanos(System.nanoTime() - start).plusMillis(1))
                        .build();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ModelCallException.timeout("interrupted", e);
            } finally {
                running.decrementAndGet();
            }
        }

        int calls(String id) {
            AtomicInteger n = callsById.get(id);
            return n == null ? 0 : n.get();
        }
    }

    /** Calls the primary model, retries once on a retryable failure, completes or fails. */
    static RequestHandler retryOnce(ModelBackend backend) {
        return work -> {
            Attempt a = work.call(backend, work.decision().getModel(), Duration.ofSeconds(30));
            if (!a.success() && a.failure().get().retryable()) {
                a = work.call(backend, work.decision().getModel(), Duration.ofSeconds(30));
            }
            return a.success() ? work.complete() : work.fail(a.outcomeCode(), "gave up");
        };
    }

    private TierWorker worker(String workerId, RequestHandler handler, TierWorkerConfig.Builder config) {
        return worker(workerId, handler, config, FaultInjection.NONE);
    }

    private TierWorker worker(
            String workerId, RequestHandler handler, TierWorkerConfig.Builder config, FaultInjection faults) {
        return new TierWorker(
                        kafka.settings,
                        config.build(),
                        kafka.environment(Tier.CLOUD, workerId, Fixtures.PRICER),
                        handler,
                        kafka.inbound,
                        kafka.meters,
                        faults)
                .start();
    }

    private static RoutedRequest request(String id) {
        return Fixtures.cloud(id, TaskType.IMPLEMENTATION, HAIKU, List.of());
    }

    private static Map<String, Long> countBy(List<CostEvent> costs) {
        return costs.stream()
                .collect(Collectors.groupingBy(c -> c.getRequestId() + "#" + c.getAttempt(), Collectors.counting()));
    }

    @Test
    void everyRequestGetsOneResultAndOneCostEventPerAttemptWithCallsRunningConcurrently() {
        CountingBackend backend = new CountingBackend(
                call -> Duration.ofMillis(20 + Math.floorMod(call.requestId().hashCode(), 60)));
        int n = 40;
        for (int i = 0; i < n; i++) {
            kafka.send(request("req-" + i + (i % 10 == 0 ? "-flaky" : "")));
        }
        try (TierWorker worker =
                        worker("w1", retryOnce(backend), kafka.config("w1").maxInFlight(4));
                TopicReader<InferenceResult> results = kafka.reader(kafka.results, true);
                TopicReader<CostEvent> costs = kafka.reader(kafka.costs, true)) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> results.poll().size() >= n && costs.poll().size() >= n + 4);
            await().atMost(Duration.ofSeconds(10)).until(() -> kafka.committedTotal() == n);
            // nothing more arrives
            await().during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> results.poll().size() == n);

            List<InferenceResult> all = results.poll();
            assertThat(all.stream().map(InferenceResult::getRequestId).distinct())
                    .hasSize(n);
            assertThat(all).allMatch(r -> r.getStatus() == ResultStatus.COMPLETED);
            assertThat(all)
                    .filteredOn(r -> r.getRequestId().endsWith("-flaky"))
                    .hasSize(4)
                    .allMatch(r -> r.getAttempts() == 2);
            assertThat(countBy(costs.poll()))
                    .hasSize(n + 4)
                    .allSatisfy((k, v) -> assertThat(v).isEqualTo(1L));
            assertThat(backend.maxRunning.get()).isBetween(2, 4);
            assertThat(worker.inFlight()).isZero();
        }
    }

    @Test
    void aWorkerKilledMidCallIsReplacedAndEveryCallAProviderServedIsBilled() {
        // worker A: the first three requests answer at once, the next three hang in the model call
        CountingBackend a = new CountingBackend(call -> Duration.ZERO);
        a.gate = new CountDownLatch(1);
        a.gated = Set.of("k-3", "k-4", "k-5");
        CountingBackend b = new CountingBackend(call -> Duration.ofMillis(5));
        try (TopicReader<InferenceResult> results = kafka.reader(kafka.results, true);
                TopicReader<CostEvent> costs = kafka.reader(kafka.costs, true);
                TopicReader<AttemptStarted> attempts = kafka.reader(kafka.attempts, true)) {
            KillSwitch killA = new KillSwitch();
            TierWorker workerA = worker("a", retryOnce(a), kafka.config("a").maxInFlight(8), killA);
            for (int i = 0; i < 3; i++) {
                kafka.send(request("k-" + i));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> results.poll().size() == 3);
            for (int i = 3; i < 6; i++) {
                kafka.send(request("k-" + i));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> a.running.get() == 3);

            killA.kill(workerA); // dies with three model calls in flight
            a.gate.countDown(); // ...which now complete: the provider served them, their outcomes die with A

            try (TierWorker workerB =
                    worker("b", retryOnce(b), kafka.config("b").maxInFlight(8))) {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> results.poll().size() >= 6 && costs.poll().size() >= 9);
                await().during(Duration.ofMillis(700))
                        .atMost(Duration.ofSeconds(5))
                        .until(() -> costs.poll().size() == 9 && results.poll().size() == 6);

                assertThat(results.poll())
                        .extracting(InferenceResult::getRequestId)
                        .containsExactlyInAnyOrder("k-0", "k-1", "k-2", "k-3", "k-4", "k-5");
                List<CostEvent> billed = costs.poll();
                // attempt numbers are unique: no call hides behind another's (requestId, attempt)
                assertThat(countBy(billed))
                        .hasSize(9)
                        .allSatisfy((k, v) -> assertThat(v).isEqualTo(1L));
                int providerCalls = 0;
                for (int i = 0; i < 6; i++) {
                    String id = "k-" + i;
                    int calls = a.calls(id) + b.calls(id);
                    providerCalls += calls;
                    assertThat(billed.stream().filter(c -> c.getRequestId().equals(id)))
                            .as("cost events of %s cover its %d provider call(s)", id, calls)
                            .hasSize(calls);
                }
                assertThat(providerCalls).isEqualTo(9);
                // what A committed was not done again
                for (String id : List.of("k-0", "k-1", "k-2")) {
                    assertThat(b.calls(id)).isZero();
                }
                // A's three open calls: settled by B at their worst case, in doubt; B's own calls are attempt 2
                for (String id : List.of("k-3", "k-4", "k-5")) {
                    assertThat(billed)
                            .filteredOn(c -> c.getRequestId().equals(id))
                            .extracting(CostEvent::getAttempt, CostEvent::getInDoubt, CostEvent::getSuccess)
                            .containsExactlyInAnyOrder(tuple(1, true, false), tuple(2, false, true));
                    InferenceResult result = results.poll().stream()
                            .filter(r -> r.getRequestId().equals(id))
                            .findFirst()
                            .orElseThrow();
                    assertThat(result.getAttempts()).isEqualTo(2);
                    assertThat(result.getTotalCostUsd())
                            .isEqualByComparingTo(billed.stream()
                                    .filter(c -> c.getRequestId().equals(id))
                                    .map(CostEvent::getCostUsd)
                                    .reduce(BigDecimal.ZERO, BigDecimal::add));
                }
                assertThat(billed).filteredOn(CostEvent::getInDoubt).hasSize(3);

                // the acceptance bound: the ledger (settled + in doubt) is at least the provider's invoice,
                // and above it by at most the worst case of the calls in flight at the kill
                BigDecimal perCall = Fixtures.PRICER
                        .priceAnswered(
                                HAIKU,
                                ModelResponse.builder("openrouter")
                                        .output("x")
                                        .usage(TokenUsage.of(1000, 200))
                                        .latency(Duration.ofMillis(1))
                                        .build())
                        .totalUsd();
                BigDecimal invoice = perCall.multiply(BigDecimal.valueOf(providerCalls));
                BigDecimal ledger = billed.stream().map(CostEvent::getCostUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
                List<AttemptStarted> started = attempts.poll();
                BigDecimal worstInFlight = started.stream()
                        .filter(s -> Set.of("k-3", "k-4", "k-5").contains(s.getRequestId()) && s.getAttempt() == 1)
                        .map(s -> s.getWorstCase().getCostUsd())
                        .reduce(BigDecimal.ZERO, BigDecimal::add);
                assertThat(worstInFlight).isPositive();
                assertThat(ledger).isGreaterThanOrEqualTo(invoice);
                assertThat(ledger.subtract(invoice)).isLessThanOrEqualTo(worstInFlight);
                // every call was written ahead, once
                assertThat(started)
                        .extracting(s -> s.getRequestId() + "#" + s.getAttempt())
                        .doesNotHaveDuplicates()
                        .hasSize(9);
                assertThat(workerB.inFlight()).isZero();
            }
        }
    }

    @Test
    void aDuplicateRecordOfAServedRequestIsNotServedAgainByThisOrAnotherInstance() {
        CountingBackend backend = new CountingBackend(call -> Duration.ofMillis(50));
        try (TopicReader<InferenceResult> results = kafka.reader(kafka.results, true);
                TopicReader<CostEvent> costs = kafka.reader(kafka.costs, true)) {
            TierWorker first =
                    worker("d1", retryOnce(backend), kafka.config("d1").maxInFlight(4));
            // two copies back to back: the second arrives while the first is still in hand
            kafka.send(request("dup-1"));
            kafka.send(request("dup-1"));
            await().atMost(Duration.ofSeconds(30)).until(() -> kafka.committedTotal() == 2);
            // a third copy after the first committed
            kafka.send(request("dup-1"));
            await().atMost(Duration.ofSeconds(30)).until(() -> kafka.committedTotal() == 3);
            first.close();

            // a fourth copy, read by another instance: it knows the request from inference.attempts
            kafka.send(request("dup-1"));
            try (TierWorker second = worker("d2", retryOnce(backend), kafka.config("d2"))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> kafka.committedTotal() == 4);
                await().during(Duration.ofMillis(500))
                        .atMost(Duration.ofSeconds(5))
                        .until(() -> results.poll().size() == 1);
                assertThat(backend.calls("dup-1")).isEqualTo(1);
                assertThat(results.poll())
                        .singleElement()
                        .satisfies(r -> assertThat(r.getAttempts()).isEqualTo(1));
                assertThat(costs.poll())
                        .singleElement()
                        .satisfies(c -> assertThat(c.getInDoubt()).isFalse());
                assertThat(kafka.meters.find("tiergate.worker.duplicates.skipped").counters().stream()
                                .mapToDouble(c -> c.count())
                                .sum())
                        .isEqualTo(3.0);
                assertThat(second.inFlight()).isZero();
            }
        }
    }

    @Test
    void aStaticMemberRestartedUnderItsIdTakesItsPartitionsBackWithoutWaitingForTheDeadSession() {
        CountingBackend backend = new CountingBackend(call -> Duration.ZERO);
        // a dead member's session would hold its partitions for 45 s (the client default)
        TierWorkerConfig.Builder config = kafka.config("s1")
                .consumer(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 45_000)
                .staticMembership();
        try (TopicReader<InferenceResult> results = kafka.reader(kafka.results, true)) {
            KillSwitch killFirst = new KillSwitch();
            TierWorker first = worker("s1", retryOnce(backend), config, killFirst);
            kafka.send(request("s-1"));
            await().atMost(Duration.ofSeconds(30)).until(() -> results.poll().size() == 1);
            assertThat(kafka.groupInstanceIds()).containsExactly("s1");

            killFirst.kill(first); // no leave-group: the broker still counts the dead member in
            assertThat(kafka.groupInstanceIds()).containsExactly("s1");
            kafka.send(request("s-2"));

            long restartedAt = System.nanoTime();
            try (TierWorker restarted = worker("s1", retryOnce(backend), config)) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> results.poll().size() == 2);
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartedAt);
                assertThat(tookMs)
                        .as("restart to first result, ms (a dead dynamic member holds its partitions 45 s)")
                        .isLessThan(20_000);
                assertThat(kafka.groupInstanceIds()).containsExactly("s1");
                assertThat(restarted.running()).isTrue();
            }
            // a graceful close leaves at once, static or not: a scaled-down instance does not stall its partitions
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> kafka.groupInstanceIds().isEmpty());
        }
    }

    @Test
    void outputsOfATransactionThatNeverCommittedAreInvisibleToReadCommittedReaders() {
        CountingBackend backend = new CountingBackend(call -> Duration.ZERO);
        try (TopicReader<CostEvent> committed = kafka.reader(kafka.costs, true);
                TopicReader<CostEvent> uncommitted = kafka.reader(kafka.costs, false);
                TopicReader<InferenceResult> results = kafka.reader(kafka.results, true)) {
            KillSwitch killFirst = new KillSwitch();
            killFirst.killBeforeNextCommit();
            TierWorker first = worker("stable-id", retryOnce(backend), kafka.config("stable-id"), killFirst);
            kafka.send(request("t-1"));
            // the outputs reached the log, the commit never happened
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> uncommitted.poll().size() == 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> !first.running());

            // a restart under the same id fences the dead producer and aborts its transaction at once
            try (TierWorker restarted = worker("stable-id", retryOnce(backend), kafka.config("stable-id"))) {
                await().atMost(Duration.ofSeconds(60))
                        .until(() ->
                                results.poll().size() == 1 && committed.poll().size() == 2);
                await().during(Duration.ofMillis(500))
                        .atMost(Duration.ofSeconds(5))
                        .until(() -> committed.poll().size() == 2);
                // all three physically there: the aborted bill of attempt 1, then its in-doubt bill and attempt 2
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> uncommitted.poll().size() >= 3);
                assertThat(uncommitted.poll()).hasSize(3);
                // the model was called twice: the call whose bill never committed is billed in doubt,
                // the retry carries the next attempt number
                assertThat(committed.poll())
                        .extracting(CostEvent::getAttempt, CostEvent::getInDoubt)
                        .containsExactly(tuple(1, true), tuple(2, false));
                assertThat(backend.calls("t-1")).isEqualTo(2);
                assertThat(results.poll())
                        .singleElement()
                        .satisfies(r -> assertThat(r.getAttempts()).isEqualTo(2));
                assertThat(restarted.running()).isTrue();
            }
        }
    }

    @Test
    void aSovereignRequestIsRejectedInsteadOfHandedToTheCloudAndOthersAreHandedOn() {
        CountingBackend backend = new CountingBackend(call -> Duration.ZERO);
        RequestHandler escalateAlways = work -> {
            work.call(backend, work.decision().getModel(), Duration.ofSeconds(5));
            return work.handOff(Tier.CLOUD, HAIKU, List.of(), "output is not JSON");
        };
        RoutedRequest open = Fixtures.local("h-open", TaskType.EXTRACTION, List.of(HAIKU));
        RoutedRequest sovereign = Fixtures.routed(
                "h-sovereign", TaskType.EXTRACTION, Tier.LOCAL, "qwen3:8b", List.of(HAIKU), false, true, false);
        kafka.send(open);
        kafka.send(sovereign);
        try (TierWorker worker = new TierWorker(
                                kafka.settings,
                                kafka.config("lw").build(),
                                kafka.environment(Tier.LOCAL, "lw", Fixtures.PRICER),
                                escalateAlways,
                                kafka.inbound,
                                kafka.meters)
                        .start();
                TopicReader<InferenceResult> results = kafka.reader(kafka.results, true);
                TopicReader<RoutedRequest> cloud = kafka.reader(kafka.cloudHandOff, true);
                TopicReader<CostEvent> costs = kafka.reader(kafka.costs, true)) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> results.poll().size() == 1 && cloud.poll().size() == 1);
            await().during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> cloud.poll().size() == 1);

            assertThat(cloud.poll()).singleElement().satisfies(r -> {
                assertThat(r.getClassified().getRequest().getRequestId()).isEqualTo("h-open");
                assertThat(r.getAttempt()).isEqualTo(2);
                assertThat(r.getPriorCostUsd()).isPositive();
            });
            assertThat(results.poll()).singleElement().satisfies(r -> {
                assertThat(r.getRequestId()).isEqualTo("h-sovereign");
                assertThat(r.getStatus()).isEqualTo(ResultStatus.REJECTED);
                assertThat(r.getErrorCode()).isEqualTo("sovereignty_violation");
            });
            // the sovereign request's local attempt is still billed
            await().atMost(Duration.ofSeconds(10)).until(() -> costs.poll().size() == 2);
            assertThat(worker.inFlight()).isZero();
        }
    }

    @Test
    void callsSlowerThanMaxPollIntervalDoNotCostThePartitions() {
        // 6 calls of 1.5 s, 2 at a time, with max.poll.interval.ms = 1 s: a loop that waited on calls would be evicted
        CountingBackend backend = new CountingBackend(call -> Duration.ofMillis(1500));
        for (int i = 0; i < 6; i++) {
            kafka.send(request("slow-" + i));
        }
        try (TierWorker worker = worker(
                        "slow",
                        retryOnce(backend),
                        kafka.config("slow")
                                .maxInFlight(2)
                                .consumer(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 1000));
                TopicReader<InferenceResult> results = kafka.reader(kafka.results, true)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> results.poll().size() == 6);
            assertThat(backend.maxRunning.get()).isEqualTo(2);
            assertThat(kafka.meters.find("tiergate.worker.partitions.lost").counter())
                    .isNull();
            assertThat(kafka.meters.find("tiergate.worker.partitions.revoked").counter())
                    .isNull();
            assertThat(backend.callsById.values()).allMatch(c -> c.get() == 1);
            assertThat(worker.assignment()).hasSize(3);
        }
    }
}
