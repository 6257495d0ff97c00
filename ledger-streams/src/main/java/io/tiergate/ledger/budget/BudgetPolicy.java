package io.tiergate.ledger.budget;

import io.tiergate.schemas.events.OnExhausted;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A validated budget for one scope: what {@code budget.config} says once {@link
 * BudgetConfigValidator} accepted it. A limit of {@code null} means "no limit for that period".
 */
public record BudgetPolicy(
        String scope,
        BigDecimal dailyLimitUsd,
        BigDecimal monthlyLimitUsd,
        double conserveThreshold,
        double criticalThreshold,
        OnExhausted onExhausted,
        ZoneId zone,
        long updatedAtMs) {

    public static final double DEFAULT_CONSERVE = 0.8;
    public static final double DEFAULT_CRITICAL = 0.95;

    public BudgetPolicy {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(onExhausted, "onExhausted");
        Objects.requireNonNull(zone, "zone");
    }

    /** The policy of a scope without a budget: no limits, UTC periods. */
    public static BudgetPolicy unlimited(String scope) {
        return new BudgetPolicy(
                scope, null, null, DEFAULT_CONSERVE, DEFAULT_CRITICAL, OnExhausted.DEGRADE_LOCAL, ZoneOffset.UTC, 0L);
    }

    public boolean hasLimit() {
        return dailyLimitUsd != null || monthlyLimitUsd != null;
    }
}
