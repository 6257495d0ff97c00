package io.tiergate.localworker.cost;

import io.tiergate.schemas.cost.Cost;
import io.tiergate.schemas.cost.CostCalculator;
import io.tiergate.schemas.cost.LocalTco;
import io.tiergate.schemas.cost.PriceTable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Prices a local call by total cost of ownership for the time it kept the machine busy
 * (docs/architecture.md, "Money rules": energy + hardware depreciation + maintenance), through the
 * shared {@link CostCalculator#local(Duration)}. Each endpoint may run on other hardware: it then
 * gets a calculator over the same price table with its own {@link LocalTco}.
 */
public final class LocalCostPricer {

    private final CostCalculator defaultCalculator;
    private final Map<String, CostCalculator> byEndpoint = new HashMap<>();

    public LocalCostPricer(PriceTable prices, Map<String, TcoOverride> overrides) {
        this.defaultCalculator = new CostCalculator(prices);
        overrides.forEach((endpoint, override) -> {
            if (override != null && !override.isEmpty()) {
                try {
                    byEndpoint.put(
                            endpoint, new CostCalculator(prices.withLocalTco(override.applyTo(prices.localTco()))));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "tiergate.local-worker.endpoints." + endpoint + ": " + e.getMessage(), e);
                }
            }
        });
    }

    /** The bill for {@code busy} time on {@code endpoint}. */
    public Cost price(String endpoint, Duration busy) {
        return calculator(endpoint).local(busy);
    }

    /** The TCO figures {@code endpoint} is priced with. */
    public LocalTco tco(String endpoint) {
        return calculator(endpoint).prices().localTco();
    }

    public String priceTableVersion() {
        return defaultCalculator.prices().version();
    }

    private CostCalculator calculator(String endpoint) {
        return byEndpoint.getOrDefault(endpoint, defaultCalculator);
    }
}
