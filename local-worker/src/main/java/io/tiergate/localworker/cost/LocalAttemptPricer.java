package io.tiergate.localworker.cost;

import io.tiergate.schemas.cost.Cost;
import io.tiergate.schemas.cost.CostCalculator;
import io.tiergate.schemas.cost.ModelPrice;
import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.cost.TokenUsage;
import io.tiergate.worker.backend.ModelResponse;
import io.tiergate.worker.work.AttemptPricer;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * worker-core's pricing hook for the local worker: every call it makes is priced by TCO of the
 * endpoint that served it, for the busy time the server reported ({@code total_duration},
 * llama.cpp timings), else the measured wall time; a failed call by the time it took. Models the
 * price table does not list are still local here (any model an Ollama has pulled).
 */
public final class LocalAttemptPricer implements AttemptPricer {

    private final PriceTable prices;
    private final CostCalculator calculator;
    private final LocalCostPricer tco;
    private final Function<String, String> endpointOfModel;

    public LocalAttemptPricer(PriceTable prices, LocalCostPricer tco, Function<String, String> endpointOfModel) {
        this.prices = prices;
        this.calculator = new CostCalculator(prices);
        this.tco = tco;
        this.endpointOfModel = endpointOfModel;
    }

    @Override
    public Optional<ModelPrice> model(String modelId) {
        return prices.model(modelId);
    }

    @Override
    public Cost priceAnswered(String modelId, ModelResponse response) {
        return tco.price(endpointOfModel.apply(modelId), response.busy().orElse(response.latency()));
    }

    @Override
    public Cost priceFailed(String modelId, Optional<TokenUsage> consumed, Duration busy) {
        return busy.isZero() ? CostCalculator.none() : tco.price(endpointOfModel.apply(modelId), busy);
    }

    /**
     * From the price table (a local model at the table's TCO, not its endpoint's): the local worker
     * holds only the cloud calls it escalates to against a request's cost ceiling.
     */
    @Override
    public Optional<BigDecimal> worstCaseUsd(String modelId, long inputTokens, long outputLimit) {
        return prices.model(modelId).map(m -> calculator.worstCase(m, inputTokens, outputLimit));
    }
}
