package io.tiergate.worker.work;

/** An attempt to send a sovereign request towards the cloud tier. Always a bug; never retried. */
public class SovereigntyViolationException extends IllegalStateException {

  public SovereigntyViolationException(String message) {
    super(message);
  }
}
