package io.tiergate.localworker.escalation;

import io.tiergate.schemas.events.BudgetLevel;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local worker's copy of the compacted {@code budget.status} topic (key = scope): the latest
 * level the ledger reported per scope, kept current by {@code kafka.BudgetStatusListener}. A scope
 * without a status has no budget: nothing restricts its cloud use.
 */
@Singleton
public class BudgetStatusCache {

    private final Map<String, BudgetLevel> levels = new ConcurrentHashMap<>();

    public void update(String scope, BudgetLevel level) {
        levels.put(scope, level);
    }

    /** A tombstone: the budget was deleted. */
    public void remove(String scope) {
        levels.remove(scope);
    }

    public Optional<BudgetLevel> levelOf(String scope) {
        return Optional.ofNullable(levels.get(scope));
    }
}
