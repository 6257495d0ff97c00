package io.tiergate.cloudworker.resilience;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A model's requests-per-minute and tokens-per-minute limits (either may be absent). A call reserves
 * one request and its estimated tokens; the wait is the longer of the two. When the wait is longer
 * than the caller can afford, nothing is taken and the caller moves on (to a fallback model).
 */
public final class ModelRateLimiter {

    private final TokenBucket requests;
    private final TokenBucket tokens;

    public ModelRateLimiter(Long requestsPerMinute, Long tokensPerMinute, LongSupplier nanoTime) {
        this.requests = requestsPerMinute == null ? null : new TokenBucket(requestsPerMinute, nanoTime);
        this.tokens = tokensPerMinute == null ? null : new TokenBucket(tokensPerMinute, nanoTime);
    }

    public static ModelRateLimiter unlimited() {
        return new ModelRateLimiter(null, null, System::nanoTime);
    }

    /**
     * Reserves a call of about {@code estimatedTokens}. Returns the wait before calling, or empty when
     * it would exceed {@code maxWait} (nothing is reserved then).
     */
    public synchronized Optional<Duration> reserve(long estimatedTokens, Duration maxWait) {
        Duration wait = Duration.ZERO;
        if (requests != null) {
            wait = max(wait, requests.reserve(1));
        }
        if (tokens != null) {
            wait = max(wait, tokens.reserve(estimatedTokens));
        }
        if (wait.compareTo(maxWait) > 0) {
            if (requests != null) {
                requests.release(1);
            }
            if (tokens != null) {
                tokens.release(estimatedTokens);
            }
            return Optional.empty();
        }
        return Optional.of(wait);
    }

    /** Settles the token reservation with the tokens the call really used. */
    public void settle(long estimatedTokens, long actualTokens) {
        if (tokens != null) {
            tokens.adjust(actualTokens - estimatedTokens);
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
