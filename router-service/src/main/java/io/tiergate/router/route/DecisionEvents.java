package io.tiergate.router.route;

import io.tiergate.router.policy.Decision;
import io.tiergate.schemas.events.CapabilityClass;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The events the router writes for a decision. */
public final class DecisionEvents {

    /** InferenceResult.errorCode of a request rejected because its budget is exhausted. */
    public static final String BUDGET_EXHAUSTED = "BUDGET_EXHAUSTED";

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
        return InferenceResult.newBuilder()
                .setRequestId(decision.requestId())
                .setCostCenter(decision.costCenter())
                .setTaskType(decision.taskType())
                .setStatus(ResultStatus.REJECTED)
                .setTier(Tier.NONE)
                .setModel("none")
                .setCapabilityClass(CapabilityClass.UNKNOWN)
                .setProvider("router")
                .setSimulated(false)
                .setOutput(null)
                .setErrorCode(BUDGET_EXHAUSTED)
                .setErrorMessage("Rejected without calling a model: the budget of scope '" + decision.blockingScope()
                        + "' is exhausted and its onExhausted policy is REJECT. " + decision.rationale()
                        + ". Raise the budget or retry after the period rolls over.")
                .setAttempts(0)
                .setReasons(List.of("budget-exhausted:" + decision.blockingScope()))
                .setInputTokens(0)
                .setOutputTokens(0)
                .setTotalCostUsd(Money.ZERO)
                .setLatencyMs(latencyMs)
                .setTtftMs(null)
                .setCompletedAt(decision.decidedAt())
                .build();
    }
}
