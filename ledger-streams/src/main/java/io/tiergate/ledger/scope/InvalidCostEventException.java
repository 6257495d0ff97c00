package io.tiergate.ledger.scope;

import io.tiergate.platform.kafka.InvalidInputException;

/** A cost event that decoded but cannot be counted; names the offending field. */
public class InvalidCostEventException extends InvalidInputException {

    private final String field;

    public InvalidCostEventException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
