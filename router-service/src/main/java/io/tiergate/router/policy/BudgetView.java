package io.tiergate.router.policy;

import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.OnExhausted;
import java.math.BigDecimal;

/**
 * The budget state a decision sees for one cost center: the more restrictive of its own scope and
 * the global scope, including cloud spend already reserved by in-flight decisions.
 */
public interface BudgetView {

    /** The effective level for {@code costCenter} (UNKNOWN already mapped to the most restrictive level). */
    BudgetState state(String costCenter);

    /** Whether a new cloud spend of {@code estimatedUsd} fits under every limit of both scopes. */
    Admission admit(String costCenter, BigDecimal estimatedUsd);

    /**
     * @param level never UNKNOWN
     * @param bindingScope the scope that set the level (cost center or "global")
     * @param onExhausted the policy of the exhausted scope (the cost center's if both are exhausted)
     * @param summary human-readable, e.g. "acme: CONSERVE (daily 82.1% of $50.00 incl. $1.20 reserved)"
     */
    record BudgetState(BudgetLevel level, String bindingScope, OnExhausted onExhausted, String summary) {}

    /**
     * @param admitted false when the spend would push a scope past a limit
     * @param blockingScope the scope that refused, when refused
     * @param onExhausted that scope's policy, when refused
     * @param reason human-readable, when refused
     */
    record Admission(boolean admitted, String blockingScope, OnExhausted onExhausted, String reason) {
        public static Admission ok() {
            return new Admission(true, null, null, null);
        }
    }
}
