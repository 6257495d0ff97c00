package io.tiergate.localworker.capacity;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.tiergate.schemas.events.CircuitState;
import io.tiergate.worker.backend.ModelCallException;
import io.tiergate.worker.http.HttpErrors;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The local model server's circuit: it opens after {@code consecutiveFailures} failed calls in a row
 * (a count-based window of that size at a 100 % failure threshold), lets one trial call through
 * after {@code openFor} (half-open), and closes again when that call succeeds. Only failures that
 * say the server is unwell count; a call that the server answered properly is a success even when
 * the answer is rejected later (bad request, invalid output).
 */
public final class LocalCircuit {

    private final CircuitBreaker breaker;
    private final Object monitor = new Object();

    public LocalCircuit(String name, int consecutiveFailures, Duration openFor, Consumer<CircuitState> onTransition) {
        if (consecutiveFailures < 1) {
            throw new IllegalArgumentException("consecutiveFailures must be >= 1, was " + consecutiveFailures);
        }
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(consecutiveFailures)
                .minimumNumberOfCalls(consecutiveFailures)
                .failureRateThreshold(100)
                // a long local generation is not a failure: never open on slowness
                .slowCallDurationThreshold(Duration.ofDays(1))
                .waitDurationInOpenState(openFor)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .permittedNumberOfCallsInHalfOpenState(1)
                .build();
        this.breaker = CircuitBreaker.of(name, config);
        breaker.getEventPublisher().onStateTransition(e -> {
            synchronized (monitor) {
                monitor.notifyAll();
            }
            onTransition.accept(map(e.getStateTransition().getToState()));
        });
    }

    /**
     * Whether a failed call says the local server is unwell (counts towards opening the circuit): all
     * but its refusal of one bad request ({@link HttpErrors#BAD_REQUEST}).
     */
    public static boolean countsAgainstServer(ModelCallException failure) {
        return !(failure.kind() == ModelCallException.Kind.NON_RETRYABLE
                && HttpErrors.BAD_REQUEST.equals(failure.errorCode()));
    }

    public CircuitState state() {
        return map(breaker.getState());
    }

    /** True while calls are refused outright (open, not yet half-open). */
    public boolean isOpen() {
        CircuitBreaker.State s = breaker.getState();
        return s == CircuitBreaker.State.OPEN || s == CircuitBreaker.State.FORCED_OPEN;
    }

    /** Takes permission for one call; false while open, or half-open with the trial call taken. */
    public boolean tryAcquire() {
        return breaker.tryAcquirePermission();
    }

    /**
     * Waits up to {@code maxWait} for permission (for work that may not leave the machine while the
     * circuit is open). Re-checks on every state change and at least every 250 ms.
     */
    public boolean awaitPermission(Duration maxWait) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        synchronized (monitor) {
            while (!breaker.tryAcquirePermission()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                monitor.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 250)));
            }
            return true;
        }
    }

    /** Gives back a permission that was not used for a call. */
    public void release() {
        breaker.releasePermission();
    }

    public void success(Duration took) {
        breaker.onSuccess(took.toNanos(), TimeUnit.NANOSECONDS);
    }

    public void failure(Duration took, Throwable error) {
        breaker.onError(took.toNanos(), TimeUnit.NANOSECONDS, error);
    }

    /** Consecutive failures currently counted (for messages). */
    public int failedCalls() {
        return breaker.getMetrics().getNumberOfFailedCalls();
    }

    private static CircuitState map(CircuitBreaker.State state) {
        return switch (state) {
            case CLOSED, DISABLED, METRICS_ONLY -> CircuitState.CLOSED;
            case OPEN, FORCED_OPEN -> CircuitState.OPEN;
            case HALF_OPEN -> CircuitState.HALF_OPEN;
        };
    }
}
