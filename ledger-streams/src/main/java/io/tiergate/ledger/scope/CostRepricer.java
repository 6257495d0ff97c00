package io.tiergate.ledger.scope;

import io.tiergate.schemas.cost.Cost;
import io.tiergate.schemas.cost.CostCalculator;
import io.tiergate.schemas.cost.ModelPrice;
import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.cost.TokenUsage;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostSource;
import java.util.Optional;

/**
 * For a replay after a price-table fix: re-prices a cost event that was priced from a price table
 * ({@code breakdown.source = PRICE_TABLE}) from its own tokens with the given table, through the
 * one shared {@link CostCalculator}. The event's tokens are the calculator's own {@link
 * TokenUsage} (workers write {@code inputTokens} = uncached input), so the new cost is exactly what
 * a worker with that table would have billed. Provider-reported costs, local TCO and models the
 * table does not know are left as reported.
 */
public final class CostRepricer {

    private final CostCalculator calculator;

    public CostRepricer(PriceTable prices) {
        this.calculator = new CostCalculator(prices);
    }

    public CostEvent reprice(CostEvent event) {
        if (event.getBreakdown() == null || event.getBreakdown().getSource() != CostSource.PRICE_TABLE) {
            return event;
        }
        Optional<ModelPrice> model = calculator.prices().model(event.getModel());
        if (model.isEmpty()) {
            return event;
        }
        TokenUsage usage = new TokenUsage(
                event.getInputTokens(),
                event.getOutputTokens(),
                event.getCachedReadTokens(),
                event.getCacheWriteTokens());
        Cost cost = calculator.cloud(model.get(), usage, Optional.empty());
        return CostEvent.newBuilder(event)
                .setCostUsd(cost.totalUsd())
                .setBreakdown(cost.breakdown())
                .build();
    }
}
