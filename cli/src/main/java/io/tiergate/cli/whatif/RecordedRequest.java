package io.tiergate.cli.whatif;

import io.tiergate.schemas.cost.TokenUsage;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One request as a run recorded it: its classification ({@code inference.classified}), the router's
 * first decision on it ({@code routing.decisions}; a deferred request that was released later has a
 * second one, which the replay does not re-decide), every attempt's cost ({@code inference.costs},
 * one per attempt) and its final result ({@code inference.results}), when there is one.
 *
 * @param costs one per attempt (the ledger counts each {@code (requestId, attempt)} once), any order
 * @param result null when the request never finished (deferred and still held, or lost)
 */
public record RecordedRequest(
        ClassifiedRequest classified, RoutingDecision decision, List<CostEvent> costs, InferenceResult result) {

    public RecordedRequest {
        Objects.requireNonNull(classified, "classified");
        Objects.requireNonNull(decision, "decision");
        costs = costs.stream()
                .sorted(Comparator.comparingInt(CostEvent::getAttempt))
                .toList();
    }

    public String requestId() {
        return classified.getRequest().getRequestId();
    }

    /** When the request was made (the {@code --from/--to} filter). */
    public Instant createdAt() {
        return classified.getRequest().getCreatedAt();
    }

    public Instant decidedAt() {
        return decision.getDecidedAt();
    }

    /** What the request really cost: every attempt's cost event, retries, escalations and calibration included. */
    public BigDecimal recordedCostUsd() {
        BigDecimal sum = Money.ZERO;
        for (CostEvent e : costs) {
            sum = sum.add(Money.usd(e.getCostUsd()));
        }
        return Money.usd(sum);
    }

    /** The part of {@link #recordedCostUsd} spent on cloud calls: what a budget counts (docs/ledger.md). */
    public BigDecimal recordedCloudCostUsd() {
        BigDecimal sum = Money.ZERO;
        for (CostEvent e : costs) {
            if (e.getTier() != Tier.LOCAL) {
                sum = sum.add(Money.usd(e.getCostUsd()));
            }
        }
        return Money.usd(sum);
    }

    /**
     * The tokens of the call that answered the request: its last successful serving attempt (all its
     * input, cached or not, as input), else the final result's counts; empty when no model ever ran
     * for it (deferred, rejected, or nothing reported).
     */
    public Optional<TokenUsage> servedTokens() {
        for (int i = costs.size() - 1; i >= 0; i--) {
            CostEvent e = costs.get(i);
            if (e.getSuccess() && !calibration(e) && (e.getInputTokens() > 0 || e.getOutputTokens() > 0)) {
                long input = e.getInputTokens() + e.getCachedReadTokens() + e.getCacheWriteTokens();
                return Optional.of(TokenUsage.of(input, e.getOutputTokens()));
            }
        }
        if (result != null && (result.getInputTokens() > 0 || result.getOutputTokens() > 0)) {
            return Optional.of(TokenUsage.of(result.getInputTokens(), result.getOutputTokens()));
        }
        return Optional.empty();
    }

    private static boolean calibration(CostEvent e) {
        return e.getReason() == CostReason.SHADOW || e.getReason() == CostReason.JUDGE;
    }
}
