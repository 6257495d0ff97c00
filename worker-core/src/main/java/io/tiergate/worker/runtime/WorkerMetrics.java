package io.tiergate.worker.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.Tier;
import io.tiergate.worker.work.Attempt;
import io.tiergate.worker.work.WorkOutcome;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A worker's meters (README, "Metrics"; names {@code tiergate.worker.*}, tag {@code tier}), each
 * built once. The ones with fixed tags are registered here; the others are registered the first time
 * their tags occur and kept: a series for an outcome, model or partition event that never happened
 * would read as "it happened zero times", and tests and dashboards read a series' presence
 * ({@code partitions.lost} absent = no partition was ever lost).
 */
public final class WorkerMetrics {

    private final MeterRegistry registry;
    private final String tier;
    private final Counter committed;
    private final Counter aborted;
    private final Map<RequestKey, Counter> requests = new ConcurrentHashMap<>();
    private final Map<AttemptKey, Counter> attempts = new ConcurrentHashMap<>();
    private final Map<ModelKey, Timer> latencies = new ConcurrentHashMap<>();
    private final Map<ModelKey, Counter> costs = new ConcurrentHashMap<>();
    private volatile Counter revoked;
    private volatile Counter lost;

    private record RequestKey(WorkOutcome.Kind outcome, boolean simulated) {}

    private record AttemptKey(String model, CostReason reason, boolean success, boolean simulated) {}

    private record ModelKey(String model, boolean simulated) {}

    /** Registers the fixed meters; {@code inFlight} is observed for {@code tiergate.worker.in.flight}. */
    public WorkerMetrics(MeterRegistry registry, Tier tier, InFlightLedger<?, ?> inFlight) {
        this.registry = registry;
        this.tier = tier.name();
        Gauge.builder("tiergate.worker.in.flight", inFlight, InFlightLedger::size)
                .tag("tier", this.tier)
                .register(registry);
        this.committed = registry.counter("tiergate.worker.transactions", "tier", this.tier, "result", "committed");
        this.aborted = registry.counter("tiergate.worker.transactions", "tier", this.tier, "result", "aborted");
    }

    public void transactionCommitted() {
        committed.increment();
    }

    public void transactionAborted() {
        aborted.increment();
    }

    /** A request whose outputs were committed, and the attempts it made here. */
    public void committed(WorkOutcome outcome, List<Attempt> madeHere) {
        boolean simulated = outcome.result().map(InferenceResult::getSimulated).orElse(false);
        requests.computeIfAbsent(
                        new RequestKey(outcome.kind(), simulated),
                        k -> registry.counter(
                                "tiergate.worker.requests",
                                "tier",
                                tier,
                                "outcome",
                                k.outcome().name(),
                                "simulated",
                                Boolean.toString(k.simulated())))
                .increment();
        for (Attempt a : madeHere) {
            attempts.computeIfAbsent(
                            new AttemptKey(a.model(), a.reason(), a.success(), a.simulated()),
                            k -> registry.counter(
                                    "tiergate.worker.attempts",
                                    "tier",
                                    tier,
                                    "model",
                                    k.model(),
                                    "reason",
                                    k.reason().name(),
                                    "success",
                                    Boolean.toString(k.success()),
                                    "simulated",
                                    Boolean.toString(k.simulated())))
                    .increment();
            latencies
                    .computeIfAbsent(
                            new ModelKey(a.model(), a.simulated()),
                            k -> Timer.builder("tiergate.worker.attempt.latency")
                                    .tags(
                                            "tier",
                                            tier,
                                            "model",
                                            k.model(),
                                            "simulated",
                                            Boolean.toString(k.simulated()))
                                    .register(registry))
                    .record(a.latency());
        }
        for (CostEvent c : outcome.costEvents()) {
            // metrics are approximate by nature; the exact figure is the CostEvent's decimal
            costs.computeIfAbsent(
                            new ModelKey(c.getModel(), c.getSimulated()),
                            k -> registry.counter(
                                    "tiergate.worker.cost.usd",
                                    "tier",
                                    tier,
                                    "model",
                                    k.model(),
                                    "simulated",
                                    Boolean.toString(k.simulated())))
                    .increment(c.getCostUsd().doubleValue());
        }
    }

    /** A record not served because an earlier record of the same request was (docs/delivery.md, "Write-ahead attempts"). */
    public void duplicateSkipped() {
        registry.counter("tiergate.worker.duplicates.skipped", "tier", tier).increment();
    }

    /** Attempts a dead worker left open, billed in doubt at their worst case in a committed outcome. */
    public void inDoubtSettled(int count) {
        if (count > 0) {
            registry.counter("tiergate.worker.attempts.in.doubt", "tier", tier).increment(count);
        }
    }

    public void partitionsRevoked(int count) {
        if (revoked == null) {
            revoked = registry.counter("tiergate.worker.partitions.revoked", "tier", tier);
        }
        revoked.increment(count);
    }

    public void partitionsLost(int count) {
        if (lost == null) {
            lost = registry.counter("tiergate.worker.partitions.lost", "tier", tier);
        }
        lost.increment(count);
    }
}
