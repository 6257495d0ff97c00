package io.tiergate.worker.work;

import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.money.Money;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * The most one request may cost over all its calls, on every tier (docs/budgets.md, "The cost of one
 * request"): a call is made only if what the request has spent so far plus the call's worst case
 * (input tokens and its {@code max_tokens} priced) stays within the ceiling. A request routed
 * without one ({@code RoutingDecision.costCeilingUsd} null: decided before ceilings existed) is not
 * limited.
 */
public final class CostCeiling {

    /** The error code of a result that stopped because the next call could not fit the ceiling. */
    public static final String ERROR_CODE = "cost_ceiling";

    private static final CostCeiling NONE = new CostCeiling(null);

    private final BigDecimal ceilingUsd;

    private CostCeiling(BigDecimal ceilingUsd) {
        this.ceilingUsd = ceilingUsd;
    }

    /** The ceiling the router set on {@code decision}, or none. */
    public static CostCeiling of(RoutingDecision decision) {
        BigDecimal usd = decision.getCostCeilingUsd();
        return usd == null ? NONE : ofUsd(usd);
    }

    public static CostCeiling ofUsd(BigDecimal ceilingUsd) {
        Objects.requireNonNull(ceilingUsd, "ceilingUsd");
        if (ceilingUsd.signum() < 0) {
            throw new IllegalArgumentException("a cost ceiling must be >= 0, was " + ceilingUsd.toPlainString());
        }
        return new CostCeiling(Money.usd(ceilingUsd));
    }

    public static CostCeiling none() {
        return NONE;
    }

    public Optional<BigDecimal> usd() {
        return Optional.ofNullable(ceilingUsd);
    }

    /**
     * Empty when the next call may be made; otherwise why not.
     *
     * @param spentUsd what the request has cost so far (earlier tiers included)
     * @param nextWorstCaseUsd the most the next call can cost
     * @param nextCall the call, for the reason ("attempt 3 on anthropic/claude-haiku-4.5 (max_tokens 4096)")
     */
    public Optional<String> refusal(BigDecimal spentUsd, BigDecimal nextWorstCaseUsd, String nextCall) {
        if (ceilingUsd == null) {
            return Optional.empty();
        }
        BigDecimal after = spentUsd.add(nextWorstCaseUsd);
        if (after.compareTo(ceilingUsd) <= 0) {
            return Optional.empty();
        }
        return Optional.of("cost ceiling $" + ceilingUsd.toPlainString() + " of the request: spent $"
                + Money.usd(spentUsd).toPlainString() + " + worst case $"
                + Money.usd(nextWorstCaseUsd).toPlainString() + " of " + nextCall + " = $"
                + Money.usd(after).toPlainString() + " would exceed it; not called");
    }

    @Override
    public String toString() {
        return ceilingUsd == null ? "no cost ceiling" : "cost ceiling $" + ceilingUsd.toPlainString();
    }
}
