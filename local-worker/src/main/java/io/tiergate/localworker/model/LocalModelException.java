package io.tiergate.localworker.model;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * A local model call that did not produce an answer, classified so the worker can decide: trip the
 * circuit, escalate, or fail with a clear message. Carries the time the call took, because a failed
 * call still kept the machine busy (it is billed by TCO like any other attempt).
 */
public class LocalModelException extends Exception {

  /** Why the call failed. */
  public enum Kind {
    /** The server does not have the model (Ollama 404 {@code model 'x' not found}). */
    MODEL_NOT_FOUND,
    /** The server rejected this request (400): not the server's fault, does not trip the circuit. */
    BAD_REQUEST,
    /** 5xx, or an {@code error} object in the middle of a stream. */
    SERVER_ERROR,
    /** No answer (or no further bytes) within the configured time. */
    TIMEOUT,
    /** Nothing listens at the endpoint (connection refused, unknown host). */
    UNREACHABLE,
    /** The server answered something that is not the documented protocol (malformed JSON, truncated stream). */
    PROTOCOL;

    /** Whether this failure says the local server is unhealthy (counts towards opening the circuit). */
    public boolean countsAgainstServer() {
      return this != BAD_REQUEST;
    }
  }

  private final Kind kind;
  private final int httpStatus;
  private final Duration elapsed;

  public LocalModelException(Kind kind, int httpStatus, String message, Duration elapsed, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.httpStatus = httpStatus;
    this.elapsed = elapsed;
  }

  public LocalModelException(Kind kind, String message, Duration elapsed) {
    this(kind, 0, message, elapsed, null);
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status the server answered with, if it answered. */
  public OptionalInt httpStatus() {
    return httpStatus > 0 ? OptionalInt.of(httpStatus) : OptionalInt.empty();
  }

  /** Wall time from sending the request until the failure was known. */
  public Duration elapsed() {
    return elapsed;
  }

  /** A stable code for results and metrics, e.g. {@code LOCAL_MODEL_NOT_FOUND}. */
  public String errorCode() {
    return "LOCAL_" + kind.name();
  }
}
