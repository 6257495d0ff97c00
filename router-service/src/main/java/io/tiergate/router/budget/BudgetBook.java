package io.tiergate.router.budget;

import io.tiergate.schemas.events.BudgetConfig;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.policy.BudgetLevelRule;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The latest {@code budget.status} per scope (published by ledger-streams) and each budget's
 * thresholds (from {@code budget.config}). Written by the state feed thread, read by deciders.
 * A scope without a status has no budget: nothing throttles it — unless {@code budget.config} gives
 * it a limit, which the ledger has then not reported on yet (the gate fails closed).
 *
 * <p>It also answers which costs a scope's status includes ({@link #covers}, from the status's
 * {@code countedCostOffsets}) and how old the ledger's word on a scope is ({@link #statusAgeMs}).
 */
public final class BudgetBook implements ReservationLedger.Coverage {

    private record Entry(BudgetStatus status, long receivedAtMs) {}

    private final Map<String, Entry> statuses = new ConcurrentHashMap<>();
    private final Map<String, Long> lastReceivedAt = new ConcurrentHashMap<>();
    private final Map<String, Thresholds> thresholds = new ConcurrentHashMap<>();
    private final Map<String, BudgetConfig> configs = new ConcurrentHashMap<>();
    private final Thresholds defaults;
    private final CopyOnWriteArrayList<Consumer<String>> scopeListeners = new CopyOnWriteArrayList<>();

    public BudgetBook(Thresholds defaults) {
        this.defaults = defaults;
    }

    /** A status (or {@code null}: tombstone, the budget was deleted) received at {@code receivedAtMs}. */
    public void onStatus(String scope, BudgetStatus status, long receivedAtMs) {
        lastReceivedAt.merge(scope, receivedAtMs, Math::max);
        if (status == null) {
            statuses.remove(scope);
            return;
        }
        boolean isNew = statuses.put(scope, new Entry(status, receivedAtMs)) == null;
        if (isNew) {
            scopeListeners.forEach(l -> l.accept(scope));
        }
    }

    /** A budget's configuration (or {@code null}: deleted); only its thresholds matter here. */
    public void onConfig(String scope, BudgetConfig config) {
        if (config == null) {
            thresholds.remove(scope);
            configs.remove(scope);
            return;
        }
        configs.put(scope, config);
        try {
            thresholds.put(scope, new Thresholds(config.getConserveThreshold(), config.getCriticalThreshold()));
        } catch (IllegalArgumentException e) {
            thresholds.remove(scope); // ledger-streams rejects such a config; the defaults apply here
        }
    }

    public Optional<BudgetStatus> status(String scope) {
        Entry e = statuses.get(scope);
        return e == null ? Optional.empty() : Optional.of(e.status());
    }

    /** Whether the scope has a budget with a limit: from its status, or, before any status, from budget.config. */
    public boolean hasLimit(String scope) {
        Entry e = statuses.get(scope);
        if (e != null) {
            return e.status().getDailyLimitUsd() != null || e.status().getMonthlyLimitUsd() != null;
        }
        BudgetConfig c = configs.get(scope);
        return c != null && (c.getDailyLimitUsd() != null || c.getMonthlyLimitUsd() != null);
    }

    /** The budget.config of a scope, if the router has one (the status is what counts, when there is one). */
    public Optional<BudgetConfig> config(String scope) {
        return Optional.ofNullable(configs.get(scope));
    }

    /**
     * How old the ledger's latest word on {@code scope} is: now minus the earlier of its status's
     * {@code updatedAt} (the ledger's clock) and when this router received it — a status read at
     * start-up is as old as the ledger says, one from a ledger clock running ahead as old as its
     * arrival. {@code Long.MAX_VALUE} when there is no status.
     */
    public long statusAgeMs(String scope, long nowMs) {
        Entry e = statuses.get(scope);
        if (e == null) {
            return Long.MAX_VALUE;
        }
        long updatedAt = e.status().getUpdatedAt() == null
                ? Long.MIN_VALUE
                : e.status().getUpdatedAt().toEpochMilli();
        return nowMs - Math.min(updatedAt, e.receivedAtMs());
    }

    /**
     * Whether the latest status of {@code scope} includes the cost at {@code offset} of
     * inference.costs partition {@code partition}: its {@code countedCostOffsets} for that partition
     * lie beyond it. A scope without a limit needs no covering; a configured one without a status
     * is not covered yet.
     */
    @Override
    public boolean covers(String scope, int partition, long offset) {
        if (!hasLimit(scope)) {
            return true;
        }
        Entry e = statuses.get(scope);
        if (e == null) {
            return false;
        }
        Map<String, Long> counted = e.status().getCountedCostOffsets();
        Long next = counted == null ? null : counted.get(Integer.toString(partition));
        return next != null && next > offset;
    }

    /** When the router last received a status (or tombstone) for {@code scope}; MIN_VALUE if never. */
    public long lastReceivedAtMs(String scope) {
        return lastReceivedAt.getOrDefault(scope, Long.MIN_VALUE);
    }

    public Thresholds thresholds(String scope) {
        return thresholds.getOrDefault(scope, defaults);
    }

    /** The level ledger-streams reported (UNKNOWN → EXHAUSTED); NORMAL when the scope has no budget. */
    public BudgetLevel reportedLevel(String scope) {
        return status(scope).map(s -> BudgetLevelRule.known(s.getLevel())).orElse(BudgetLevel.NORMAL);
    }

    public Set<String> scopes() {
        return Set.copyOf(statuses.keySet());
    }

    /** Called once per scope the first time a status for it arrives (metrics register a gauge). */
    public void onNewScope(Consumer<String> listener) {
        scopeListeners.add(listener);
        statuses.keySet().forEach(listener);
    }
}
