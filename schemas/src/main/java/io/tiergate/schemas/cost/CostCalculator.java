package io.tiergate.schemas.cost;

import io.tiergate.schemas.events.CostBreakdown;
import io.tiergate.schemas.events.CostSource;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.money.Money;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/**
 * The one cost model of tiergate (docs/architecture.md, "Money rules"), shared by the router's estimates
 * and the workers' bills so the two cannot drift apart.
 *
 * <ul>
 *   <li>cloud: the provider's reported cost when the response has one, else tokens × the dated
 *       price table (uncached input, output, cached read, cache write);
 *   <li>local: energy + hardware depreciation + maintenance for the seconds the call took.
 * </ul>
 * Each component is rounded half-even to nano-dollars once; the total is the sum of the rounded
 * components, so breakdowns always add up exactly.
 */
public final class CostCalculator {

    private final PriceTable prices;

    public CostCalculator(PriceTable prices) {
        this.prices = prices;
    }

    public PriceTable prices() {
        return prices;
    }

    /** The bill of one cloud call. */
    public Cost cloud(ModelPrice model, TokenUsage usage, Optional<BigDecimal> providerReportedUsd) {
        BigDecimal input = Money.perMillion(model.inputPerMTok(), usage.uncachedInput());
        BigDecimal output = Money.perMillion(model.outputPerMTok(), usage.output());
        BigDecimal cachedRead = Money.perMillion(model.cachedReadPerMTok(), usage.cachedRead());
        BigDecimal cacheWrite = Money.perMillion(model.cacheWritePerMTok(), usage.cacheWrite());
        BigDecimal tableTotal = input.add(output).add(cachedRead).add(cacheWrite);
        CostSource source = providerReportedUsd.isPresent() ? CostSource.PROVIDER_REPORTED : CostSource.PRICE_TABLE;
        BigDecimal total = providerReportedUsd.map(Money::usd).orElse(tableTotal);
        if (total.signum() < 0) {
            throw new IllegalArgumentException("A provider reported a negative cost: " + total);
        }
        return new Cost(
                total,
                breakdown(
                        source,
                        input,
                        output,
                        cachedRead,
                        cacheWrite,
                        Money.ZERO,
                        Money.ZERO,
                        Money.ZERO,
                        prices.version()));
    }

    /** The bill of one local call that kept the machine busy for {@code busy}. */
    public Cost local(Duration busy) {
        if (busy.isNegative()) {
            throw new IllegalArgumentException("busy time must be >= 0, was " + busy);
        }
        BigDecimal seconds = BigDecimal.valueOf(busy.toNanos()).movePointLeft(9);
        LocalTco tco = prices.localTco();
        BigDecimal energy = Money.usd(tco.energyUsd(seconds));
        BigDecimal depreciation = Money.usd(tco.depreciationUsd(seconds));
        BigDecimal maintenance = Money.usd(tco.maintenanceUsd(seconds));
        return new Cost(
                energy.add(depreciation).add(maintenance),
                breakdown(
                        CostSource.LOCAL_TCO,
                        Money.ZERO,
                        Money.ZERO,
                        Money.ZERO,
                        Money.ZERO,
                        energy,
                        depreciation,
                        maintenance,
                        prices.version()));
    }

    /**
     * The expected cost of serving a request of {@code type} with {@code inputTokens} on {@code model}
     * (output length from the table's per-type expectation, never above the model's cap).
     */
    public BigDecimal estimate(ModelPrice model, TaskType type, long inputTokens) {
        return estimate(model, type, inputTokens, null);
    }

    /**
     * The cost the router reserves for one call of {@code model} (docs/budgets.md, "The cost of one
     * request"): {@code inputTokens} and {@link #estimatedOutputTokens} priced.
     */
    public BigDecimal estimate(ModelPrice model, TaskType type, long inputTokens, Integer maxOutputTokens) {
        return priced(model, inputTokens, estimatedOutputTokens(model, type, maxOutputTokens));
    }

    /**
     * The output length an estimate assumes: the request's {@code maxOutputTokens} when it sets one
     * (the most it may produce), else the table's expectation for {@code type}; never above the
     * model's cap.
     */
    public long estimatedOutputTokens(ModelPrice model, TaskType type, Integer maxOutputTokens) {
        long wanted = maxOutputTokens != null ? maxOutputTokens : prices.expectedOutputTokens(type);
        return model.outputLimit(wanted);
    }

    /**
     * The most one call of {@code model} can cost: {@code inputTokens} uncached and {@code
     * outputLimit} output tokens (the call's {@code max_tokens}) priced by the table; a local call at
     * the TCO of the time its speed profile gives for them. Used for a request's cost ceiling.
     */
    public BigDecimal worstCase(ModelPrice model, long inputTokens, long outputLimit) {
        return priced(model, inputTokens, model.outputLimit(outputLimit));
    }

    private BigDecimal priced(ModelPrice model, long inputTokens, long outputTokens) {
        long input = Math.max(0, inputTokens);
        if (model.local()) {
            return local(Duration.ofMillis(model.profile().estimatedMillis(input, outputTokens)))
                    .totalUsd();
        }
        return cloud(model, TokenUsage.of(input, outputTokens), Optional.empty())
                .totalUsd();
    }

    /** A zero cost, for attempts that never reached a model (rejected, deferred). */
    public static Cost none() {
        return new Cost(
                Money.ZERO,
                breakdown(
                        CostSource.NONE,
                        Money.ZERO,
                        Money.ZERO,
                        Money.ZERO,
                        Money.ZERO,
                        Money.ZERO,
                        Money.ZERO,
                        Money.ZERO,
                        null));
    }

    private static CostBreakdown breakdown(
            CostSource source,
            BigDecimal input,
            BigDecimal output,
            BigDecimal cachedRead,
            BigDecimal cacheWrite,
            BigDecimal energy,
            BigDecimal depreciation,
            BigDecimal maintenance,
            String priceTableVersion) {
        return CostBreakdown.newBuilder()
                .setSource(source)
                .setInputUsd(input)
                .setOutputUsd(output)
                .setCachedReadUsd(cachedRead)
                .setCacheWriteUsd(cacheWrite)
                .setEnergyUsd(energy)
                .setDepreciationUsd(depreciation)
                .setMaintenanceUsd(maintenance)
                .setPriceTableVersion(priceTableVersion)
                .build();
    }
}
