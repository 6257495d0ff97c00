package io.tiergate.worker.work;

import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.policy.SovereigntyRule;

/**
 * The workers' guard for policy 1 of docs/architecture.md: a sovereign request never goes to the
 * cloud tier — not by escalation, not by fallback. Whether a request is sovereign is the shared
 * predicate {@link SovereigntyRule#isSovereign(RoutedRequest)}; this class only refuses the hand-off.
 */
public final class Sovereignty {

    private Sovereignty() {}

    /**
     * @throws SovereigntyViolationException when {@code request} is sovereign and {@code target} is
     *     the cloud tier
     */
    public static void requireMayGoTo(RoutedRequest request, Tier target) {
        if (target == Tier.CLOUD && SovereigntyRule.isSovereign(request)) {
            throw new SovereigntyViolationException(
                    "Request " + request.getClassified().getRequest().getRequestId()
                            + " is sovereign (requiresDataSovereignty, sensitive data or a sovereign decision): it must not reach the cloud tier");
        }
    }
}
