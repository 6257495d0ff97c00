package io.tiergate.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tiergate.schemas.cost.TokenUsage;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.worker.Fixtures;
import io.tiergate.worker.backend.ModelBackend;
import io.tiergate.worker.backend.ModelCall;
import io.tiergate.worker.backend.ModelCallException;
import io.tiergate.worker.backend.ModelResponse;
import io.tiergate.worker.work.Work;
import io.tiergate.worker.work.WorkEnvironment;
import io.tiergate.worker.work.WorkOutcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkerMetricsTest {

    private static final String HAIKU = "anthropic/claude-haiku-4.5";
    private static final WorkEnvironment ENV = WorkEnvironment.of(Tier.CLOUD, "cw-1", Fixtures.PRICER);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final InFlightLedger<String, String> ledger = new InFlightLedger<>();
    private final WorkerMetrics metrics = new WorkerMetrics(registry, Tier.CLOUD, ledger);

    /** Fails with a 429 on attempts listed in {@code failing}, answers otherwise. */
    private static ModelBackend backend(int... failing) {
        return new ModelBackend() {
            @Override
            public String provider() {
                return "openrouter";
            }

            @Override
            public ModelResponse call(ModelCall call) throws ModelCallException {
                for (int f : failing) {
                    if (call.attempt() == f) {
                        throw ModelCallException.retryable("rate_limited", "429", 429, Duration.ZERO);
                    }
                }
                return ModelResponse.builder("openrouter")
                        .output("ok")
                        .usage(TokenUsage.of(1000, 200))
                        .latency(Duration.ofMillis(300))
                        .build();
            }
        };
    }

    /** A request completed after a rate-limited first attempt: two attempts, both on haiku. */
    private static Work retriedOnce(String id) {
        Work work = new Work(Fixtures.cloud(id, TaskType.IMPLEMENTATION, HAIKU, List.of()), ENV);
        ModelBackend backend = backend(1);
        work.call(backend, HAIKU, Duration.ofSeconds(5));
        work.call(backend, HAIKU, Duration.ofSeconds(5));
        return work;
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    @Test
    void theFixedMetersExistFromTheStart() {
        assertThat(count("tiergate.worker.transactions", "tier", "CLOUD", "result", "committed"))
                .isZero();
        assertThat(count("tiergate.worker.transactions", "tier", "CLOUD", "result", "aborted"))
                .isZero();
        assertThat(registry.get("tiergate.worker.in.flight")
                        .tag("tier", "CLOUD")
                        .gauge()
                        .value())
                .isZero();
    }

    @Test
    void inFlightFollowsTheLedger() {
        ledger.track("p0", 0, "a");
        ledger.track("p0", 1, "b");
        assertThat(registry.get("tiergate.worker.in.flight").gauge().value()).isEqualTo(2.0);

        ledger.drop(List.of("p0"));
        assertThat(registry.get("tiergate.worker.in.flight").gauge().value()).isZero();
    }

    @Test
    void transactionsAreCountedByResult() {
        metrics.transactionCommitted();
        metrics.transactionCommitted();
        metrics.transactionAborted();

        assertThat(count("tiergate.worker.transactions", "result", "committed")).isEqualTo(2.0);
        assertThat(count("tiergate.worker.transactions", "result", "aborted")).isEqualTo(1.0);
    }

    @Test
    void aCommittedRequestCountsItsOutcomeAttemptsLatencyAndCost() {
        Work work = retriedOnce("m-1");
        WorkOutcome outcome = work.complete();

        metrics.committed(outcome, work.attempts());

        assertThat(count("tiergate.worker.requests", "tier", "CLOUD", "outcome", "COMPLETED", "simulated", "false"))
                .isEqualTo(1.0);
        assertThat(count(
                        "tiergate.worker.attempts",
                        "model",
                        HAIKU,
                        "reason",
                        "PRIMARY",
                        "success",
                        "false",
                        "simulated",
                        "false"))
                .isEqualTo(1.0);
        assertThat(count(
                        "tiergate.worker.attempts",
                        "model",
                        HAIKU,
                        "reason",
                        "RETRY",
                        "success",
                        "true",
                        "simulated",
                        "false"))
                .isEqualTo(1.0);
        assertThat(registry.get("tiergate.worker.attempt.latency")
                        .tags("model", HAIKU)
                        .timer()
                        .count())
                .isEqualTo(2);
        assertThat(registry.get("tiergate.worker.attempt.latency").timer().totalTime(TimeUnit.MILLISECONDS))
                .isGreaterThanOrEqualTo(300);
        assertThat(count("tiergate.worker.cost.usd", "tier", "CLOUD", "model", HAIKU, "simulated", "false"))
                .isEqualTo(work.costUsd().doubleValue())
                .isPositive();
    }

    @Test
    void laterRequestsReuseTheMetersOfTheFirst() {
        Work first = retriedOnce("m-2");
        metrics.committed(first.complete(), first.attempts());
        List<Meter> afterFirst = registry.getMeters();

        Work second = retriedOnce("m-3");
        metrics.committed(second.complete(), second.attempts());

        assertThat(registry.getMeters()).containsExactlyInAnyOrderElementsOf(afterFirst);
        assertThat(count("tiergate.worker.requests", "outcome", "COMPLETED")).isEqualTo(2.0);
        assertThat(registry.get("tiergate.worker.attempt.latency").timer().count())
                .isEqualTo(4);
    }

    @Test
    void aRecordThatNeverBecameARequestCountsAsNoneAndNothingElse() {
        metrics.committed(WorkOutcome.none(), List.of());

        assertThat(count("tiergate.worker.requests", "outcome", "NONE", "simulated", "false"))
                .isEqualTo(1.0);
        assertThat(registry.find("tiergate.worker.attempts").counter()).isNull();
        assertThat(registry.find("tiergate.worker.cost.usd").counter()).isNull();
    }

    @Test
    void partitionEventsHaveNoSeriesUntilOneHappens() {
        assertThat(registry.find("tiergate.worker.partitions.revoked").counter())
                .isNull();
        assertThat(registry.find("tiergate.worker.partitions.lost").counter()).isNull();

        metrics.partitionsRevoked(2);
        metrics.partitionsRevoked(1);
        metrics.partitionsLost(3);

        assertThat(count("tiergate.worker.partitions.revoked", "tier", "CLOUD")).isEqualTo(3.0);
        assertThat(count("tiergate.worker.partitions.lost", "tier", "CLOUD")).isEqualTo(3.0);
    }

    @Test
    void outcomesThatDidNotHappenHaveNoSeries() {
        Work work = retriedOnce("m-4");
        metrics.committed(work.fail("gave_up", "no"), work.attempts());

        assertThat(count("tiergate.worker.requests", "outcome", "FAILED")).isEqualTo(1.0);
        assertThat(registry.find("tiergate.worker.requests")
                        .tag("outcome", "COMPLETED")
                        .counter())
                .isNull();
        assertThat(registry.find("tiergate.worker.requests")
                        .tag("simulated", "true")
                        .counter())
                .isNull();
    }
}
