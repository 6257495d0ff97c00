package io.tiergate.cloudworker.resilience;

import java.time.Duration;

/**
 * How hard one request is tried.
 *
 * @param maxAttemptsPerModel calls of one model before moving down the fallback chain
 * @param maxRetryAfter a Retry-After longer than this moves on to the next model instead of waiting
 * @param maxRateLimitWait longest wait for our own rpm/tpm budget before moving on
 * @param requestDeadline the whole request (all attempts, waits and fallbacks) must end within it
 */
public record RetryPolicy(
        int maxAttemptsPerModel,
        Backoff backoff,
        Duration maxRetryAfter,
        Duration maxRateLimitWait,
        Duration requestDeadline) {

    public RetryPolicy {
        if (maxAttemptsPerModel < 1) {
            throw new IllegalArgumentException("max-attempts-per-model must be >= 1");
        }
    }
}
