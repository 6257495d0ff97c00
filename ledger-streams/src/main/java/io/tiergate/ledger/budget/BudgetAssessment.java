package io.tiergate.ledger.budget;

import io.tiergate.schemas.events.BudgetLevel;
import java.math.BigDecimal;

/**
 * The state of one budget at one instant: what {@code budget.status} carries.
 *
 * @param forecastExhaustionAtMs when the last hour's burn rate reaches a limit inside its running
 *     period; {@code null} when it does not (no burn, no limit, the limit lies beyond the period's
 *     end, or the limit is already reached)
 */
public record BudgetAssessment(
        String scope,
        BudgetLevel level,
        BigDecimal dailySpendUsd,
        BigDecimal dailyLimitUsd,
        BigDecimal monthlySpendUsd,
        BigDecimal monthlyLimitUsd,
        double utilization,
        BigDecimal burnRateUsdPerHour,
        Long forecastExhaustionAtMs,
        boolean anomaly,
        long dayStartMs,
        long dayEndMs,
        long monthStartMs,
        long monthEndMs,
        BigDecimal dailyAllTiersUsd,
        BigDecimal monthlyAllTiersUsd) {}
