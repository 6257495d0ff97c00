package io.tiergate.ledger;

import io.micronaut.context.annotation.ConfigurationInject;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.tiergate.platform.config.PropertyCheck;
import io.tiergate.schemas.cost.PriceTable;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code tiergate.ledger.*}, bound and checked at start (docs/ledger.md, "Configuration"): a property
 * left out takes its value from {@link #DEFAULTS}, the one place the ledger's defaults are written;
 * an invalid value stops the start naming the property. The topology takes the plain
 * {@link LedgerSettings} built from it ({@link #toSettings()}; {@link LedgerSettings#defaults()} is
 * {@code DEFAULTS.toSettings()}).
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
 * @param maxCostUsdPerEvent a cost event above this is "absurd" and goes to inference.costs.dlq
 * @param maxTokensPerEvent a cost event with a token count above this goes to inference.costs.dlq
 * @param repriceFromPriceTable re-price costs priced from a price table from their tokens (replays
 *     after a price-table fix only)
 * @param priceTable the price-table file used for re-pricing; null: the one bundled with the schemas module
 */
@Context
@ConfigurationProperties(LedgerConfiguration.PREFIX)
public record LedgerConfiguration(
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
        boolean repriceFromPriceTable,
        @Nullable String priceTable) {

    /**
     * The largest amount an Avro {@code decimal(20, 9)} holds: a per-event maximum must stay far
     * below it, since totals add many events.
     */
    public static final BigDecimal DECIMAL_20_9_MAX = new BigDecimal("99999999999.999999999");

    public static final String PREFIX = "tiergate.ledger";

    /** The ledger's defaults: what a property left out gets. */
    public static final LedgerConfiguration DEFAULTS = new LedgerConfiguration(
            Duration.ofMinutes(5),
            Duration.ofDays(7),
            Duration.ofDays(100),
            Duration.ofDays(800),
            Duration.ofDays(7),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofHours(1),
            new BigDecimal("3"),
            new BigDecimal("0.01"),
            false,
            new BigDecimal("1000000000"),
            new BigDecimal("10000"),
            100_000_000L,
            false,
            null);

    public LedgerConfiguration {
        PropertyCheck check = PropertyCheck.under(PREFIX);
        check.notNegative("window-grace", windowGrace);
        check.positive("hour-retention", hourRetention);
        check.positive("day-retention", dayRetention);
        check.positive("month-retention", monthRetention);
        check.positive("dedupe-retention", dedupeRetention);
        check.positive("status-interval", statusInterval);
        check.positive("heartbeat-interval", heartbeatInterval);
        check.notNegative("max-clock-skew", maxClockSkew);
        check.greaterThan("anomaly-factor", anomalyFactor, BigDecimal.ONE);
        check.notNegative("anomaly-min-rate-usd-per-hour", anomalyMinRateUsdPerHour);
        check.greaterThan("max-limit-usd", maxLimitUsd, BigDecimal.ZERO);
        check.greaterThan("max-cost-usd-per-event", maxCostUsdPerEvent, BigDecimal.ZERO);
        if (maxCostUsdPerEvent.compareTo(DECIMAL_20_9_MAX) > 0) {
            throw check.invalid(
                    "max-cost-usd-per-event",
                    "<= " + DECIMAL_20_9_MAX.toPlainString() + " (decimal(20,9))",
                    maxCostUsdPerEvent.toPlainString());
        }
        check.positive("max-tokens-per-event", maxTokensPerEvent);
    }

    /** Binds {@code tiergate.ledger.*}; what is not set comes from {@link #DEFAULTS}. */
    @ConfigurationInject
    static LedgerConfiguration bind(
            Optional<Duration> windowGrace,
            Optional<Duration> hourRetention,
            Optional<Duration> dayRetention,
            Optional<Duration> monthRetention,
            Optional<Duration> dedupeRetention,
            Optional<Duration> statusInterval,
            Optional<Duration> heartbeatInterval,
            Optional<Duration> maxClockSkew,
            Optional<BigDecimal> anomalyFactor,
            Optional<BigDecimal> anomalyMinRateUsdPerHour,
            Optional<Boolean> budgetIncludesLocalSpend,
            Optional<BigDecimal> maxLimitUsd,
            Optional<BigDecimal> maxCostUsdPerEvent,
            Optional<Long> maxTokensPerEvent,
            Optional<Boolean> repriceFromPriceTable,
            Optional<String> priceTable) {
        LedgerConfiguration d = DEFAULTS;
        return new LedgerConfiguration(
                windowGrace.orElse(d.windowGrace),
                hourRetention.orElse(d.hourRetention),
                dayRetention.orElse(d.dayRetention),
                monthRetention.orElse(d.monthRetention),
                dedupeRetention.orElse(d.dedupeRetention),
                statusInterval.orElse(d.statusInterval),
                heartbeatInterval.orElse(d.heartbeatInterval),
                maxClockSkew.orElse(d.maxClockSkew),
                anomalyFactor.orElse(d.anomalyFactor),
                anomalyMinRateUsdPerHour.orElse(d.anomalyMinRateUsdPerHour),
                budgetIncludesLocalSpend.orElse(d.budgetIncludesLocalSpend),
                maxLimitUsd.orElse(d.maxLimitUsd),
                maxCostUsdPerEvent.orElse(d.maxCostUsdPerEvent),
                maxTokensPerEvent.orElse(d.maxTokensPerEvent),
                repriceFromPriceTable.orElse(d.repriceFromPriceTable),
                PropertyCheck.text(priceTable).orElse(d.priceTable));
    }

    /** What the topology needs: these values, RocksDB stores, and the re-pricing table when asked for. */
    public LedgerSettings toSettings() {
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
                false,
                repriceFromPriceTable ? prices() : null);
    }

    private PriceTable prices() {
        return priceTable == null ? PriceTable.loadDefault() : PriceTable.load(Path.of(priceTable));
    }
}
