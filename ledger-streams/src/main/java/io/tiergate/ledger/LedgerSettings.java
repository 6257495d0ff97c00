package io.tiergate.ledger;

import io.tiergate.schemas.cost.PriceTable;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the topology needs to know, as one plain value (no Micronaut), so tests build the
 * topology directly. {@link LedgerConfiguration} ({@code tiergate.ledger.*}) builds it; its defaults
 * are {@link LedgerConfiguration#DEFAULTS}'.
 *
 * @param windowGrace how long after a window's end late cost events are still added (event time)
 * @param hourRetention how long hourly windows stay queryable
 * @param dayRetention how long daily windows stay queryable
 * @param monthRetention how long monthly windows stay queryable
 * @param dedupeRetention how long a seen (requestId, attempt) is remembered (event time)
 * @param statusInterval wall-clock interval of budget.status emission while spend changes
 * @param heartbeatInterval every scope with a budget is published at least this often, changed or not
 * @param maxClockSkew cost events dated further than this into the future are rejected
 * @param anomalyFactor k: anomaly when the last hour's spend exceeds k × the trailing hourly average
 * @param anomalyMinRateUsdPerHour below this last-hour spend no anomaly is raised (noise floor)
 * @param budgetIncludesLocalSpend whether local-tier (TCO) cost counts against budgets
 * @param maxLimitUsd limits above this are "absurd" and the config is rejected
 * @param maxCostUsdPerEvent cost events above this are "absurd" and rejected to inference.costs.dlq
 * @param maxTokensPerEvent cost events with a token count above this are rejected to inference.costs.dlq
 * @param inMemoryStores state stores in memory instead of RocksDB (still changelogged): for
 *     TopologyTestDriver tests, which flush every store after every record
 * @param repricing when not null, costs priced from a price table are re-priced from their tokens
 *     with this table (replays after a price-table fix); null: costs count as reported
 */
public record LedgerSettings(
        Duration windowGrace,
        Duration hourRetention,
        Duration dayRetention,
        Duration monthRetention,
        Duration dedupeRetention,
        Duration statusInterval,
        Duration heartbeatInterval,
        Duration maxClockSkew,
        BigDecimal anomalyFactor,
        BigDecimal anomalyMinRateUsdPerHour,
        boolean budgetIncludesLocalSpend,
        BigDecimal maxLimitUsd,
        BigDecimal maxCostUsdPerEvent,
        long maxTokensPerEvent,
        boolean inMemoryStores,
        PriceTable repricing) {

    public LedgerSettings {
        Objects.requireNonNull(windowGrace, "windowGrace");
        Objects.requireNonNull(hourRetention, "hourRetention");
        Objects.requireNonNull(dayRetention, "dayRetention");
        Objects.requireNonNull(monthRetention, "monthRetention");
        Objects.requireNonNull(dedupeRetention, "dedupeRetention");
        Objects.requireNonNull(statusInterval, "statusInterval");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(maxClockSkew, "maxClockSkew");
        Objects.requireNonNull(anomalyFactor, "anomalyFactor");
        Objects.requireNonNull(anomalyMinRateUsdPerHour, "anomalyMinRateUsdPerHour");
        Objects.requireNonNull(maxLimitUsd, "maxLimitUsd");
        Objects.requireNonNull(maxCostUsdPerEvent, "maxCostUsdPerEvent");
        if (windowGrace.isNegative()) {
            throw new IllegalArgumentException("windowGrace must not be negative");
        }
        if (statusInterval.isZero() || statusInterval.isNegative()) {
            throw new IllegalArgumentException("statusInterval must be positive");
        }
    }

    /** The service's defaults ({@link LedgerConfiguration#DEFAULTS}), for tests and the benchmark. */
    public static LedgerSettings defaults() {
        return LedgerConfiguration.DEFAULTS.toSettings();
    }

    public LedgerSettings withWindowGrace(Duration grace) {
        return new LedgerSettings(
                grace,
                hourRetention,
                dayRetention,
                monthRetention,
                dedupeRetention,
                statusInterval,
                heartbeatInterval,
                maxClockSkew,
                anomalyFactor,
                anomalyMinRateUsdPerHour,
                budgetIncludesLocalSpend,
                maxLimitUsd,
                maxCostUsdPerEvent,
                maxTokensPerEvent,
                inMemoryStores,
                repricing);
    }

    public LedgerSettings withBudgetIncludesLocalSpend(boolean include) {
        return new LedgerSettings(
                windowGrace,
                hourRetention,
                dayRetention,
                monthRetention,
                dedupeRetention,
                statusInterval,
                heartbeatInterval,
                maxClockSkew,
                anomalyFactor,
                anomalyMinRateUsdPerHour,
                include,
                maxLimitUsd,
                maxCostUsdPerEvent,
                maxTokensPerEvent,
                inMemoryStores,
                repricing);
    }

    public LedgerSettings withInMemoryStores(boolean inMemory) {
        return new LedgerSettings(
                windowGrace,
                hourRetention,
                dayRetention,
                monthRetention,
                dedupeRetention,
                statusInterval,
                heartbeatInterval,
                maxClockSkew,
                anomalyFactor,
                anomalyMinRateUsdPerHour,
                budgetIncludesLocalSpend,
                maxLimitUsd,
                maxCostUsdPerEvent,
                maxTokensPerEvent,
                inMemory,
                repricing);
    }

    public LedgerSettings withRepricing(PriceTable prices) {
        return new LedgerSettings(
                windowGrace,
                hourRetention,
                dayRetention,
                monthRetention,
                dedupeRetention,
                statusInterval,
                heartbeatInterval,
                maxClockSkew,
                anomalyFactor,
                anomalyMinRateUsdPerHour,
                budgetIncludesLocalSpend,
                maxLimitUsd,
                maxCostUsdPerEvent,
                maxTokensPerEvent,
                inMemoryStores,
                prices);
    }

    public LedgerSettings withHeartbeatInterval(Duration interval) {
        return new LedgerSettings(
                windowGrace,
                hourRetention,
                dayRetention,
                monthRetention,
                dedupeRetention,
                statusInterval,
                interval,
                maxClockSkew,
                anomalyFactor,
                anomalyMinRateUsdPerHour,
                budgetIncludesLocalSpend,
                maxLimitUsd,
                maxCostUsdPerEvent,
                maxTokensPerEvent,
                inMemoryStores,
                repricing);
    }

    public LedgerSettings withStatusInterval(Duration interval) {
        return new LedgerSettings(
                windowGrace,
                hourRetention,
                dayRetention,
                monthRetention,
                dedupeRetention,
                interval,
                heartbeatInterval,
                maxClockSkew,
                anomalyFactor,
                anomalyMinRateUsdPerHour,
                budgetIncludesLocalSpend,
                maxLimitUsd,
                maxCostUsdPerEvent,
                maxTokensPerEvent,
                inMemoryStores,
                repricing);
    }

    public LedgerSettings withDedupeRetention(Duration retention) {
        return new LedgerSettings(
                windowGrace,
                hourRetention,
                dayRetention,
                monthRetention,
                retention,
                statusInterval,
                heartbeatInterval,
                maxClockSkew,
                anomalyFactor,
                anomalyMinRateUsdPerHour,
                budgetIncludesLocalSpend,
                maxLimitUsd,
                maxCostUsdPerEvent,
                maxTokensPerEvent,
                inMemoryStores,
                repricing);
    }
}
