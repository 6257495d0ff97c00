package io.tiergate.ledger.kafka;

import io.tiergate.ledger.budget.BudgetAssessment;
import io.tiergate.ledger.budget.BudgetAssessor;
import io.tiergate.ledger.budget.BudgetPolicy;
import io.tiergate.ledger.budget.ScopeSpend;
import io.tiergate.ledger.metrics.LedgerMetrics;
import io.tiergate.ledger.scope.BudgetChange;
import io.tiergate.ledger.scope.ScopeInput;
import io.tiergate.ledger.scope.ScopedCost;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.events.Tier;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Joins a scope's counted costs with its budget and publishes {@code budget.status}:
 *
 * <ul>
 *   <li>a budget change (new, raised, lowered, removed) publishes at once — a raise that drops the
 *       level is how the router learns to release deferred work;
 *   <li>a cost publishes at once when it changes the level, the anomaly flag or the period;
 *   <li>otherwise a wall-clock punctuation publishes every scope whose spend changed, at least
 *       every {@code statusInterval}, and any scope whose level moved with time alone (a period
 *       rolled over, the burn-rate forecast changed).
 * </ul>
 *
 * "Now" is max(wall clock, latest event time of the scope): see {@link ScopeSpend}.
 */
final class BudgetTracker implements Processor<String, ScopeInput, String, BudgetStatus> {

    private final BudgetAssessor assessor;
    private final boolean localSpendCounts;
    private final Duration statusInterval;
    private final LedgerMetrics metrics;
    private ProcessorContext<String, BudgetStatus> context;
    private KeyValueStore<String, BudgetPolicy> budgets;
    private KeyValueStore<String, ScopeSpend> spend;
    private KeyValueStore<String, BudgetStatus> published;

    BudgetTracker(BudgetAssessor assessor, boolean localSpendCounts, Duration statusInterval, LedgerMetrics metrics) {
        this.assessor = assessor;
        this.localSpendCounts = localSpendCounts;
        this.statusInterval = statusInterval;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, BudgetStatus> context) {
        this.context = context;
        this.budgets = context.getStateStore(LedgerStores.BUDGETS);
        this.spend = context.getStateStore(LedgerStores.SCOPE_SPEND);
        this.published = context.getStateStore(LedgerStores.BUDGET_STATUS);
        context.schedule(statusInterval, PunctuationType.WALL_CLOCK_TIME, this::publishDue);
    }

    @Override
    public void process(Record<String, ScopeInput> record) {
        ScopeInput input = record.value();
        if (input instanceof ScopedCost cost) {
            count(cost);
        } else if (input instanceof BudgetChange change) {
            apply(change);
        }
    }

    private void count(ScopedCost cost) {
        String scope = cost.scope();
        BudgetPolicy policy = policy(scope);
        ScopeSpend scopeSpend = spendOf(scope);
        long now = Math.max(context.currentSystemTimeMs(), Math.max(cost.occurredAtMs(), scopeSpend.lastEventAt()));
        boolean counts = localSpendCounts || cost.tier() != Tier.LOCAL;
        ScopeSpend.Placement placement =
                scopeSpend.record(cost.occurredAtMs(), cost.costUsd(), counts, now, policy.zone());
        if (placement != ScopeSpend.Placement.RUNNING_DAY) {
            metrics.countedBeforeRunningPeriod(scope);
        }
        BudgetAssessment assessment = assessor.assess(policy, scopeSpend, now);
        BudgetStatus last = published.get(scope);
        if (last == null || changedMaterially(last, assessment)) {
            publish(policy, assessment, scopeSpend, now);
        }
        spend.put(scope, scopeSpend);
    }

    private void apply(BudgetChange change) {
        String scope = change.scope();
        BudgetPolicy policy;
        if (change.removal()) {
            budgets.delete(scope);
            policy = BudgetPolicy.unlimited(scope);
        } else {
            budgets.put(scope, change.policy());
            policy = change.policy();
        }
        ScopeSpend stored = spend.get(scope);
        ScopeSpend scopeSpend = stored == null ? new ScopeSpend(scope) : stored;
        long now = Math.max(context.currentSystemTimeMs(), scopeSpend.lastEventAt());
        scopeSpend.rollTo(now, policy.zone());
        publish(policy, assessor.assess(policy, scopeSpend, now), scopeSpend, now);
        if (stored != null) {
            spend.put(scope, scopeSpend);
        }
    }

    /** The punctuation: publish what changed since the last status, and what time alone changed. */
    private void publishDue(long wallClockMs) {
        for (String scope : scopes()) {
            BudgetPolicy policy = policy(scope);
            ScopeSpend stored = spend.get(scope);
            ScopeSpend view = stored == null ? new ScopeSpend(scope) : stored.copy();
            long now = Math.max(wallClockMs, view.lastEventAt());
            view.rollTo(now, policy.zone());
            BudgetAssessment assessment = assessor.assess(policy, view, now);
            BudgetStatus last = published.get(scope);
            boolean spendChanged = stored != null && stored.dirty();
            if (spendChanged || last == null || changedMaterially(last, assessment)) {
                publish(policy, assessment, view, now);
                if (stored != null) {
                    spend.put(scope, view);
                }
            }
        }
    }

    private Set<String> scopes() {
        Set<String> scopes = new TreeSet<>();
        try (KeyValueIterator<String, ScopeSpend> all = spend.all()) {
            all.forEachRemaining(entry -> scopes.add(entry.key));
        }
        try (KeyValueIterator<String, BudgetPolicy> all = budgets.all()) {
            all.forEachRemaining((KeyValue<String, BudgetPolicy> entry) -> scopes.add(entry.key));
        }
        return scopes;
    }

    private static boolean changedMaterially(BudgetStatus last, BudgetAssessment now) {
        return last.getLevel() != now.level()
                || last.getAnomaly() != now.anomaly()
                || last.getPeriodDayStart().toEpochMilli() != now.dayStartMs()
                || last.getPeriodMonthStart().toEpochMilli() != now.monthStartMs();
    }

    private void publish(BudgetPolicy policy, BudgetAssessment assessment, ScopeSpend scopeSpend, long now) {
        long wallClock = context.currentSystemTimeMs();
        BudgetStatus status = BudgetStatus.newBuilder()
                .setScope(assessment.scope())
                .setLevel(assessment.level())
                .setOnExhausted(policy.onExhausted())
                .setDailySpendUsd(assessment.dailySpendUsd())
                .setDailyLimitUsd(assessment.dailyLimitUsd())
                .setMonthlySpendUsd(assessment.monthlySpendUsd())
                .setMonthlyLimitUsd(assessment.monthlyLimitUsd())
                .setUtilization(assessment.utilization())
                .setBurnRateUsdPerHour(assessment.burnRateUsdPerHour())
                .setForecastExhaustionAt(
                        assessment.forecastExhaustionAtMs() == null
                                ? null
                                : Instant.ofEpochMilli(assessment.forecastExhaustionAtMs()))
                .setAnomaly(assessment.anomaly())
                .setPeriodDayStart(Instant.ofEpochMilli(assessment.dayStartMs()))
                .setPeriodMonthStart(Instant.ofEpochMilli(assessment.monthStartMs()))
                .setUpdatedAt(Instant.ofEpochMilli(Math.max(wallClock, now)))
                .build();
        scopeSpend.markEmitted();
        published.put(assessment.scope(), status);
        metrics.statusPublished(assessment);
        context.forward(new Record<>(assessment.scope(), status, wallClock));
    }

    private BudgetPolicy policy(String scope) {
        BudgetPolicy policy = budgets.get(scope);
        return policy == null ? BudgetPolicy.unlimited(scope) : policy;
    }

    private ScopeSpend spendOf(String scope) {
        ScopeSpend stored = spend.get(scope);
        return stored == null ? new ScopeSpend(scope) : stored;
    }
}
