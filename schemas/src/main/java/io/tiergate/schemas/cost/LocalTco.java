package io.tiergate.schemas.cost;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Total cost of ownership of the local inference machine, per second of inference: energy (watts
 * under load × $/kWh) + hardware depreciation (price spread over lifetime × utilisation) +
 * maintenance (per year, spread the same way).
 */
public record LocalTco(
        BigDecimal wattsUnderLoad,
        BigDecimal usdPerKwh,
        BigDecimal hardwarePriceUsd,
        BigDecimal lifetimeYears,
        BigDecimal utilization,
        BigDecimal maintenanceUsdPerYear) {

    static final BigDecimal SECONDS_PER_YEAR = BigDecimal.valueOf(365L * 24 * 3600);
    static final BigDecimal JOULES_PER_KWH = BigDecimal.valueOf(3_600_000L);
    static final MathContext PRECISION = MathContext.DECIMAL128;

    public LocalTco {
        requirePositive("wattsUnderLoad", wattsUnderLoad);
        requireNonNegative("usdPerKwh", usdPerKwh);
        requireNonNegative("hardwarePriceUsd", hardwarePriceUsd);
        requirePositive("lifetimeYears", lifetimeYears);
        requirePositive("utilization", utilization);
        if (utilization.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("localTco.utilization must be in (0, 1], was " + utilization);
        }
        requireNonNegative("maintenanceUsdPerYear", maintenanceUsdPerYear);
    }

    /** Energy in USD for {@code seconds} of inference (unrounded). */
    BigDecimal energyUsd(BigDecimal seconds) {
        return wattsUnderLoad.multiply(seconds).multiply(usdPerKwh).divide(JOULES_PER_KWH, PRECISION);
    }

    /** Hardware depreciation in USD for {@code seconds} of inference (unrounded). */
    BigDecimal depreciationUsd(BigDecimal seconds) {
        return hardwarePriceUsd.multiply(seconds).divide(usefulSeconds(), PRECISION);
    }

    /** Maintenance in USD for {@code seconds} of inference (unrounded). */
    BigDecimal maintenanceUsd(BigDecimal seconds) {
        return maintenanceUsdPerYear.multiply(seconds).divide(SECONDS_PER_YEAR.multiply(utilization), PRECISION);
    }

    private BigDecimal usefulSeconds() {
        return lifetimeYears.multiply(SECONDS_PER_YEAR).multiply(utilization);
    }

    private static void requirePositive(String field, BigDecimal value) {
        if (value == null || value.signum() <= 0) {
            throw new IllegalArgumentException("localTco." + field + " must be > 0, was " + value);
        }
    }

    private static void requireNonNegative(String field, BigDecimal value) {
        if (value == null || value.signum() < 0) {
            throw new IllegalArgumentException("localTco." + field + " must be >= 0, was " + value);
        }
    }
}
