package io.tiergate.cloudworker.resilience;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A per-minute limit as a token bucket refilled continuously: capacity = the per-minute limit,
 * refill = limit / 60 s. {@link #reserve} takes what it needs now, going into debt if necessary,
 * and says how long the caller must wait for the debt to be paid back — so concurrent callers queue
 * fairly without a lock held while waiting. {@link #adjust} settles a reservation with the real
 * figure (tokens known only after the call).
 */
public final class TokenBucket {

    private final double capacity;
    private final double perNano;
    private final LongSupplier nanoTime;
    private double available;
    private long updatedAt;

    public TokenBucket(long perMinute, LongSupplier nanoTime) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("a per-minute limit must be >= 1, was " + perMinute);
        }
        this.capacity = perMinute;
        this.perNano = perMinute / 60e9;
        this.nanoTime = nanoTime;
        this.available = perMinute;
        this.updatedAt = nanoTime.getAsLong();
    }

    /** Takes {@code amount} and returns how long to wait before using it (zero when available now). */
    public synchronized Duration reserve(long amount) {
        refill();
        available -= amount;
        if (available >= 0) {
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) Math.ceil(-available / perNano));
    }

    /** Gives back a reservation that will not be used (it would have waited too long). */
    public synchronized void release(long amount) {
        refill();
        available = Math.min(capacity, available + amount);
    }

    /** Settles a reservation: positive {@code delta} takes more, negative gives back. */
    public synchronized void adjust(long delta) {
        refill();
        available = Math.min(capacity, available - delta);
    }

    public synchronized double available() {
        refill();
        return available;
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        available = Math.min(capacity, available + (now - updatedAt) * perNano);
        updatedAt = now;
    }
}
