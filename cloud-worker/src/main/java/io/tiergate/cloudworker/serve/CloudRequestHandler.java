package io.tiergate.cloudworker.serve;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.tiergate.cloudworker.resilience.RetryPolicy;
import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.events.Tier;
import io.tiergate.worker.backend.ModelCallException;
import io.tiergate.worker.work.Attempt;
import io.tiergate.worker.work.CostCeiling;
import io.tiergate.worker.work.RequestHandler;
import io.tiergate.worker.work.Work;
import io.tiergate.worker.work.WorkOutcome;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one cloud request: the decision's model, then its fallback models, each tried up to
 * {@code maxAttemptsPerModel} times with exponential backoff + jitter that honours Retry-After;
 * each call respects the model's rpm/tpm budget and circuit breaker, and is its own attempt (its own
 * cost event). A sovereign request is refused without calling anything: it must never have reached
 * this tier.
 *
 * <p>Before every call (retry, fallback, the first call of an escalation) the request's cost ceiling
 * is checked ({@link Work#ceilingRefusal}): a call whose worst case would take the request past it is
 * not made; the handler moves on to the next model of the chain (a cheaper one may still fit), and
 * when the chain ends that way the result is FAILED with {@link CostCeiling#ERROR_CODE} and the
 * reason.
 *
 * <p>Every call but the primary one the router reserved (retries, fallbacks, an escalation's calls)
 * is also admitted against the budget first ({@link Work#budgetRefusal}; docs/budgets.md, "Every
 * paid call reserved"): a refused call is not made, the chain moves on (a cheaper model may fit), and
 * when it ends that way the result carries {@link Work#BUDGET_EXHAUSTED} and the reason.
 */
public final class CloudRequestHandler implements RequestHandler {

    private static final Logger LOG = LoggerFactory.getLogger(CloudRequestHandler.class);
    private static final long HALF_OPEN_POLL_MS = 20;

    /** How the handler waits (backoff, rate limits); tests replace it. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final CloudModels models;
    private final RetryPolicy policy;
    private final PriceTable prices;
    private final Sleeper sleeper;
    private final DoubleSupplier random;
    private final MeterRegistry meters;

    public CloudRequestHandler(
            CloudModels models,
            RetryPolicy policy,
            PriceTable prices,
            Sleeper sleeper,
            DoubleSupplier random,
            MeterRegistry meters) {
        this.models = models;
        this.policy = policy;
        this.prices = prices;
        this.sleeper = sleeper;
        this.random = random;
        this.meters = meters;
    }

    @Override
    public WorkOutcome handle(Work work) throws InterruptedException {
        if (work.sovereign()) {
            LOG.error("Sovereign request {} reached the cloud tier: refused, no model called", work.requestId());
            meters.counter("tiergate.cloud-worker.sovereign.refused").increment();
            return work.reject("sovereignty_violation", "a sovereign request must never be served by the cloud tier");
        }
        long deadline = System.nanoTime() + policy.requestDeadline().toNanos();
        ModelCallException last = null;
        ModelCallException ceiling = null;
        ModelCallException budget = null;
        for (String model : chain(work)) {
            if (prices.model(model).map(p -> p.tier() != Tier.CLOUD).orElse(true)) {
                work.note("skipped " + model + ": not a cloud model of price table " + prices.version());
                continue;
            }
            Optional<ServingModel> serving = models.get(model);
            if (serving.isEmpty()) {
                work.note("skipped " + model + ": not available on this worker (no endpoint or key)");
                continue;
            }
            Optional<ModelCallException> failure = tryModel(work, serving.get(), deadline);
            if (failure.isEmpty()) {
                return work.complete();
            }
            if (CostCeiling.ERROR_CODE.equals(failure.get().errorCode())
                    || Work.BUDGET_EXHAUSTED.equals(failure.get().errorCode())) {
                if (Work.BUDGET_EXHAUSTED.equals(failure.get().errorCode())) {
                    budget = failure.get();
                } else {
                    ceiling = failure.get();
                }
                // keep why the calls made on this model failed, if it was retried up to the ceiling
                Optional<Attempt> previous = work.lastAttempt();
                if (previous.isPresent()
                        && previous.get().model().equals(model)
                        && previous.get().failure().isPresent()) {
                    last = previous.get().failure().get();
                }
                continue;
            }
            // a circuit-open skip is not news: keep the failure that says why the chain failed (a 401, a 503 ...)
            if (last == null || !"circuit_open".equals(failure.get().errorCode())) {
                last = failure.get();
            }
            if (remaining(deadline).isZero()) {
                break;
            }
        }
        if (budget != null) {
            meters.counter("tiergate.cloud-worker.budget.refused").increment();
            return work.budgetExhausted(budget.getMessage()
                    + (ceiling != null ? "; " + ceiling.getMessage() : "")
                    + (last != null ? "; the last call failed: " + last.errorCode() + ": " + last.getMessage() : ""));
        }
        if (ceiling != null) {
            meters.counter("tiergate.cloud-worker.cost-ceiling.stopped").increment();
            return work.fail(
                    CostCeiling.ERROR_CODE,
                    ceiling.getMessage()
                            + (last != null
                                    ? "; the last call failed: " + last.errorCode() + ": " + last.getMessage()
                                    : ""));
        }
        if (last == null) {
            return work.fail("no_model_available", "no model of " + chain(work) + " could be called");
        }
        return work.fail(last.errorCode(), last.getMessage());
    }

    /**
     * A permit from the model's breaker. OPEN refuses at once. HALF_OPEN admits a few trial calls; a
     * request that finds the trials taken waits for their verdict (polling, at most the endpoint's
     * timeout and never past the request's deadline) rather than fail while the provider may be back.
     */
    private static boolean acquirePermission(ServingModel m, long deadline) throws InterruptedException {
        if (m.breaker().tryAcquirePermission()) {
            return true;
        }
        long waitUntil =
                Math.min(deadline, System.nanoTime() + m.endpoint().timeout().toNanos());
        while (m.breaker().getState() == CircuitBreaker.State.HALF_OPEN && System.nanoTime() < waitUntil) {
            Thread.sleep(HALF_OPEN_POLL_MS); // waiting for other threads' trial calls, not a backoff
            if (m.breaker().tryAcquirePermission()) {
                return true;
            }
        }
        return false;
    }

    /** Empty when the model answered; else the failure that made us leave it. */
    private Optional<ModelCallException> tryModel(Work work, ServingModel m, long deadline)
            throws InterruptedException {
        ModelCallException failure = null;
        for (int tryNo = 1; tryNo <= policy.maxAttemptsPerModel(); tryNo++) {
            Duration remaining = remaining(deadline);
            if (remaining.isZero()) {
                work.note("gave up " + m.model() + ": request deadline " + policy.requestDeadline() + " reached");
                return Optional.of(
                        failure != null ? failure : ModelCallException.timeout("request deadline reached", null));
            }
            Optional<String> refused = work.ceilingRefusal(m.backend(), m.model());
            if (refused.isPresent()) {
                work.note("skipped " + m.model() + ": " + refused.get());
                return Optional.of(ModelCallException.nonRetryable(CostCeiling.ERROR_CODE, refused.get(), null));
            }
            Optional<String> unbudgeted = work.budgetRefusal(m.backend(), m.model());
            if (unbudgeted.isPresent()) {
                work.note("skipped " + m.model() + ": " + unbudgeted.get());
                return Optional.of(ModelCallException.nonRetryable(Work.BUDGET_EXHAUSTED, unbudgeted.get(), null));
            }
            if (!acquirePermission(m, deadline)) {
                work.note("skipped " + m.model() + ": circuit " + m.breaker().getState());
                return Optional.of(
                        failure != null
                                ? failure
                                : ModelCallException.retryable(
                                        "circuit_open", m.model() + ": circuit open", null, null));
            }
            long estimate = estimateTokens(work);
            Duration maxWait = min(policy.maxRateLimitWait(), remaining);
            Optional<Duration> wait = m.limiter().reserve(estimate, maxWait);
            if (wait.isEmpty()) {
                m.breaker().releasePermission();
                work.note("skipped " + m.model() + ": its rpm/tpm budget would need a wait over " + maxWait);
                return Optional.of(
                        failure != null
                                ? failure
                                : ModelCallException.retryable(
                                        "local_rate_limit", m.model() + ": rpm/tpm budget", null, null));
            }
            if (!wait.get().isZero()) {
                meters.timer("tiergate.cloud-worker.rate-limit.wait", "model", m.model())
                        .record(wait.get());
                sleeper.sleep(wait.get());
            }
            Duration timeout = min(
                    m.endpoint().timeout(), remaining(deadline).isZero() ? Duration.ofMillis(1) : remaining(deadline));
            long start = System.nanoTime();
            Attempt attempt = work.call(m.backend(), m.model(), timeout);
            long took = System.nanoTime() - start;
            m.limiter()
                    .settle(
                            estimate,
                            attempt.usage().totalInput() + attempt.usage().output());
            if (attempt.success()) {
                m.breaker().onSuccess(took, TimeUnit.NANOSECONDS);
                return Optional.empty();
            }
            failure = attempt.failure().orElseThrow();
            m.breaker().onError(took, TimeUnit.NANOSECONDS, failure);
            if (!failure.retryable() || tryNo == policy.maxAttemptsPerModel()) {
                return Optional.of(failure);
            }
            if (failure.retryAfter()
                    .map(ra -> ra.compareTo(policy.maxRetryAfter()) > 0)
                    .orElse(false)) {
                work.note("left " + m.model() + ": Retry-After "
                        + failure.retryAfter().get() + " exceeds " + policy.maxRetryAfter());
                return Optional.of(failure);
            }
            Duration delay = policy.backoff().delay(tryNo, failure.retryAfter(), random);
            if (delay.compareTo(remaining(deadline)) >= 0) {
                return Optional.of(failure);
            }
            if (!delay.isZero()) {
                sleeper.sleep(delay);
            }
        }
        return Optional.ofNullable(failure);
    }

    private static Set<String> chain(Work work) {
        Set<String> chain = new LinkedHashSet<>();
        chain.add(work.decision().getModel());
        chain.addAll(work.decision().getFallbackModels());
        return chain;
    }

    private long estimateTokens(Work work) {
        Integer max = work.inferenceRequest().getMaxOutputTokens();
        long output = max != null ? max : prices.expectedOutputTokens(work.taskType());
        return Math.max(1, work.request().getClassified().getClassification().getEstimatedInputTokens()) + output;
    }

    private static Duration remaining(long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
