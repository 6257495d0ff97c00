package io.tiergate.ledger.budget;

import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.policy.BudgetLevelRule;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Objects;

/**
 * Assesses one scope's budget: its level, utilization, burn-rate forecast and anomaly flag, as
 * published on {@code budget.status}. Per period with a limit L and spend S the level is the shared
 * rule ({@link BudgetLevelRule}, docs/architecture.md "Budget levels"), which the router applies as
 * well:
 *
 * <pre>
 *   EXHAUSTED      S ≥ L                       (a zero limit is exhausted from the start)
 *   CRITICAL_ONLY  S ≥ L × criticalThreshold   (default 0.95)
 *   CONSERVE       S ≥ L × conserveThreshold   (default 0.8)
 *   NORMAL         otherwise, and for scopes without limits
 * </pre>
 *
 * plus the ledger's own forecast: a NORMAL period becomes CONSERVE when the burn rate of the last
 * hour reaches L before the period ends. The budget's level is the most restrictive over its periods
 * (day, month).
 *
 * <p>Anomaly: the last hour's spend r (current minute and the 59 before) exceeds k × a, where a is
 * the average hourly spend over the 24 UTC clock hours [H − 25 h, H − 1 h) (H = start of the
 * current clock hour), provided the scope's history covers that whole window and r is at least the
 * noise floor. Compared exactly as r × 24 &gt; k × (spend in those 24 hours).
 */
public final class BudgetAssessor {

    private static final BigDecimal HOURS_IN_TRAILING_WINDOW = BigDecimal.valueOf(ScopeSpend.TRAILING_HOURS);
    private static final BigDecimal MS_PER_HOUR = BigDecimal.valueOf(ScopeSpend.HOUR_MS);

    private final BigDecimal anomalyFactor;
    private final BigDecimal anomalyMinRateUsdPerHour;

    public BudgetAssessor(BigDecimal anomalyFactor, BigDecimal anomalyMinRateUsdPerHour) {
        this.anomalyFactor = Objects.requireNonNull(anomalyFactor, "anomalyFactor");
        this.anomalyMinRateUsdPerHour = Objects.requireNonNull(anomalyMinRateUsdPerHour, "anomalyMinRateUsdPerHour");
    }

    /**
     * @param spend the scope's spend, already rolled to {@code now} in the policy's zone
     */
    public BudgetAssessment assess(BudgetPolicy policy, ScopeSpend spend, long now) {
        long dayEnd = Periods.dayEnd(spend.dayStart(), policy.zone());
        long monthEnd = Periods.monthEnd(spend.monthStart(), policy.zone());
        BigDecimal burnRate = spend.burnRateUsdPerHour(now);

        PeriodState day = period(spend.dayBudgetSpend(), policy.dailyLimitUsd(), policy, burnRate, now, dayEnd);
        PeriodState month = period(spend.monthBudgetSpend(), policy.monthlyLimitUsd(), policy, burnRate, now, monthEnd);

        BudgetLevel level = BudgetLevelRule.mostRestrictive(day.level, month.level);
        Long forecast = earliest(day.forecastAt, month.forecastAt);
        return new BudgetAssessment(
                policy.scope(),
                level,
                spend.dayBudgetSpend(),
                policy.dailyLimitUsd(),
                spend.monthBudgetSpend(),
                policy.monthlyLimitUsd(),
                Math.max(day.utilization, month.utilization),
                burnRate,
                forecast,
                anomaly(spend, burnRate, now),
                spend.dayStart(),
                dayEnd,
                spend.monthStart(),
                monthEnd,
                spend.dayAllTiers(),
                spend.monthAllTiers());
    }

    private record PeriodState(BudgetLevel level, double utilization, Long forecastAt) {}

    private static PeriodState period(
            BigDecimal spent, BigDecimal limit, BudgetPolicy policy, BigDecimal burnRate, long now, long periodEnd) {
        if (limit == null) {
            return new PeriodState(BudgetLevel.NORMAL, 0.0, null);
        }
        double utilization = limit.signum() == 0
                ? 1.0
                : spent.divide(limit, MathContext.DECIMAL64).doubleValue();
        BudgetLevel level =
                BudgetLevelRule.levelOf(spent, limit, policy.conserveThreshold(), policy.criticalThreshold());
        if (level == BudgetLevel.EXHAUSTED) {
            return new PeriodState(level, utilization, null);
        }
        Long forecastAt = forecast(spent, limit, burnRate, now, periodEnd);
        if (level == BudgetLevel.NORMAL && forecastAt != null) {
            level = BudgetLevel.CONSERVE; // forecast to run out before the period ends
        }
        return new PeriodState(level, utilization, forecastAt);
    }

    /** When {@code burnRate} (USD/h) uses up the remaining headroom, if that is before the period ends. */
    private static Long forecast(BigDecimal spent, BigDecimal limit, BigDecimal burnRate, long now, long periodEnd) {
        if (burnRate.signum() <= 0) {
            return null;
        }
        BigDecimal remaining = limit.subtract(spent);
        BigDecimal millisLeft = remaining.multiply(MS_PER_HOUR).divide(burnRate, MathContext.DECIMAL64);
        if (millisLeft.compareTo(BigDecimal.valueOf(periodEnd - now)) >= 0) {
            return null; // the period ends (and resets) first
        }
        return now + millisLeft.longValue();
    }

    private boolean anomaly(ScopeSpend spend, BigDecimal lastHour, long now) {
        if (lastHour.compareTo(anomalyMinRateUsdPerHour) < 0 || !spend.historyCoversTrailingWindow(now)) {
            return false;
        }
        BigDecimal trailing = spend.trailingSpend(now);
        return lastHour.multiply(HOURS_IN_TRAILING_WINDOW).compareTo(anomalyFactor.multiply(trailing)) > 0;
    }

    private static Long earliest(Long a, Long b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return Math.min(a, b);
    }
}
