package io.tiergate.ledger.api;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * JSON answers of the ledger's HTTP API. Money is an exact decimal string at nano-dollar scale
 * ("12.345678900"), instants are ISO-8601 UTC strings.
 */
public final class LedgerViews {

    private LedgerViews() {}

    /** GET /ledger/spend: one scope's budget period. {@code limitUsd}/{@code utilization} null without a limit. */
    @Serdeable
    public record Spend(
            String scope,
            String period,
            String timezone,
            String periodStart,
            String periodEnd,
            String spendUsd,
            String allTiersSpendUsd,
            String limitUsd,
            Double utilization,
            String level,
            String burnRateUsdPerHour,
            String forecastExhaustionAt) {}

    /** GET /ledger/windows: one window of one scope × task type × tier × model. */
    @Serdeable
    public record Window(
            String scope,
            String taskType,
            String tier,
            String model,
            String kind,
            String windowStart,
            String windowEnd,
            String spendUsd,
            String reworkSpendUsd,
            long inputTokens,
            long outputTokens,
            long requestCount,
            double avgLatencyMs) {}

    /** GET /ledger/status: budget.status as last published. */
    @Serdeable
    public record Status(
            String scope,
            String level,
            String onExhausted,
            String dailySpendUsd,
            String dailyLimitUsd,
            String monthlySpendUsd,
            String monthlyLimitUsd,
            double utilization,
            String burnRateUsdPerHour,
            String forecastExhaustionAt,
            boolean anomaly,
            String periodDayStart,
            String periodMonthStart,
            String updatedAt) {}

    /** GET /ledger/totals: everything counted per scope, all tiers. */
    @Serdeable
    public record Totals(String totalUsd, long costEvents, List<ScopeTotal> scopes) {}

    /** One scope's lifetime totals; {@code budgetSpendUsd} is the part that counts against budgets. */
    @Serdeable
    public record ScopeTotal(String scope, String spendUsd, String budgetSpendUsd, long costEvents) {}

    /**
     * GET /ledger/rework: spend on retries, escalations and fallbacks per task type and tier, and
     * next to it the calibration spend (SHADOW and JUDGE calls), which is not rework.
     */
    @Serdeable
    public record Rework(String scope, String from, String to, List<ReworkRow> rows) {}

    @Serdeable
    public record ReworkRow(
            String taskType,
            String tier,
            String spendUsd,
            String reworkSpendUsd,
            String retrySpendUsd,
            String escalationSpendUsd,
            String fallbackSpendUsd,
            String calibrationSpendUsd,
            double reworkShare,
            long requestCount) {}

    @Serdeable
    public record Error(String error) {}
}
