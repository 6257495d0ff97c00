package io.tiergate.worker.shadow;

import io.micrometer.core.instrument.MeterRegistry;
import io.tiergate.schemas.cost.ModelPrice;
import io.tiergate.schemas.events.CapabilityClass;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.worker.work.RequestHandler;
import io.tiergate.worker.work.SovereigntyViolationException;
import io.tiergate.worker.work.Work;
import io.tiergate.worker.work.WorkOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local worker's handler with shadow traffic (docs/calibration.md, "Shadow traffic"): runs the
 * wrapped handler, and when it served the request (COMPLETED) and the {@link ShadowSampler} picks it,
 * adds the request's shadow for the reference model to the same transaction. What the caller gets is
 * exactly the wrapped handler's outcome: its result is not touched, and a shadow that cannot be made
 * is skipped, never turned into a failure of the request.
 */
public final class ShadowingHandler implements RequestHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ShadowingHandler.class);

    private final RequestHandler served;
    private final ShadowPlan plan;
    private final MeterRegistry meters;

    public ShadowingHandler(RequestHandler served, ShadowPlan plan, MeterRegistry meters) {
        this.served = served;
        this.plan = plan;
        this.meters = meters;
    }

    @Override
    public WorkOutcome handle(Work work) throws Exception {
        WorkOutcome outcome = served.handle(work);
        if (outcome == null
                || outcome.kind() != WorkOutcome.Kind.COMPLETED
                || outcome.status().orElse(null) != ResultStatus.COMPLETED
                || !plan.sampler().sampled(work.request())) {
            return outcome;
        }
        InferenceResult result = outcome.result().orElseThrow();
        String reference = plan.referenceModel(work.taskType());
        CapabilityClass capability = work.environment()
                .pricer()
                .model(reference)
                .map(ModelPrice::capabilityClass)
                .orElse(CapabilityClass.UNKNOWN);
        RoutedRequest shadow = ShadowRequests.of(
                work.request(),
                result,
                work.nextAttempt(),
                reference,
                capability,
                plan.scope(),
                work.environment().clock().instant());
        try {
            WorkOutcome shadowed = work.withShadow(outcome, plan.topic(), shadow);
            meters.counter(
                            "tiergate.shadow.requests",
                            "task_type",
                            work.taskType().name())
                    .increment();
            return shadowed;
        } catch (SovereigntyViolationException e) {
            // the sampler never picks a sovereign request: this is a bug, and the caller's answer still stands
            LOG.error("Shadow of request {} refused: {}", work.requestId(), e.getMessage());
            meters.counter("tiergate.shadow.refused.sovereign").increment();
            return outcome;
        }
    }
}
