package io.tiergate.router.policy;

import io.tiergate.schemas.cost.CostCalculator;
import io.tiergate.schemas.cost.ModelPrice;
import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.events.CapabilityClass;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The models the router may choose, from the shared price table: capability classes, the cheapest
 * model one class down (budget CONSERVE), and estimated cost through the one shared
 * {@link CostCalculator} the workers bill with.
 */
public final class ModelCatalog {

    private final PriceTable prices;
    private final CostCalculator calculator;

    public ModelCatalog(PriceTable prices) {
        this.prices = prices;
        this.calculator = new CostCalculator(prices);
    }

    public PriceTable prices() {
        return prices;
    }

    public ModelPrice require(String id) {
        return prices.require(id);
    }

    public Optional<ModelPrice> find(String id) {
        return prices.model(id);
    }

    /** Expected cost of serving {@code type} with {@code inputTokens} on {@code model}, at wire scale. */
    public BigDecimal estimate(ModelPrice model, TaskType type, long inputTokens) {
        return estimate(model, type, inputTokens, null);
    }

    /**
     * The cost a cloud decision reserves: {@code inputTokens} plus the request's {@code
     * maxOutputTokens} when it sets one, else the type's expected output, never above the model's cap
     * ({@link CostCalculator#estimatedOutputTokens}), priced; at wire scale.
     */
    public BigDecimal estimate(ModelPrice model, TaskType type, long inputTokens, Integer maxOutputTokens) {
        return Money.usd(calculator.estimate(model, type, Math.max(0, inputTokens), maxOutputTokens));
    }

    /**
     * The most one call of {@code model} can cost: {@code inputTokens} plus its {@code max_tokens} (the
     * request's {@code maxOutputTokens}, else the model's cap; never above the cap) priced.
     */
    public BigDecimal worstCase(ModelPrice model, long inputTokens, Integer maxOutputTokens) {
        long limit = model.outputLimit(maxOutputTokens == null ? null : maxOutputTokens.longValue());
        return Money.usd(calculator.worstCase(model, Math.max(0, inputTokens), limit));
    }

    /** The cheapest cloud model of the table (the default escalation target when a rule names none). */
    public ModelPrice cheapestCloud() {
        return prices.models().stream()
                .filter(m -> m.tier() == Tier.CLOUD)
                .min(byPrice())
                .orElseThrow(() -> new IllegalStateException("The price table has no cloud model"));
    }

    /**
     * The model one capability class below {@code from}: {@code null} when that is the local class
     * (the caller serves locally). Among cloud models of the lower class, one of {@code preferred}
     * (the rule's own fallback chain) wins, in order; otherwise the cheapest. When no model of the
     * class directly below exists, the next lower class is tried.
     */
    public ModelPrice oneClassDown(ModelPrice from, List<String> preferred) {
        int target = from.capabilityClass().ordinal() - 1;
        for (int cls = target; cls > CapabilityClass.LOCAL.ordinal(); cls--) {
            CapabilityClass wanted = CapabilityClass.values()[cls];
            for (String id : preferred) {
                Optional<ModelPrice> m = prices.model(id);
                if (m.isPresent() && m.get().tier() == Tier.CLOUD && m.get().capabilityClass() == wanted) {
                    return m.get();
                }
            }
            Optional<ModelPrice> cheapest = prices.models().stream()
                    .filter(m -> m.tier() == Tier.CLOUD && m.capabilityClass() == wanted)
                    .min(byPrice());
            if (cheapest.isPresent()) {
                return cheapest.get();
            }
        }
        return null;
    }

    private static Comparator<ModelPrice> byPrice() {
        return Comparator.comparing((ModelPrice m) -> m.inputPerMTok().add(m.outputPerMTok()))
                .thenComparing(ModelPrice::id);
    }
}
