package io.tiergate.worker.work;

import io.tiergate.schemas.cost.Cost;
import io.tiergate.schemas.cost.CostCalculator;
import io.tiergate.schemas.cost.ModelPrice;
import io.tiergate.schemas.cost.TokenUsage;
import io.tiergate.worker.backend.ModelResponse;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/**
 * Prices attempts with the shared cost model: cloud models by the provider-reported cost when the
 * response has one, else tokens × the dated table; local models by TCO for the busy time the
 * server reported (Ollama {@code total_duration}), else the call's wall time. A model missing from
 * the table is an error: workers check their configured models against the table at start.
 */
public final class PriceTablePricer implements AttemptPricer {

    private final CostCalculator calculator;

    public PriceTablePricer(CostCalculator calculator) {
        this.calculator = calculator;
    }

    @Override
    public Optional<ModelPrice> model(String modelId) {
        return calculator.prices().model(modelId);
    }

    @Override
    public Cost priceAnswered(String modelId, ModelResponse response) {
        ModelPrice model = calculator.prices().require(modelId);
        if (model.local()) {
            return calculator.local(response.busy().orElse(response.latency()));
        }
        return calculator.cloud(model, response.usage(), response.providerCostUsd());
    }

    @Override
    public Cost priceFailed(String modelId, Optional<TokenUsage> consumed, Duration busy) {
        ModelPrice model = calculator.prices().require(modelId);
        if (model.local()) {
            return calculator.local(busy);
        }
        return consumed.map(usage -> calculator.cloud(model, usage, Optional.empty()))
                .orElseGet(CostCalculator::none);
    }

    @Override
    public Optional<BigDecimal> worstCaseUsd(String modelId, long inputTokens, long outputLimit) {
        return calculator.prices().model(modelId).map(m -> calculator.worstCase(m, inputTokens, outputLimit));
    }
}
