package io.tiergate.schemas.policy;

import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.BudgetStatus;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Whether a new cloud spend fits a budget's remaining headroom (docs/budgets.md, "Reservations" and
 * "Every paid call reserved"): for every period with a limit L, with the spend S the ledger reported
 * (open attempts included), the amount H the caller holds that the status may not include yet, and
 * the new spend A,
 *
 * <pre>
 *   S + P × (H + A) ≤ L          (P = 1, or the router's partition count for the global scope)
 * </pre>
 *
 * and a budget the ledger reports {@code EXHAUSTED} (or {@code UNKNOWN}) admits nothing. Equal is
 * allowed. Shared by the router (admitting a decision's estimate) and the workers (admitting the
 * worst case of a retry, a fallback or an escalation's call), so the two cannot drift apart.
 */
public final class BudgetHeadroomRule {

    private BudgetHeadroomRule() {}

    /**
     * Empty when {@code amountUsd} fits every period of {@code status}; otherwise why not, starting
     * with the scope: {@code budget 'team-a' has no daily headroom for $0.0195: spent $9.99 + held
     * $0.00 of $10.00}.
     *
     * @param heldUsd what the caller holds against this scope beyond {@code status}'s spend
     * @param shareFactor P above (≥ 1)
     */
    public static Optional<String> refusal(
            BudgetStatus status, BigDecimal heldUsd, BigDecimal amountUsd, int shareFactor) {
        String scope = "budget '" + status.getScope() + "' ";
        if (BudgetLevelRule.known(status.getLevel()) == BudgetLevel.EXHAUSTED) {
            return Optional.of(scope + "is " + status.getLevel());
        }
        Optional<String> daily =
                refusal("daily", status.getDailySpendUsd(), heldUsd, amountUsd, status.getDailyLimitUsd(), shareFactor);
        if (daily.isPresent()) {
            return Optional.of(scope + daily.get());
        }
        return refusal(
                        "monthly",
                        status.getMonthlySpendUsd(),
                        heldUsd,
                        amountUsd,
                        status.getMonthlyLimitUsd(),
                        shareFactor)
                .map(r -> scope + r);
    }

    /**
     * One period: empty when {@code spend + shareFactor × (held + amount) ≤ limit} or there is no
     * limit; otherwise {@code has no daily headroom for $A: spent $S + held $H of $L}.
     */
    public static Optional<String> refusal(
            String period,
            BigDecimal spendUsd,
            BigDecimal heldUsd,
            BigDecimal amountUsd,
            BigDecimal limitUsd,
            int shareFactor) {
        if (shareFactor < 1) {
            throw new IllegalArgumentException("shareFactor must be >= 1, was " + shareFactor);
        }
        if (limitUsd == null) {
            return Optional.empty();
        }
        BigDecimal needed = heldUsd.add(amountUsd).multiply(BigDecimal.valueOf(shareFactor));
        if (spendUsd.add(needed).compareTo(limitUsd) <= 0) {
            return Optional.empty();
        }
        return Optional.of("has no " + period + " headroom for " + usd(amountUsd) + ": spent " + usd(spendUsd)
                + " + held " + usd(heldUsd)
                + (shareFactor > 1 ? " in this partition (× " + shareFactor + " partition shares)" : "") + " of "
                + usd(limitUsd));
    }

    /** An amount as people read it: {@code $0.0195}, {@code $10.00}, never in exponent notation. */
    public static String usd(BigDecimal amount) {
        BigDecimal a = amount.stripTrailingZeros();
        if (a.scale() < 2) {
            a = a.setScale(2);
        }
        return "$" + a.toPlainString();
    }
}
