package io.tiergate.worker;

import io.tiergate.schemas.cost.CostCalculator;
import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.CapabilityClass;
import io.tiergate.schemas.events.Classification;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.RoutingAction;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.worker.work.PriceTablePricer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Routed requests and the shipped price table, for worker tests: worker-core's own and, through
 * worker-core's test-jar, cloud-worker's.
 */
public final class Fixtures {

    public static final PriceTable PRICES = PriceTable.loadDefault();
    public static final PriceTablePricer PRICER = new PriceTablePricer(new CostCalculator(PRICES));

    private Fixtures() {}

    public static RoutedRequest cloud(String id, TaskType type, String model, List<String> fallbacks) {
        return routed(id, type, Tier.CLOUD, model, fallbacks, false, false, false);
    }

    public static RoutedRequest local(String id, TaskType type, List<String> fallbacks) {
        return routed(id, type, Tier.LOCAL, "qwen3:8b", fallbacks, false, false, false);
    }

    public static RoutedRequest routed(
            String id,
            TaskType type,
            Tier tier,
            String model,
            List<String> fallbacks,
            boolean requiresSovereignty,
            boolean sensitive,
            boolean decisionSovereign) {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        InferenceRequest request = InferenceRequest.newBuilder()
                .setRequestId(id)
                .setPrompt("Summarise the incident report for " + id)
                .setSystemPrompt("You are terse.")
                .setCostCenter("team-a")
                .setRequiresDataSovereignty(requiresSovereignty)
                .setCreatedAt(now)
                .setAttributes(Map.of())
                .build();
        Classification classification = Classification.newBuilder()
                .setTaskType(type)
                .setConfidence(0.9)
                .setEstimatedInputTokens(1200)
                .setComplexity(0.4)
                .setContainsSensitiveData(sensitive)
                .build();
        RoutingDecision decision = RoutingDecision.newBuilder()
                .setRequestId(id)
                .setCostCenter("team-a")
                .setTaskType(type)
                .setAction(RoutingAction.ROUTE)
                .setTier(tier)
                .setModel(model)
                .setCapabilityClass(
                        PRICES.model(model).map(m -> m.capabilityClass()).orElse(CapabilityClass.UNKNOWN))
                .setFallbackModels(fallbacks)
                .setEstimatedCostUsd(Money.usd("0.001"))
                .setBudgetLevel(BudgetLevel.NORMAL)
                .setRule("TASK_TABLE")
                .setRationale("test")
                .setSovereign(decisionSovereign)
                .setDecidedAt(now)
                .build();
        return RoutedRequest.newBuilder()
                .setClassified(ClassifiedRequest.newBuilder()
                        .setRequest(request)
                        .setClassification(classification)
                        .setClassifiedAt(now)
                        .build())
                .setDecision(decision)
                .build();
    }

    /** {@code routed} with the router's cost ceiling set to {@code usd}. */
    public static RoutedRequest withCeiling(RoutedRequest routed, String usd) {
        return RoutedRequest.newBuilder(routed)
                .setDecision(RoutingDecision.newBuilder(routed.getDecision())
                        .setCostCeilingUsd(Money.usd(usd))
                        .build())
                .build();
    }

    /** {@code routed} with the request's {@code maxOutputTokens} set. */
    public static RoutedRequest withMaxOutputTokens(RoutedRequest routed, Integer maxOutputTokens) {
        return RoutedRequest.newBuilder(routed)
                .setClassified(ClassifiedRequest.newBuilder(routed.getClassified())
                        .setRequest(InferenceRequest.newBuilder(
                                        routed.getClassified().getRequest())
                                .setMaxOutputTokens(maxOutputTokens)
                                .build())
                        .build())
                .build();
    }
}
