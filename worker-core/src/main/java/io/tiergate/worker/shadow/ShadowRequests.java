package io.tiergate.worker.shadow;

import io.tiergate.schemas.events.CapabilityClass;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.events.ShadowOf;
import io.tiergate.schemas.events.Tier;
import java.time.Instant;
import java.util.List;

/**
 * Builds the shadow of a locally served request (docs/calibration.md, "Shadow traffic"): the same
 * conversation, for the cloud tier's {@code referenceModel}, billed to the shadow budget scope.
 *
 * <ul>
 *   <li>{@code costCenter} (request and decision) is the shadow scope, so the call is admitted
 *       against that scope's budget (and {@code global}) and its cost event counts there; the
 *       caller's cost center travels in {@link ShadowOf#getCostCenter()};
 *   <li>{@code attempt} continues the request's numbering after the local attempts, so its cost event
 *       never collides with the caller's in the ledger's de-duplication;
 *   <li>no fallbacks, no cost ceiling (the shadow budget caps it), no prior cost or reasons.
 * </ul>
 */
public final class ShadowRequests {

    /** The decision rule a shadow request carries. */
    public static final String RULE = "SHADOW";

    private ShadowRequests() {}

    /**
     * @param served the locally served request
     * @param result its COMPLETED result (the local answer)
     * @param nextAttempt the attempt number after the local attempts
     */
    public static RoutedRequest of(
            RoutedRequest served,
            InferenceResult result,
            int nextAttempt,
            String referenceModel,
            CapabilityClass referenceCapability,
            String shadowScope,
            Instant now) {
        InferenceRequest original = served.getClassified().getRequest();
        InferenceRequest request =
                InferenceRequest.newBuilder(original).setCostCenter(shadowScope).build();
        ClassifiedRequest classified = ClassifiedRequest.newBuilder(served.getClassified())
                .setRequest(request)
                .build();
        RoutingDecision decision = RoutingDecision.newBuilder(served.getDecision())
                .setCostCenter(shadowScope)
                .setTier(Tier.CLOUD)
                .setModel(referenceModel)
                .setCapabilityClass(referenceCapability)
                .setFallbackModels(List.of())
                .setRule(RULE)
                .setRationale("shadow of a request served locally by " + result.getModel() + " for "
                        + original.getCostCenter())
                .setSovereign(false)
                .setCostCeilingUsd(null)
                .setDecidedAt(now)
                .build();
        return RoutedRequest.newBuilder()
                .setClassified(classified)
                .setDecision(decision)
                .setAttempt(nextAttempt)
                .setEscalationReason(null)
                .setPriorCostUsd(null)
                .setPriorReasons(List.of())
                .setShadow(ShadowOf.newBuilder()
                        .setCostCenter(original.getCostCenter())
                        .setLocalModel(result.getModel())
                        .setLocalAnswer(result.getOutput() == null ? "" : result.getOutput())
                        .setLocalSimulated(result.getSimulated())
                        .setSampledAt(now)
                        .build())
                .build();
    }
}
