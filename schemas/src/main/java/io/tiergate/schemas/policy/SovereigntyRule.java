package io.tiergate.schemas.policy;

import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.RoutedRequest;

/**
 * Policy 1 of docs/architecture.md: whether a request is sovereign. A sovereign request is served
 * on the local tier only and never reaches a cloud topic — not by routing, fallback, escalation,
 * overflow or throttling. The router decides with the first form; the router's last check before a
 * send, and the workers, with the second.
 */
public final class SovereigntyRule {

    private SovereigntyRule() {}

    /**
     * Before routing: upstream asked for data sovereignty ({@code requiresDataSovereignty}) or the
     * classifier found sensitive data ({@code containsSensitiveData}).
     */
    public static boolean isSovereign(ClassifiedRequest request) {
        return request.getRequest().getRequiresDataSovereignty()
                || request.getClassification().getContainsSensitiveData();
    }

    /**
     * After routing: sovereign {@linkplain #isSovereign(ClassifiedRequest) by its request}, or the
     * router marked the decision sovereign. Any one of the three flags is enough.
     */
    public static boolean isSovereign(RoutedRequest request) {
        return isSovereign(request.getClassified()) || request.getDecision().getSovereign();
    }

    /**
     * Why a request is sovereign, in words for a result's reasons and an operator: the upstream flag, the
     * sensitive data the classifier found (its kinds), or the router's mark; empty when it is not sovereign.
     */
    public static java.util.Optional<String> why(RoutedRequest request) {
        ClassifiedRequest classified = request.getClassified();
        if (classified.getRequest().getRequiresDataSovereignty()) {
            return java.util.Optional.of("upstream requires data sovereignty (requiresDataSovereignty)");
        }
        if (classified.getClassification().getContainsSensitiveData()) {
            var kinds = classified.getClassification().getSensitiveKinds();
            return java.util.Optional.of(
                    "it contains sensitive data" + (kinds.isEmpty() ? "" : " (" + String.join(", ", kinds) + ")"));
        }
        if (request.getDecision().getSovereign()) {
            return java.util.Optional.of("the router routed it as sovereign");
        }
        return java.util.Optional.empty();
    }
}
