package io.tiergate.cloudworker.serve;

import io.micrometer.core.instrument.MeterRegistry;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.events.ShadowAnswer;
import io.tiergate.schemas.events.ShadowOf;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.worker.work.Attempt;
import io.tiergate.worker.work.Output;
import io.tiergate.worker.work.RequestHandler;
import io.tiergate.worker.work.Work;
import io.tiergate.worker.work.WorkOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one shadow request of {@code inference.shadow} (docs/calibration.md, "Shadow traffic"): one
 * call of the reference model with the request's conversation, billed with reason {@link
 * CostReason#SHADOW} to the shadow budget scope (the request's cost center) through the normal cost
 * path, and its answer published to {@code inference.shadow.answers} beside the local answer — never
 * as a result. Shadow traffic is the lowest priority there is:
 *
 * <ul>
 *   <li>the call is admitted against the shadow scope's budget and {@code global} first ({@link
 *       Work#budgetRefusal}); refused, nothing is called and nothing billed (the daily cap);
 *   <li>no retry, no fallback, no wait for the model's rpm/tpm budget or for a half-open circuit;
 *   <li>a failed call is billed (its cost event) and yields no answer;
 *   <li>a sovereign request is refused without a call — it must never have reached this topic.
 * </ul>
 */
public final class ShadowRequestHandler implements RequestHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ShadowRequestHandler.class);

    private final CloudModels models;
    private final Topic<ShadowAnswer> answers;
    private final MeterRegistry meters;

    public ShadowRequestHandler(CloudModels models, Topic<ShadowAnswer> answers, MeterRegistry meters) {
        this.models = models;
        this.answers = answers;
        this.meters = meters;
    }

    @Override
    public WorkOutcome handle(Work work) {
        if (!work.shadow()) {
            throw new io.tiergate.platform.kafka.InvalidInputException(
                    "request " + work.requestId() + " on the shadow topic carries no shadow (RoutedRequest.shadow)");
        }
        if (work.sovereign()) {
            LOG.error("Sovereign request {} reached the shadow topic: refused, no model called", work.requestId());
            meters.counter("tiergate.cloud-worker.sovereign.refused").increment();
            return work.finishAside(List.of());
        }
        String model = work.decision().getModel();
        Optional<ServingModel> serving = models.get(model);
        if (serving.isEmpty()) {
            return skipped(work, "no_model", "reference model " + model + " is not available on this worker");
        }
        ServingModel m = serving.get();
        Optional<String> unbudgeted = work.budgetRefusal(m.backend(), model);
        if (unbudgeted.isPresent()) {
            return skipped(work, "budget", unbudgeted.get());
        }
        if (!m.breaker().tryAcquirePermission()) {
            return skipped(work, "circuit", model + ": circuit " + m.breaker().getState());
        }
        long estimate =
                Math.max(1, work.request().getClassified().getClassification().getEstimatedInputTokens())
                        + work.outputLimit(m.backend(), model);
        if (m.limiter().reserve(estimate, Duration.ZERO).isEmpty()) {
            m.breaker().releasePermission();
            return skipped(work, "rate_limit", model + ": its rpm/tpm budget is taken");
        }
        long start = System.nanoTime();
        Attempt attempt = work.call(m.backend(), model, m.endpoint().timeout(), CostReason.SHADOW);
        long took = System.nanoTime() - start;
        m.limiter()
                .settle(estimate, attempt.usage().totalInput() + attempt.usage().output());
        if (!attempt.success()) {
            m.breaker().onError(took, TimeUnit.NANOSECONDS, attempt.failure().orElseThrow());
            meters.counter(
                            "tiergate.shadow.failed",
                            "task_type",
                            work.taskType().name())
                    .increment();
            return work.finishAside(List.of());
        }
        m.breaker().onSuccess(took, TimeUnit.NANOSECONDS);
        meters.counter("tiergate.shadow.answered", "task_type", work.taskType().name())
                .increment();
        return work.finishAside(List.of(new Output<>(answers, work.requestId(), answer(work, attempt))));
    }

    private WorkOutcome skipped(Work work, String why, String detail) {
        LOG.debug("Shadow of request {} skipped: {}", work.requestId(), detail);
        meters.counter("tiergate.shadow.skipped", "why", why).increment();
        return work.finishAside(List.of());
    }

    private static ShadowAnswer answer(Work work, Attempt attempt) {
        ShadowOf shadow = work.request().getShadow();
        InferenceRequest request = work.inferenceRequest();
        return ShadowAnswer.newBuilder()
                .setRequestId(work.requestId())
                .setCostCenter(shadow.getCostCenter())
                .setTaskType(work.taskType())
                .setAttributes(request.getAttributes())
                .setPrompt(request.getPrompt())
                .setLocalModel(shadow.getLocalModel())
                .setLocalAnswer(shadow.getLocalAnswer())
                .setReferenceModel(attempt.model())
                .setReferenceAnswer(attempt.response().orElseThrow().output())
                .setShadowCostUsd(Money.usd(attempt.cost().totalUsd()))
                .setSimulated(shadow.getLocalSimulated() || attempt.simulated())
                .setAnsweredAt(attempt.occurredAt())
                .build();
    }
}
