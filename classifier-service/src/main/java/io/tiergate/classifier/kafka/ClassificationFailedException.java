package io.tiergate.classifier.kafka;

import io.tiergate.platform.kafka.InvalidInputException;

/**
 * Classification threw on a record that decoded fine. Classification is a pure computation, so a
 * retry would fail the same way and stall the partition: the record is dead-lettered instead, with
 * the cause's class and message in the error headers.
 */
public final class ClassificationFailedException extends InvalidInputException {

    public ClassificationFailedException(Throwable cause) {
        super("classification failed: " + cause);
        initCause(cause);
    }
}
