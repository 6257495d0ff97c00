package io.tiergate.router.calibration;

import io.tiergate.router.policy.RouteRule;
import io.tiergate.schemas.events.RoutingRule;
import io.tiergate.schemas.events.TaskType;
import java.math.BigDecimal;

/**
 * What {@link Recommender} concluded for one task type: a proposed rule change (UP or DOWN) with
 * its evidence and price, or why it proposes nothing.
 *
 * @param current the rule in force
 * @param proposed the rule to write (UP and DOWN only; null otherwise)
 * @param samples calibration samples of the type's local model (0 when none)
 * @param agreementRate agreed / samples (NaN without samples)
 * @param lower95 Wilson 95% lower bound of the local model's agreement with the reference
 * @param upper95 Wilson 95% upper bound
 * @param attemptsMoved the recorded attempts of the look-back that the change would serve elsewhere
 * @param costChangeUsd what those attempts would have cost more (positive) or less (negative), exact
 * @param qualityChange expected change of the share of the type's moved answers that agree with the
 *     reference: +(1 − agreement) for UP, −(1 − agreement) for DOWN; 0 otherwise
 * @param qualityChangeLow the same from the interval's other end (UP: 1 − upper95; DOWN: −(1 − lower95))
 * @param qualityChangeHigh UP: 1 − lower95; DOWN: −(1 − upper95)
 * @param recentSamples samples of the latest 24 hours (the trend; 0 without samples)
 * @param recentAgreed how many of them the judge passed
 * @param why one line for the operator
 */
public record Recommendation(
        TaskType taskType,
        Decision decision,
        RouteRule current,
        RoutingRule proposed,
        long samples,
        double agreementRate,
        double lower95,
        double upper95,
        BigDecimal sampleCostUsd,
        long attemptsMoved,
        BigDecimal costChangeUsd,
        double qualityChange,
        double qualityChangeLow,
        double qualityChangeHigh,
        long recentSamples,
        long recentAgreed,
        String why) {

    public enum Decision {
        /** Local agreement is confidently below the minimum: serve the type in the cloud. */
        UP,
        /** Local agreement is confidently at or above the minimum for a type served in the cloud. */
        DOWN,
        /** Enough samples, and the interval does not call for a change. */
        KEEP,
        /** Samples exist but fewer than the minimum, or the interval straddles the minimum. */
        UNDECIDED,
        /** No calibration samples for the type's local model. */
        NO_SAMPLES
    }

    public boolean isProposal() {
        return decision == Decision.UP || decision == Decision.DOWN;
    }
}
