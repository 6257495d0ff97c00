package io.tiergate.ledger.calibration;

/**
 * The Wilson score interval of a proportion: with {@code agreed} successes in {@code samples}
 * trials, the range of true rates that the data does not rule out at the given confidence. Unlike
 * the normal approximation (p ± z·√(p(1−p)/n)) it stays inside [0, 1] and is honest at small n and
 * at rates near 0 or 1, which is where calibration lives (a local model that agrees 58 times in 60).
 */
public record Wilson(double lower, double upper) {

    /** z for a two-sided 95% interval. */
    public static final double Z95 = 1.959963984540054;

    /** The 95% interval; [0, 1] when there are no samples (nothing is known). */
    public static Wilson interval95(long agreed, long samples) {
        return interval(agreed, samples, Z95);
    }

    public static Wilson interval(long agreed, long samples, double z) {
        if (samples < 0 || agreed < 0 || agreed > samples) {
            throw new IllegalArgumentException("need 0 <= agreed <= samples, got " + agreed + " of " + samples);
        }
        if (samples == 0) {
            return new Wilson(0.0, 1.0);
        }
        double n = samples;
        double p = agreed / n;
        double z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = (z / (1 + z2 / n)) * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        // clamp rounding noise: at p = 0 or 1 one bound is exactly 0 or 1
        return new Wilson(Math.max(0.0, centre - half), Math.min(1.0, centre + half));
    }
}
