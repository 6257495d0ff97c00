package io.tiergate.router.rules;

import io.tiergate.platform.kafka.InvalidInputException;

/** A routing rule that cannot be applied; the message says why. The record goes to routing.rules.dlq. */
public class InvalidRuleException extends InvalidInputException {

    public InvalidRuleException(String message) {
        super(message);
    }
}
