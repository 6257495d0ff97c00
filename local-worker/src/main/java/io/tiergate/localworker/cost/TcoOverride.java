package io.tiergate.localworker.cost;

import io.tiergate.schemas.cost.LocalTco;
import java.math.BigDecimal;

/**
 * The TCO figures one local endpoint sets for itself ({@code tiergate.local-worker.endpoints.<name>.*});
 * a null field keeps the price table's {@code localTco} value.
 */
public record TcoOverride(
        BigDecimal wattsUnderLoad,
        BigDecimal usdPerKwh,
        BigDecimal hardwarePriceUsd,
        BigDecimal lifetimeYears,
        BigDecimal utilization,
        BigDecimal maintenanceUsdPerYear) {

    public static final TcoOverride NONE = new TcoOverride(null, null, null, null, null, null);

    public boolean isEmpty() {
        return equals(NONE);
    }

    /** {@code base} with this override's fields; validated by {@link LocalTco}'s constructor. */
    public LocalTco applyTo(LocalTco base) {
        return new LocalTco(
                or(wattsUnderLoad, base.wattsUnderLoad()),
                or(usdPerKwh, base.usdPerKwh()),
                or(hardwarePriceUsd, base.hardwarePriceUsd()),
                or(lifetimeYears, base.lifetimeYears()),
                or(utilization, base.utilization()),
                or(maintenanceUsdPerYear, base.maintenanceUsdPerYear()));
    }

    private static BigDecimal or(BigDecimal value, BigDecimal fallback) {
        return value != null ? value : fallback;
    }
}
