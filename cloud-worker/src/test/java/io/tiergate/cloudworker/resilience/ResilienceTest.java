package io.tiergate.cloudworker.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ResilienceTest {

    final AtomicLong now = new AtomicLong();

    @Test
    void aBucketRefillsContinuouslyAndTellsHowLongToWait() {
        TokenBucket rpm = new TokenBucket(60, now::get); // one per second
        for (int i = 0; i < 60; i++) {
            assertThat(rpm.reserve(1)).isZero();
        }
        assertThat(rpm.reserve(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(rpm.reserve(1)).isEqualTo(Duration.ofSeconds(2));
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(rpm.reserve(1)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void tokensPerMinuteAreSettledWithTheRealUsage() {
        ModelRateLimiter limiter = new ModelRateLimiter(null, 10_000L, now::get);
        assertThat(limiter.reserve(8_000, Duration.ZERO)).contains(Duration.ZERO);
        limiter.settle(8_000, 2_000); // the call used far less than estimated
        assertThat(limiter.reserve(8_000, Duration.ZERO)).contains(Duration.ZERO);
        // 10,000 − 2,000 − 8,000 = 0 left; 5,000 more needs 30 s at 10,000/min
        assertThat(limiter.reserve(5_000, Duration.ofSeconds(1))).isEmpty();
        assertThat(limiter.reserve(5_000, Duration.ofSeconds(31))).contains(Duration.ofSeconds(30));
    }

    @Test
    void backoffIsExponentialCappedJitteredAndNeverShorterThanRetryAfter() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(8));
        assertThat(backoff.delay(1, Optional.empty(), () -> 1.0)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.delay(3, Optional.empty(), () -> 1.0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delay(10, Optional.empty(), () -> 1.0)).isEqualTo(Duration.ofSeconds(8));
        assertThat(backoff.delay(3, Optional.empty(), () -> 0.25)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.delay(1, Optional.of(Duration.ofSeconds(3)), () -> 1.0))
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(backoff.delay(10, Optional.of(Duration.ofSeconds(3)), () -> 1.0))
                .isEqualTo(Duration.ofSeconds(8));
    }
}
