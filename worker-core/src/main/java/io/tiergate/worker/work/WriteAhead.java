package io.tiergate.worker.work;

import io.tiergate.schemas.events.AttemptStarted;

/**
 * Makes an attempt durable before its model call (docs/delivery.md, "Write-ahead attempts"): when
 * {@link #started} returns, the record is on {@code inference.attempts} and any worker that later
 * takes the request over sees it. The Kafka implementation is {@code kafka.AttemptJournal}.
 */
@FunctionalInterface
public interface WriteAhead {

    /**
     * Writes nothing: for a {@link Work} outside a worker runtime (unit tests, tools). A call made
     * under it is billed only by its own cost event, as before write-ahead attempts.
     */
    WriteAhead NONE = attempt -> {};

    /**
     * Returns once {@code attempt} is durable.
     *
     * @throws NotDurableException when it could not be made durable: the call must not be made
     */
    void started(AttemptStarted attempt);

    /** The attempt-started record could not be written: the model is not called. */
    final class NotDurableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public NotDurableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
