package io.tiergate.platform.kafka;

/**
 * A record decoded fine but is not acceptable (empty prompt, oversize prompt, negative budget…).
 * Thrown by service logic; the record goes to the topic's {@code .dlq} with this message, and the
 * consumer moves on. Not for transient failures: those must not lose the record.
 */
public class InvalidInputException extends RuntimeException {

    public InvalidInputException(String message) {
        super(message);
    }
}
