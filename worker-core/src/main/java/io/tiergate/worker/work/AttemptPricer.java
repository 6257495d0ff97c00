package io.tiergate.worker.work;

import io.tiergate.schemas.cost.Cost;
import io.tiergate.schemas.cost.ModelPrice;
import io.tiergate.schemas.cost.TokenUsage;
import io.tiergate.worker.backend.ModelResponse;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/**
 * Prices one attempt. The default, {@link PriceTablePricer}, goes through the shared
 * {@link io.tiergate.schemas.cost.CostCalculator}; a worker with per-endpoint TCO may supply its
 * own, built on the same calculator.
 */
public interface AttemptPricer {

    /** The model's entry in the price table, if it has one. */
    Optional<ModelPrice> model(String modelId);

    /** The bill of a call that answered. */
    Cost priceAnswered(String modelId, ModelResponse response);

    /**
     * The bill of a call that failed: tokens the provider reported as consumed (cloud), or the time
     * the machine was busy (local); zero when nothing was consumed.
     */
    Cost priceFailed(String modelId, Optional<TokenUsage> consumed, Duration busy);

    /**
     * The most one call can cost, billed if its worker dies before reporting it (docs/delivery.md,
     * "Write-ahead attempts"): the call's {@code inputTokens} and {@code maxOutputTokens} consumed,
     * or the machine busy for the call's whole {@code timeout}. By default the bill of a call that
     * failed after consuming exactly that, so a pricer prices its worst case by its own rules.
     */
    default Cost priceWorstCase(String modelId, long inputTokens, long maxOutputTokens, Duration timeout) {
        return priceFailed(modelId, Optional.of(TokenUsage.of(inputTokens, maxOutputTokens)), timeout);
    }

    /**
     * The most one call of {@code modelId} can cost with {@code inputTokens} in and at most {@code
     * outputLimit} out ({@link io.tiergate.schemas.cost.CostCalculator#worstCase}); empty when the
     * price table does not list the model (its calls cannot be held to a cost ceiling).
     */
    Optional<BigDecimal> worstCaseUsd(String modelId, long inputTokens, long outputLimit);
}
