package io.tiergate.router.policy;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What one request may cost (docs/budgets.md, "The cost of one request"): the largest {@code
 * maxOutputTokens} a request may ask for, and the factor that turns the worst case of one call into
 * the request's USD ceiling. The defaults of {@code tiergate.router.max-output-tokens} and {@code
 * tiergate.router.cost-ceiling-factor} are {@link #DEFAULT}'s.
 *
 * @param maxOutputTokens a request asking for more output tokens than this (or fewer than 1) is invalid
 * @param costCeilingFactor ceiling = this × the worst case of the most expensive call the decision
 *     permits (its model or a fallback / escalation model): room for the primary call and this − 1
 *     more calls at their worst case, or many more that end well below it (>= 1)
 */
public record RequestCostLimits(int maxOutputTokens, BigDecimal costCeilingFactor) {

    /** The largest documented output cap of the shipped price table (Claude Sonnet / Opus 4.6: 128K). */
    public static final int DEFAULT_MAX_OUTPUT_TOKENS = 128_000;

    public static final RequestCostLimits DEFAULT =
            new RequestCostLimits(DEFAULT_MAX_OUTPUT_TOKENS, new BigDecimal("3"));

    public RequestCostLimits {
        Objects.requireNonNull(costCeilingFactor, "costCeilingFactor");
        if (maxOutputTokens < 1) {
            throw new IllegalArgumentException("maxOutputTokens must be >= 1, was " + maxOutputTokens);
        }
        if (costCeilingFactor.compareTo(BigDecimal.ONE) < 0) {
            throw new IllegalArgumentException(
                    "costCeilingFactor must be >= 1, was " + costCeilingFactor.toPlainString());
        }
    }
}
