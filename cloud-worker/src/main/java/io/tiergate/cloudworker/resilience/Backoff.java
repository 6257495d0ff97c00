package io.tiergate.cloudworker.resilience;

import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"):
 * the n-th retry waits a uniform random time in [0, min(max, base × 2^(n-1))]. A server's
 * Retry-After is a floor: we never come back earlier than asked.
 */
public record Backoff(Duration base, Duration max) {

    public Backoff {
        if (base.isNegative() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= base <= max");
        }
    }

    /** Wait before retry number {@code retry} (1 = the first retry). */
    public Duration delay(int retry, Optional<Duration> retryAfter, DoubleSupplier random) {
        long cap = base.toMillis() << Math.min(20, Math.max(0, retry - 1));
        long ceiling = Math.min(max.toMillis(), cap);
        Duration jittered = Duration.ofMillis(Math.round(random.getAsDouble() * ceiling));
        return retryAfter.filter(ra -> ra.compareTo(jittered) > 0).orElse(jittered);
    }
}
