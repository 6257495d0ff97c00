package io.tiergate.router.defer;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds of deferral (docs/budgets.md, "Deferral"): how long a request may stay deferred, how
 * many bytes of deferred requests one releaser holds, and the back-off between releases.
 *
 * @param maxAge a request first deferred this long ago is rejected ({@code DEFERRAL_EXPIRED})
 * @param maxBytes a new deferral that would take the held bytes above this is rejected
 *     ({@code DEFERRAL_BACKLOG_FULL})
 * @param minHold a deferral is held at least {@code minHold × 2^(deferrals−1)}...
 * @param maxHold ...and at most this long before it may be released
 */
public record DeferralLimits(Duration maxAge, long maxBytes, Duration minHold, Duration maxHold) {

    /**
     * The longest budget period (a month). {@code inference.deferred} keeps its records at least
     * this plus {@link #maxAge}, so a record outlives its deferral by a whole period: a releaser that
     * was down for less than that still finds every deferral it has to release or reject.
     */
    public static final Duration LONGEST_BUDGET_PERIOD = Duration.ofDays(31);

    public DeferralLimits {
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(minHold, "minHold");
        Objects.requireNonNull(maxHold, "maxHold");
    }

    /** How long a request deferred {@code deferCount} times is held before it may be released. */
    public long holdMs(int deferCount) {
        long hold = minHold.toMillis() << Math.min(20, Math.max(0, deferCount - 1));
        return Math.min(hold, maxHold.toMillis());
    }

    /** The retention {@code inference.deferred} needs: one budget period plus the maximum age. */
    public Duration requiredRetention() {
        return LONGEST_BUDGET_PERIOD.plus(maxAge);
    }
}
