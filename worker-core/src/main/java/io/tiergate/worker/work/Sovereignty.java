package io.tiergate.worker.work;

import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.Tier;

/**
 * DESIGN.md policy 1, as the workers enforce it: a request is sovereign when upstream asked for
 * data sovereignty, the classifier found sensitive data, or the router marked the decision
 * sovereign. A sovereign request never goes to the cloud tier — not by escalation, not by fallback.
 */
public final class Sovereignty {

  private Sovereignty() {}

  public static boolean isSovereign(RoutedRequest request) {
    return request.getClassified().getRequest().getRequiresDataSovereignty()
        || request.getClassified().getClassification().getContainsSensitiveData()
        || request.getDecision().getSovereign();
  }

  /**
   * @throws SovereigntyViolationException when {@code request} is sovereign and {@code target} is
   *     the cloud tier
   */
  public static void requireMayGoTo(RoutedRequest request, Tier target) {
    if (target == Tier.CLOUD && isSovereign(request)) {
      throw new SovereigntyViolationException(
          "Request " + request.getClassified().getRequest().getRequestId()
              + " is sovereign (requiresDataSovereignty, sensitive data or a sovereign decision): it must not reach the cloud tier");
    }
  }
}
