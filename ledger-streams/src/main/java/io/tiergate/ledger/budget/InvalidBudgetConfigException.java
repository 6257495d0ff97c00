package io.tiergate.ledger.budget;

import io.tiergate.platform.kafka.InvalidInputException;

/** A budget.config record that decoded but cannot be accepted; names the offending field. */
public class InvalidBudgetConfigException extends InvalidInputException {

    private final String field;
    private final String problem;

    public InvalidBudgetConfigException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
        this.problem = problem;
    }

    /** The BudgetConfig field (or "key") that is wrong. */
    public String field() {
        return field;
    }

    /** What is wrong with it, without the field's name. */
    public String problem() {
        return problem;
    }
}
