package io.tiergate.worker.work;

import io.tiergate.schemas.events.AttemptStarted;
import io.tiergate.schemas.events.OnExhausted;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Admission of the paid calls the router did not reserve — retries, fallbacks, an escalation's
 * calls (docs/budgets.md, "Every paid call reserved"): a call is made only if its worst case fits
 * the budgets of its cost center and of {@code global}. The worker implementation is {@code
 * runtime.BudgetBoard} over {@code budget.status}.
 */
public interface BudgetAdmission {

    /** Admits everything, holds nothing: for a {@link Work} outside a worker runtime (unit tests, tools). */
    BudgetAdmission NONE = new BudgetAdmission() {
        @Override
        public Optional<Refusal> refusal(String costCenter, BigDecimal worstCaseUsd) {
            return Optional.empty();
        }

        @Override
        public void started(AttemptStarted attempt) {}

        @Override
        public void finished(String requestId, int attempt, BigDecimal costUsd) {}
    };

    /**
     * Empty when a call of worst case {@code worstCaseUsd} for {@code costCenter} fits; otherwise the
     * budget that refuses it and why.
     */
    Optional<Refusal> refusal(String costCenter, BigDecimal worstCaseUsd);

    /** A call of this worker was written ahead (durable): it counts from now on, at its worst case. */
    void started(AttemptStarted attempt);

    /**
     * A call of this worker returned, costing {@code costUsd} (0 for a failure that consumed nothing):
     * it counts at that cost from now on, until its cost event is in a status.
     */
    void finished(String requestId, int attempt, BigDecimal costUsd);

    /**
     * @param scope the refusing budget (the cost center or {@code global})
     * @param onExhausted that budget's policy
     * @param reason the budget state, e.g. {@code budget 'team-a' has no daily headroom for $0.0231:
     *     spent $0.94 + held $0.05 of $1.00}
     */
    record Refusal(String scope, OnExhausted onExhausted, String reason) {}
}
