package io.tiergate.ledger.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tiergate.ledger.budget.BudgetAssessment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Micrometer meters of the ledger (exported on /prometheus):
 *
 * <ul>
 *   <li>{@code tiergate.ledger.anomaly{scope}} gauge, 1 while budget.status carries the anomaly
 *       flag; {@code tiergate.ledger.anomaly.raised{scope}} counts its rising edges
 *   <li>{@code tiergate.ledger.budget.level{scope}} gauge: 0 NORMAL, 1 CONSERVE, 2 CRITICAL_ONLY,
 *       3 EXHAUSTED; {@code tiergate.ledger.budget.utilization{scope}} gauge
 *   <li>{@code tiergate.ledger.duplicates} counter of ignored redeliveries
 *   <li>{@code tiergate.ledger.budget.before.period{scope}} counter of costs dated before the
 *       running period
 *   <li>{@code tiergate.dlq.records{topic}} counter, as every service reports its dead letters
 * </ul>
 */
public final class MicrometerLedgerMetrics implements LedgerMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> anomaly = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> level = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> utilizationBits = new ConcurrentHashMap<>();

    public MicrometerLedgerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void deadLettered(String topic) {
        registry.counter("tiergate.dlq.records", "topic", topic).increment();
    }

    @Override
    public void duplicateIgnored() {
        registry.counter("tiergate.ledger.duplicates").increment();
    }

    @Override
    public void countedBeforeRunningPeriod(String scope) {
        registry.counter("tiergate.ledger.budget.before.period", "scope", scope).increment();
    }

    @Override
    public void statusPublished(BudgetAssessment assessment) {
        String scope = assessment.scope();
        int flag = assessment.anomaly() ? 1 : 0;
        int previous = gauge(anomaly, "tiergate.ledger.anomaly", scope).getAndSet(flag);
        if (flag == 1 && previous == 0) {
            registry.counter("tiergate.ledger.anomaly.raised", "scope", scope).increment();
        }
        gauge(level, "tiergate.ledger.budget.level", scope)
                .set(assessment.level().ordinal());
        utilizationBits
                .computeIfAbsent(scope, s -> {
                    AtomicLong bits = new AtomicLong();
                    Gauge.builder("tiergate.ledger.budget.utilization", bits, b -> Double.longBitsToDouble(b.get()))
                            .tag("scope", s)
                            .register(registry);
                    return bits;
                })
                .set(Double.doubleToLongBits(assessment.utilization()));
        registry.counter("tiergate.ledger.status.published").increment();
    }

    private AtomicInteger gauge(Map<String, AtomicInteger> gauges, String name, String scope) {
        return gauges.computeIfAbsent(scope, s -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder(name, value, AtomicInteger::get).tag("scope", s).register(registry);
            return value;
        });
    }
}
