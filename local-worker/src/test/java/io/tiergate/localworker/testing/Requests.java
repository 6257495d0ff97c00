package io.tiergate.localworker.testing;

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
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Routed requests for the local tier, as the router sends them. */
public final class Requests {

    private Requests() {}

    /** A builder with everything a local request needs; change what a test is about. */
    public static Builder local(String requestId, TaskType type) {
        return new Builder(requestId, type);
    }

    public static final class Builder {
        private final String requestId;
        private final TaskType type;
        private String prompt = "Extract the invoice number and total from: INV-2041, total 118.40 EUR";
        private String costCenter = "team-a";
        private boolean requiresSovereignty;
        private boolean sensitive;
        private boolean decisionSovereign;
        private final Map<String, String> attributes = new HashMap<>();
        private List<String> fallbacks = List.of();
        private String escalationReason;
        private int attempt = 1;

        private Builder(String requestId, TaskType type) {
            this.requestId = requestId;
            this.type = type;
        }

        public Builder prompt(String p) {
            this.prompt = p;
            return this;
        }

        public Builder costCenter(String c) {
            this.costCenter = c;
            return this;
        }

        public Builder requiresSovereignty(boolean v) {
            this.requiresSovereignty = v;
            return this;
        }

        public Builder sensitive(boolean v) {
            this.sensitive = v;
            return this;
        }

        public Builder decisionSovereign(boolean v) {
            this.decisionSovereign = v;
            return this;
        }

        public Builder attribute(String k, String v) {
            attributes.put(k, v);
            return this;
        }

        public Builder fallbacks(List<String> f) {
            this.fallbacks = f;
            return this;
        }

        public Builder escalated(int attemptNo, String reason) {
            this.attempt = attemptNo;
            this.escalationReason = reason;
            return this;
        }

        public RoutedRequest build() {
            Instant now = Instant.now();
            InferenceRequest request = InferenceRequest.newBuilder()
                    .setRequestId(requestId)
                    .setPrompt(prompt)
                    .setCostCenter(costCenter)
                    .setRequiresDataSovereignty(requiresSovereignty)
                    .setCreatedAt(now)
                    .setAttributes(attributes)
                    .build();
            Classification classification = Classification.newBuilder()
                    .setTaskType(type)
                    .setConfidence(0.9)
                    .setEstimatedInputTokens(40)
                    .setComplexity(0.2)
                    .setContainsSensitiveData(sensitive)
                    .setSensitiveKinds(sensitive ? List.of("EMAIL") : List.of())
                    .build();
            RoutingDecision decision = RoutingDecision.newBuilder()
                    .setRequestId(requestId)
                    .setCostCenter(costCenter)
                    .setTaskType(type)
                    .setAction(RoutingAction.ROUTE)
                    .setTier(Tier.LOCAL)
                    .setModel("qwen3:8b")
                    .setCapabilityClass(CapabilityClass.LOCAL)
                    .setFallbackModels(fallbacks)
                    .setEstimatedCostUsd(Money.usd("0.000100000"))
                    .setBudgetLevel(BudgetLevel.NORMAL)
                    .setRule(requiresSovereignty || sensitive || decisionSovereign ? "SOVEREIGNTY" : "TASK_TABLE")
                    .setRationale("test")
                    // independent of the request flags on purpose: the worker must honour each on its own
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
                    .setAttempt(attempt)
                    .setEscalationReason(escalationReason)
                    .build();
        }
    }
}
