package io.tiergate.router.route;

import io.tiergate.platform.kafka.InvalidInputException;

/**
 * A sovereign request was about to be written to a cloud topic. Never expected (the policy routes
 * sovereign work locally); raised by the last check before the send, so the record is dead-lettered
 * with this reason instead of leaving the machine.
 */
public class SovereigntyViolationException extends InvalidInputException {

  public SovereigntyViolationException(String message) {
    super(message);
  }
}
