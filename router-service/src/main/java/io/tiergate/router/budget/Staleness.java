package io.tiergate.router.budget;

import io.tiergate.schemas.events.BudgetLevel;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * When the ledger's word on a budget is too old to trust, and what the router assumes then
 * (docs/budgets.md, "Failing closed"): a budget whose latest status is older than {@code bound}, or
 * whose status has not included a cost this router received more than {@code bound} ago, is at
 * least at {@code level}.
 */
public record Staleness(Duration bound, BudgetLevel level) {

    /** The levels a stale budget may be treated as: never NORMAL (that would be failing open). */
    public static final Set<BudgetLevel> ALLOWED_LEVELS =
            Set.of(BudgetLevel.CONSERVE, BudgetLevel.CRITICAL_ONLY, BudgetLevel.EXHAUSTED);

    public Staleness {
        Objects.requireNonNull(bound, "bound");
        if (bound.isNegative() || bound.isZero()) {
            throw new IllegalArgumentException("the staleness bound must be > 0, was " + bound);
        }
        if (!ALLOWED_LEVELS.contains(level)) {
            throw new IllegalArgumentException(
                    "a stale budget must be treated as CONSERVE, CRITICAL_ONLY or EXHAUSTED, was " + level);
        }
    }
}
