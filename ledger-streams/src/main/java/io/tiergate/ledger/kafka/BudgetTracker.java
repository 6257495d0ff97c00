package io.tiergate.ledger.kafka;

import io.tiergate.ledger.budget.BudgetAssessment;
import io.tiergate.ledger.budget.BudgetAssessor;
import io.tiergate.ledger.budget.BudgetPolicy;
import io.tiergate.ledger.budget.ScopeSpend;
import io.tiergate.ledger.metrics.LedgerMetrics;
import io.tiergate.ledger.scope.BudgetChange;
import io.tiergate.ledger.scope.CostsProgress;
import io.tiergate.ledger.scope.OpenAttempt;
import io.tiergate.ledger.scope.ScopeInput;
import io.tiergate.ledger.scope.ScopedCost;
import io.tiergate.ledger.scope.SettledCost;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.events.Tier;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
 *       rolled over, the burn-rate forecast changed);
 *   <li>and, the heartbeat, every scope with a budget whose last status is {@code heartbeatInterval}
 *       old or does not carry the cost offsets counted since: a router treats a budget whose status
 *       it has not seen for its staleness bound as stale, and drops a cost it holds only once a
 *       status covers its offset (docs/budgets.md, "Failing closed").
 * </ul>
 *
 * Every status carries {@code countedCostOffsets}: per inference.costs partition, the offset below
 * which every record has reached this task (from the {@link CostsProgress} markers, which arrive
 * behind the costs they cover), so the status includes all of its scope's costs below it.
 *
 * "Now" is max(wall clock, latest event time of the scope): see {@link ScopeSpend}.
 */
final class BudgetTracker implements Processor<String, ScopeInput, String, BudgetStatus> {

    /** Scopes whose decoded spend, budget and last status a task keeps in memory (each: one cost center). */
    private static final int SCOPES_CACHED = 1_024;

    private final BudgetAssessor assessor;
    private final boolean localSpendCounts;
    private final Duration statusInterval;
    private final long heartbeatIntervalMs;
    private final LedgerMetrics metrics;
    private ProcessorContext<String, BudgetStatus> context;
    // the three stores every cost reads, through a cache of decoded values (docs/benchmarks/ledger-streams.md)
    private StoreReadCache<BudgetPolicy> budgets;
    private StoreReadCache<ScopeSpend> spend;
    private StoreReadCache<BudgetStatus> published;
    private KeyValueStore<String, Long> countedOffsets;
    /** The store's content, in memory: every status carries it. */
    private final Map<String, Long> counted = new TreeMap<>();
    /**
     * Wall clock of each scope's last status from this incarnation of the task (not updatedAt, which
     * may run ahead with event time); after a restart every budget's heartbeat is due at once.
     */
    private final Map<String, Long> publishedAtWallClock = new HashMap<>();

    BudgetTracker(
            BudgetAssessor assessor,
            boolean localSpendCounts,
            Duration statusInterval,
            Duration heartbeatInterval,
            LedgerMetrics metrics) {
        this.assessor = assessor;
        this.localSpendCounts = localSpendCounts;
        this.statusInterval = statusInterval;
        this.heartbeatIntervalMs = heartbeatInterval.toMillis();
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, BudgetStatus> context) {
        this.context = context;
        // new caches on every init: a task revived after an aborted transaction reads its stores again
        this.budgets = new StoreReadCache<>(context.getStateStore(LedgerStores.BUDGETS), SCOPES_CACHED);
        this.spend = new StoreReadCache<>(context.getStateStore(LedgerStores.SCOPE_SPEND), SCOPES_CACHED);
        this.published = new StoreReadCache<>(context.getStateStore(LedgerStores.BUDGET_STATUS), SCOPES_CACHED);
        this.countedOffsets = context.getStateStore(LedgerStores.COUNTED_COST_OFFSETS);
        counted.clear();
        try (KeyValueIterator<String, Long> all = countedOffsets.all()) {
            all.forEachRemaining(entry -> counted.put(entry.key, entry.value));
        }
        context.schedule(statusInterval, PunctuationType.WALL_CLOCK_TIME, this::publishDue);
    }

    @Override
    public void process(Record<String, ScopeInput> record) {
        ScopeInput input = record.value();
        if (input instanceof ScopedCost cost) {
            count(cost);
        } else if (input instanceof SettledCost settled) {
            settleOpen(settled.settlement());
            count(settled.cost());
        } else if (input instanceof BudgetChange change) {
            apply(change);
        } else if (input instanceof CostsProgress progress) {
            advance(progress);
        } else if (input instanceof OpenAttempt open) {
            countOpen(open);
        }
    }

    /** Everything of the marker's partition below its offset has reached this task (and is in its stores). */
    private void advance(CostsProgress progress) {
        String partition = Integer.toString(progress.partition());
        Long before = counted.get(partition);
        if (before == null || progress.nextOffset() > before) {
            counted.put(partition, progress.nextOffset());
            countedOffsets.put(partition, progress.nextOffset());
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

    /** The open worst case goes; its real cost is counted next, in the same step, before any status. */
    private void settleOpen(OpenAttempt settlement) {
        ScopeSpend scopeSpend = spendOf(settlement.scope());
        BudgetPolicy policy = policy(settlement.scope());
        long now = Math.max(context.currentSystemTimeMs(), scopeSpend.lastEventAt());
        boolean counts = localSpendCounts || settlement.tier() != Tier.LOCAL;
        scopeSpend.recordOpen(settlement.startedAtMs(), settlement.deltaUsd(), counts, now, policy.zone());
        spend.put(settlement.scope(), scopeSpend);
    }

    /**
     * An attempt opened (its worst case counts), or was settled on its own. Published like a cost: at
     * once when the level changes.
     */
    private void countOpen(OpenAttempt open) {
        String scope = open.scope();
        BudgetPolicy policy = policy(scope);
        ScopeSpend scopeSpend = spendOf(scope);
        long now = Math.max(context.currentSystemTimeMs(), scopeSpend.lastEventAt());
        boolean counts = localSpendCounts || open.tier() != Tier.LOCAL;
        scopeSpend.recordOpen(open.startedAtMs(), open.deltaUsd(), counts, now, policy.zone());
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
            if (spendChanged
                    || last == null
                    || changedMaterially(last, assessment)
                    || heartbeatDue(scope, last, wallClockMs)) {
                publish(policy, assessment, view, now);
                if (stored != null) {
                    spend.put(scope, view);
                }
            }
        }
    }

    /** A scope with a budget is republished when its last status is old or covers fewer cost offsets than counted. */
    private boolean heartbeatDue(String scope, BudgetStatus last, long wallClockMs) {
        if (budgets.get(scope) == null) {
            return false;
        }
        Long publishedAt = publishedAtWallClock.get(scope);
        return publishedAt == null
                || wallClockMs - publishedAt >= heartbeatIntervalMs
                || !counted.equals(last.getCountedCostOffsets());
    }

    private Set<String> scopes() {
        Set<String> scopes = new TreeSet<>();
        try (KeyValueIterator<String, ScopeSpend> all = spend.store().all()) {
            all.forEachRemaining(entry -> scopes.add(entry.key));
        }
        try (KeyValueIterator<String, BudgetPolicy> all = budgets.store().all()) {
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
                .setCountedCostOffsets(new HashMap<>(counted))
                .setDailyOpenAttemptsUsd(scopeSpend.dayOpenUsd())
                .setMonthlyOpenAttemptsUsd(scopeSpend.monthOpenUsd())
                .build();
        scopeSpend.markEmitted();
        published.put(assessment.scope(), status);
        publishedAtWallClock.put(assessment.scope(), wallClock);
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
