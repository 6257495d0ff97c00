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
 * A scope without a status has no budget: nothing throttles it.
 */
public final class BudgetBook {

    private record Entry(BudgetStatus status, long receivedAtMs) {}

    private final Map<String, Entry> statuses = new ConcurrentHashMap<>();
    private final Map<String, Long> lastReceivedAt = new ConcurrentHashMap<>();
    private final Map<String, Thresholds> thresholds = new ConcurrentHashMap<>();
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
            return;
        }
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
