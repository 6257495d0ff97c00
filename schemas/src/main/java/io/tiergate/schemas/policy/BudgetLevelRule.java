package io.tiergate.schemas.policy;

import io.tiergate.schemas.events.BudgetLevel;
import java.math.BigDecimal;

/**
 * The budget level a spend reaches against one period's limit (docs/architecture.md, "Budget
 * levels"), in exact decimals. For a spend S against a limit L with thresholds c (conserve) and k
 * (critical):
 *
 * <pre>
 *   EXHAUSTED      S ≥ L            (a zero limit is exhausted from the start)
 *   CRITICAL_ONLY  S ≥ L × k        (default k = 0.95)
 *   CONSERVE       S ≥ L × c        (default c = 0.8)
 *   NORMAL         otherwise, and for a period without a limit
 * </pre>
 *
 * The ledger applies it to the reported spend (and adds the burn-rate forecast, which can only raise
 * NORMAL to CONSERVE); the router applies it to spend plus what it holds in reservations. Both
 * compare {@code S} with {@code L × threshold} exactly, never through a rounded quotient. A budget's
 * level is the {@linkplain #mostRestrictive most restrictive} over its periods, and a request's
 * the most restrictive of its cost center's and the global one.
 */
public final class BudgetLevelRule {

    private BudgetLevelRule() {}

    /**
     * @param spentUsd spend in the period (for the router: including what it holds)
     * @param limitUsd the period's limit; {@code null} when the budget has no limit for the period
     * @param conserveThreshold utilization from which the level is CONSERVE, in (0, 1]
     * @param criticalThreshold utilization from which the level is CRITICAL_ONLY, in [conserve, 1]
     * @return NORMAL, CONSERVE, CRITICAL_ONLY or EXHAUSTED, never UNKNOWN
     */
    public static BudgetLevel levelOf(
            BigDecimal spentUsd, BigDecimal limitUsd, double conserveThreshold, double criticalThreshold) {
        if (limitUsd == null) {
            return BudgetLevel.NORMAL;
        }
        if (limitUsd.signum() <= 0 || spentUsd.compareTo(limitUsd) >= 0) {
            return BudgetLevel.EXHAUSTED;
        }
        if (reaches(spentUsd, limitUsd, criticalThreshold)) {
            return BudgetLevel.CRITICAL_ONLY;
        }
        if (reaches(spentUsd, limitUsd, conserveThreshold)) {
            return BudgetLevel.CONSERVE;
        }
        return BudgetLevel.NORMAL;
    }

    /** S ≥ L × threshold, exactly (the threshold as its shortest decimal: 0.8, not 0.8000000000000000444). */
    private static boolean reaches(BigDecimal spentUsd, BigDecimal limitUsd, double threshold) {
        return spentUsd.compareTo(limitUsd.multiply(BigDecimal.valueOf(threshold))) >= 0;
    }

    /**
     * A level a reader can act on: UNKNOWN (a symbol added after this reader was built) and a
     * missing level count as EXHAUSTED, the most restrictive known level.
     */
    public static BudgetLevel known(BudgetLevel level) {
        return level == null || level == BudgetLevel.UNKNOWN ? BudgetLevel.EXHAUSTED : level;
    }

    /** The more restrictive of two levels (NORMAL &lt; CONSERVE &lt; CRITICAL_ONLY &lt; EXHAUSTED), each read as {@link #known}. */
    public static BudgetLevel mostRestrictive(BudgetLevel a, BudgetLevel b) {
        BudgetLevel ka = known(a);
        BudgetLevel kb = known(b);
        return ka.ordinal() >= kb.ordinal() ? ka : kb;
    }
}
