package io.tiergate.worker.work;

/**
 * {@link Work#call} refused a retry, fallback or escalation call whose worst case does not fit the
 * budget ({@link BudgetAdmission}): no call was made. Handlers check {@link Work#budgetRefusal}
 * first and finish with {@link Work#BUDGET_EXHAUSTED}; this is the backstop for one that did not.
 */
public final class BudgetRefusedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public BudgetRefusedException(String message) {
        super(message);
    }
}
