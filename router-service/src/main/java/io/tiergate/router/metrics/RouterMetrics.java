package io.tiergate.router.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tiergate.router.budget.BudgetGate;
import io.tiergate.router.budget.ReservationLedger;
import io.tiergate.router.policy.Decision;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.policy.BudgetLevelRule;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The router's meters (Prometheus via /prometheus):
 * <ul>
 *   <li>{@code tiergate.router.decisions} counter by action, tier, model, rule, task_type;
 *   <li>{@code tiergate.router.decision.latency} timer: policy + reservation + handing the records to
 *       the producer, per request;
 *   <li>{@code tiergate.router.budget.level} gauge per scope: 0 NORMAL, 1 CONSERVE, 2 CRITICAL_ONLY,
 *       3 EXHAUSTED (effective, reservations included);
 *   <li>{@code tiergate.router.reservations.outstanding} (count) and
 *       {@code tiergate.router.reservations.outstanding.usd} gauges, {@code ...settled.usd} gauge,
 *       {@code tiergate.router.reservations.expired} (function counter);
 *   <li>{@code tiergate.router.sovereignty.blocked} counter: cloud writes refused by the guard (must stay 0);
 *   <li>{@code tiergate.router.duplicates.skipped} counter: records of an already decided request not decided again.
 * </ul>
 */
public final class RouterMetrics {

    private final MeterRegistry registry;
    private final Timer decisionLatency;
    private final Counter sovereigntyBlocked;
    private final Counter duplicatesSkipped;
    private final Map<String, Counter> decisions = new ConcurrentHashMap<>();

    public RouterMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.decisionLatency = Timer.builder("tiergate.router.decision.latency")
                .description("Time to decide one request and hand its records to the producer")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        this.sovereigntyBlocked = Counter.builder("tiergate.router.sovereignty.blocked")
                .description("Sovereign requests refused at the cloud topic (defence in depth; must stay 0)")
                .register(registry);
        this.duplicatesSkipped = Counter.builder("tiergate.router.duplicates.skipped")
                .description("Records of a request decided within the dedupe window, not decided again")
                .register(registry);
    }

    /** Gauges over one router instance's budget view and reservations. */
    public void bind(BudgetGate gate, LongSupplier clockMs) {
        ReservationLedger ledger = gate.ledger();
        Gauge.builder(
                        "tiergate.router.reservations.outstanding",
                        ledger,
                        l -> l.stats(clockMs.getAsLong()).openCount())
                .description("Open reservations (cloud decisions awaiting their cost event)")
                .register(registry);
        Gauge.builder(
                        "tiergate.router.reservations.outstanding.usd",
                        ledger,
                        l -> l.stats(clockMs.getAsLong()).openUsd().doubleValue())
                .description("USD held by open reservations")
                .baseUnit("usd")
                .register(registry);
        Gauge.builder(
                        "tiergate.router.reservations.settled.usd",
                        ledger,
                        l -> l.stats(clockMs.getAsLong()).settledUsd().doubleValue())
                .description("USD of actual costs seen but not yet in budget.status")
                .baseUnit("usd")
                .register(registry);
        registry.more()
                .counter(
                        "tiergate.router.reservations.expired",
                        java.util.List.of(),
                        ledger,
                        l -> l.stats(clockMs.getAsLong()).expired());
        gate.book()
                .onNewScope(scope -> Gauge.builder(
                                "tiergate.router.budget.level",
                                gate,
                                g -> gaugeValue(g.scope(scope).level()))
                        .description("Effective budget level: 0 NORMAL, 1 CONSERVE, 2 CRITICAL_ONLY, 3 EXHAUSTED")
                        .tag("scope", scope)
                        .register(registry));
    }

    /** The level gauge's value: 0 NORMAL, 1 CONSERVE, 2 CRITICAL_ONLY, 3 EXHAUSTED (UNKNOWN reads as EXHAUSTED). */
    static int gaugeValue(BudgetLevel level) {
        return BudgetLevelRule.known(level).ordinal();
    }

    public void decided(Decision d, Duration took) {
        decisionLatency.record(took);
        String key = d.action() + "|" + d.tier() + "|" + d.model() + "|" + d.rule() + "|" + d.taskType();
        decisions
                .computeIfAbsent(
                        key,
                        k -> Counter.builder("tiergate.router.decisions")
                                .description("Routing decisions")
                                .tag("action", d.action().name())
                                .tag("tier", d.tier().name())
                                .tag("model", d.model())
                                .tag("rule", d.rule().name())
                                .tag("task_type", String.valueOf(d.taskType()))
                                .register(registry))
                .increment();
    }

    public void sovereigntyBlocked() {
        sovereigntyBlocked.increment();
    }

    public void duplicateSkipped() {
        duplicatesSkipped.increment();
    }

    public MeterRegistry registry() {
        return registry;
    }
}
