package io.tiergate.ledger.budget;

import io.tiergate.schemas.events.BudgetConfig;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Objects;

/**
 * Accepts or rejects a {@code budget.config} record. Rejected records go to {@code
 * budget.config.dlq} with the field named, and the scope's previous budget stays in force.
 *
 * <p>Rules: the record key is the scope and is not blank; limits (when present) are ≥ 0 and not
 * above the configured maximum; both thresholds are in (0, 1] and conserve ≤ critical; the time
 * zone is a known {@link ZoneId}. A zero limit is valid: it means "no spend at all".
 */
public final class BudgetConfigValidator {

    private final BigDecimal maxLimitUsd;

    public BudgetConfigValidator(BigDecimal maxLimitUsd) {
        this.maxLimitUsd = Objects.requireNonNull(maxLimitUsd, "maxLimitUsd");
    }

    /**
     * @param key the record key ({@code null} when the record has none)
     * @throws InvalidBudgetConfigException naming the first offending field
     */
    public BudgetPolicy validate(String key, BudgetConfig config) {
        if (key == null || key.isBlank()) {
            throw new InvalidBudgetConfigException("key", "missing: budget.config records are keyed by scope");
        }
        String scope = config.getScope();
        if (scope == null || scope.isBlank()) {
            throw new InvalidBudgetConfigException("scope", "must not be empty");
        }
        if (!scope.equals(key)) {
            throw new InvalidBudgetConfigException(
                    "scope", "'" + scope + "' does not match the record key '" + key + "'");
        }
        checkLimit("dailyLimitUsd", config.getDailyLimitUsd());
        checkLimit("monthlyLimitUsd", config.getMonthlyLimitUsd());
        double conserve = config.getConserveThreshold();
        double critical = config.getCriticalThreshold();
        checkThreshold("conserveThreshold", conserve);
        checkThreshold("criticalThreshold", critical);
        if (conserve > critical) {
            throw new InvalidBudgetConfigException(
                    "conserveThreshold", "must not exceed criticalThreshold (" + conserve + " > " + critical + ")");
        }
        ZoneId zone;
        String timezone = config.getTimezone();
        try {
            zone = ZoneId.of(timezone == null || timezone.isBlank() ? "UTC" : timezone);
        } catch (DateTimeException e) {
            throw new InvalidBudgetConfigException("timezone", "unknown time zone '" + timezone + "'");
        }
        long updatedAt =
                config.getUpdatedAt() == null ? 0L : config.getUpdatedAt().toEpochMilli();
        return new BudgetPolicy(
                scope,
                config.getDailyLimitUsd(),
                config.getMonthlyLimitUsd(),
                conserve,
                critical,
                config.getOnExhausted(),
                zone,
                updatedAt);
    }

    private void checkLimit(String field, BigDecimal limit) {
        if (limit == null) {
            return;
        }
        if (limit.signum() < 0) {
            throw new InvalidBudgetConfigException(field, "must not be negative (was " + limit.toPlainString() + ")");
        }
        if (limit.compareTo(maxLimitUsd) > 0) {
            throw new InvalidBudgetConfigException(
                    field,
                    "absurd: " + limit.toPlainString() + " exceeds the maximum of " + maxLimitUsd.toPlainString()
                            + " USD");
        }
    }

    private static void checkThreshold(String field, double value) {
        if (Double.isNaN(value) || value <= 0.0 || value > 1.0) {
            throw new InvalidBudgetConfigException(field, "must be in (0, 1] (was " + value + ")");
        }
    }
}
