package io.tiergate.router.route;

import io.tiergate.router.policy.Decision;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.results.Rejections;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The events the router writes for a decision. */
public final class DecisionEvents {

    /** InferenceResult.errorCode of a request rejected because its budget is exhausted. */
    public static final String BUDGET_EXHAUSTED = "BUDGET_EXHAUSTED";

    /** InferenceResult.errorCode of a deferred request that stayed deferred longer than {@code defer-max-age}. */
    public static final String DEFERRAL_EXPIRED = "DEFERRAL_EXPIRED";

    /** InferenceResult.errorCode of a deferral refused because the releaser holds {@code defer-max-bytes}. */
    public static final String DEFERRAL_BACKLOG_FULL = "DEFERRAL_BACKLOG_FULL";

    private DecisionEvents() {}

    /** The tier topic record: first attempt, nothing spent before it. */
    public static RoutedRequest routed(ClassifiedRequest classified, RoutingDecision decision) {
        return RoutedRequest.newBuilder()
                .setClassified(classified)
                .setDecision(decision)
                .setAttempt(1)
                .setEscalationReason(null)
                .setPriorCostUsd(null)
                .setPriorReasons(List.of())
                .build();
    }

    /** The final result of a request rejected by an exhausted budget with onExhausted=REJECT. */
    public static InferenceResult rejected(ClassifiedRequest classified, Decision decision) {
        Instant created = classified.getRequest().getCreatedAt();
        long latencyMs = created == null
                ? 0
                : Math.max(0, Duration.between(created, decision.decidedAt()).toMillis());
        return Rejections.rejected(
                decision.requestId(),
                decision.costCenter(),
                decision.taskType(),
                "router",
                BUDGET_EXHAUSTED,
                "Rejected without calling a model: the budget of scope '" + decision.blockingScope()
                        + "' is exhausted and its onExhausted policy is REJECT. " + decision.rationale()
                        + ". Raise the budget or retry after the period rolls over.",
                "budget-exhausted:" + decision.blockingScope(),
                latencyMs,
                decision.decidedAt());
    }

    /**
     * The final result of a deferred request the deferral releaser gives up on (docs/budgets.md,
     * "Deferral"): no model was called, nothing was spent.
     *
     * @param errorCode {@link #DEFERRAL_EXPIRED} or {@link #DEFERRAL_BACKLOG_FULL}
     * @param message why, for a human: the bound, its property and the figures
     * @param reason the short machine-readable reason ({@code deferral-expired:<scope>})
     */
    public static InferenceResult deferralRejected(
            ClassifiedRequest classified, String errorCode, String message, String reason, Instant now) {
        Instant created = classified.getRequest().getCreatedAt();
        long latencyMs =
                created == null ? 0 : Math.max(0, Duration.between(created, now).toMillis());
        return Rejections.rejected(
                classified.getRequest().getRequestId(),
                classified.getRequest().getCostCenter(),
                classified.getClassification().getTaskType(),
                "router",
                errorCode,
                message,
                reason,
                latencyMs,
                now);
    }
}
