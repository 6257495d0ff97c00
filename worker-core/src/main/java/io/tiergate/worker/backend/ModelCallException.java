package io.tiergate.worker.backend;

import io.tiergate.schemas.cost.TokenUsage;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A model call that did not produce an answer, typed so the caller can decide: retry the same
 * model (after {@link #retryAfter()} when the server said so), fall back to another model, or give
 * up. The message never contains an API key or a request body.
 */
public final class ModelCallException extends Exception {

    /** What went wrong, as far as retrying is concerned. */
    public enum Kind {
        /** 429, 503, 500, 502, 504, connection reset: the same call may succeed later. */
        RETRYABLE,
        /** 400, 401, 403, 404 (e.g. model not found), 422: the same call will fail again. */
        NON_RETRYABLE,
        /** No complete answer within the call's deadline. */
        TIMEOUT,
        /** The server answered with something that is not the protocol: bad JSON, a truncated stream. */
        MALFORMED
    }

    private final Kind kind;
    private final String errorCode;
    private final Integer httpStatus;
    private final Duration retryAfter;
    private final TokenUsage consumed;

    private ModelCallException(
            Kind kind,
            String errorCode,
            String message,
            Integer httpStatus,
            Duration retryAfter,
            TokenUsage consumed,
            Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
        this.httpStatus = httpStatus;
        this.retryAfter = retryAfter;
        this.consumed = consumed;
    }

    /** A transient failure; {@code retryAfter} is the server's Retry-After, or null. */
    public static ModelCallException retryable(
            String errorCode, String message, Integer httpStatus, Duration retryAfter) {
        return new ModelCallException(Kind.RETRYABLE, errorCode, message, httpStatus, retryAfter, null, null);
    }

    public static ModelCallException nonRetryable(String errorCode, String message, Integer httpStatus) {
        return new ModelCallException(Kind.NON_RETRYABLE, errorCode, message, httpStatus, null, null, null);
    }

    public static ModelCallException timeout(String message, Throwable cause) {
        return new ModelCallException(Kind.TIMEOUT, "timeout", message, null, null, null, cause);
    }

    public static ModelCallException malformed(String message, Throwable cause) {
        return new ModelCallException(Kind.MALFORMED, "malformed_response", message, null, null, null, cause);
    }

    /** The same failure, noting tokens the provider reported as consumed before it failed. */
    public ModelCallException withConsumed(TokenUsage usage) {
        ModelCallException copy =
                new ModelCallException(kind, errorCode, getMessage(), httpStatus, retryAfter, usage, getCause());
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    public Kind kind() {
        return kind;
    }

    /** Short machine-readable code for results and metrics: rate_limited, http_401, model_not_found, timeout… */
    public String errorCode() {
        return errorCode;
    }

    public OptionalInt httpStatus() {
        return httpStatus == null ? OptionalInt.empty() : OptionalInt.of(httpStatus);
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Tokens consumed by the failed call, when the provider reported any (billed as such). */
    public Optional<TokenUsage> consumed() {
        return Optional.ofNullable(consumed);
    }

    /** RETRYABLE, TIMEOUT and MALFORMED (a truncated stream) may succeed on a second try. */
    public boolean retryable() {
        return kind != Kind.NON_RETRYABLE;
    }
}
