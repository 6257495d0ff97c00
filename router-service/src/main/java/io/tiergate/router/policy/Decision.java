package io.tiergate.router.policy;

import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.CapabilityClass;
import io.tiergate.schemas.events.RoutingAction;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of the policy for one request. {@code tier} is NONE for DEFER and REJECT, whose
 * {@code model} is the cloud model the request would have used. {@code blockingScope} names the
 * exhausted scope for DEFER/REJECT. {@code costCeilingUsd} is the most the routed request may cost
 * over all its calls (null for DEFER and REJECT: nothing is called).
 */
public record Decision(
        String requestId,
        String costCenter,
        TaskType taskType,
        RoutingAction action,
        Tier tier,
        String model,
        CapabilityClass capabilityClass,
        List<String> fallbackModels,
        BigDecimal estimatedCostUsd,
        BudgetLevel budgetLevel,
        RuleName rule,
        String rationale,
        boolean sovereign,
        String blockingScope,
        Instant decidedAt,
        BigDecimal costCeilingUsd) {

    public Decision {
        fallbackModels = List.copyOf(fallbackModels);
        estimatedCostUsd = Money.usd(estimatedCostUsd);
        costCeilingUsd = costCeilingUsd == null ? null : Money.usd(costCeilingUsd);
    }

    public boolean cloud() {
        return action == RoutingAction.ROUTE && tier == Tier.CLOUD;
    }

    /** The audit event (routing.decisions) and the decision carried on the tier topics. */
    public RoutingDecision toEvent() {
        return RoutingDecision.newBuilder()
                .setRequestId(requestId)
                .setCostCenter(costCenter)
                .setTaskType(taskType)
                .setAction(action)
                .setTier(tier)
                .setModel(model)
                .setCapabilityClass(capabilityClass)
                .setFallbackModels(fallbackModels)
                .setEstimatedCostUsd(estimatedCostUsd)
                .setBudgetLevel(budgetLevel)
                .setRule(rule.name())
                .setRationale(rationale)
                .setSovereign(sovereign)
                .setDecidedAt(decidedAt)
                .setCostCeilingUsd(costCeilingUsd)
                .build();
    }
}
