package io.tiergate.router.budget;

/**
 * Utilization thresholds of one budget (from budget.config; defaults 0.80 / 0.95 per
 * docs/architecture.md, "Budget levels").
 */
public record Thresholds(double conserve, double critical) {

    public static final Thresholds DEFAULT = new Thresholds(0.8, 0.95);

    public Thresholds {
        if (!(conserve > 0 && conserve <= critical && critical <= 1.0)) {
            throw new IllegalArgumentException(
                    "thresholds must satisfy 0 < conserve <= critical <= 1, were " + conserve + " / " + critical);
        }
    }
}
