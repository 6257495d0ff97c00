package io.tiergate.router.route;

import io.tiergate.platform.kafka.InvalidInputException;

/**
 * {@link SovereigntyGuard} refused to hand a record to a cloud topic: a sovereign request, or
 * something that is not a routed request at all. Never expected (the policy routes sovereign work
 * locally); raised by the last check before the send, so the record is dead-lettered with this
 * reason instead of leaving the machine. (The workers' counterpart, for a hand-off, is worker-core's
 * {@code SovereigntyViolationException}.)
 */
public class CloudSendRefusedException extends InvalidInputException {

    public CloudSendRefusedException(String message) {
        super(message);
    }
}
