package io.tiergate.worker.work;

import io.tiergate.schemas.cost.Cost;
import io.tiergate.schemas.cost.ModelPrice;
import io.tiergate.schemas.cost.TokenUsage;
import io.tiergate.schemas.events.AttemptStarted;
import io.tiergate.schemas.events.CapabilityClass;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.InferenceRequest;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.policy.SovereigntyRule;
import io.tiergate.schemas.results.RequestAttributes;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.worker.backend.ModelBackend;
import io.tiergate.worker.backend.ModelCall;
import io.tiergate.worker.backend.ModelCallException;
import io.tiergate.worker.backend.ModelResponse;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CancellationException;

/**
 * One worker's handling of one routed request: the attempts it makes (numbered, reasoned and priced
 * as they happen) and how it finishes. Everything a worker publishes for a request is built here,
 * so the rules below hold for every worker:
 *
 * <ul>
 *   <li>every call is written ahead: {@link #announce} makes an {@code AttemptStarted} with the
 *       call's worst-case cost durable before the model is called ({@link WriteAhead});
 *   <li>attempt numbers continue the request's: this worker's first call is {@code request.attempt},
 *       or the number after the attempts a dead worker left open for this record ({@link Takeover}),
 *       then +1 per call, so no two calls of a request carry one number;
 *   <li>attempts a dead worker left open are billed here at their worst case, {@code inDoubt};
 *   <li>reason: PRIMARY for attempt 1 on the decision's model (FALLBACK on another); the first attempt of a handed-on request is ESCALATION (RETRY
 *       when it carries no escalation reason); later calls of the same model are RETRY, of another
 *       model FALLBACK;
 *   <li>one cost event per attempt — a failed call that consumed nothing costs zero, success=false;
 *   <li>the final result carries {@code priorCostUsd} + this worker's costs, {@code priorReasons} +
 *       this worker's reasons, and the request-wide attempt count;
 *   <li>a hand-off never sends a sovereign request to the cloud tier.
 * </ul>
 * Not for sharing between threads beyond the one handler call (methods are synchronized so the
 * runtime can read the attempts of a handler that threw).
 */
public final class Work {

    private final RoutedRequest request;
    private final WorkEnvironment env;
    private final Instant startedAt;
    private final List<Attempt> attempts = new ArrayList<>();
    private final List<String> reasons = new ArrayList<>();
    private final Delivery delivery;
    private final WriteAhead writeAhead;
    private final Takeover takeover;
    private final BudgetAdmission budget;
    private final StreamRelay relay;
    private volatile boolean cancelled;

    /**
     * The error code of a result that stopped because the budget could not admit its next call (the
     * code the router's budget rejections carry too).
     */
    public static final String BUDGET_EXHAUSTED = "BUDGET_EXHAUSTED";

    /**
     * The output length a call's worst case assumes when the call carries no output limit (a call
     * built by hand; {@link #call} always sets the request's limit or the model's cap).
     */
    public static final long DEFAULT_WORST_CASE_OUTPUT_TOKENS = 32_768;

    /** Outside a worker runtime: no write-ahead, nothing taken over (unit tests, tools). */
    public Work(RoutedRequest request, WorkEnvironment env) {
        this(request, env, null, WriteAhead.NONE, Takeover.fresh(request));
    }

    /**
     * @param delivery where the routed record was read (recorded with each attempt-started record)
     * @param writeAhead makes each call's attempt-started record durable before the call
     * @param takeover what earlier deliveries of the record left open (settled in this work's outcome)
     */
    public Work(
            RoutedRequest request, WorkEnvironment env, Delivery delivery, WriteAhead writeAhead, Takeover takeover) {
        this(request, env, delivery, writeAhead, takeover, BudgetAdmission.NONE);
    }

    /**
     * @param budget admits each call the router did not reserve (retry, fallback, escalation) and
     *     hears of every call written ahead
     */
    public Work(
            RoutedRequest request,
            WorkEnvironment env,
            Delivery delivery,
            WriteAhead writeAhead,
            Takeover takeover,
            BudgetAdmission budget) {
        this(request, env, delivery, writeAhead, takeover, budget, StreamRelay.NONE);
    }

    /**
     * @param relay where the answers of calls are streamed when the request asked to stream
     *     ({@link #stream})
     */
    public Work(
            RoutedRequest request,
            WorkEnvironment env,
            Delivery delivery,
            WriteAhead writeAhead,
            Takeover takeover,
            BudgetAdmission budget,
            StreamRelay relay) {
        this.relay = Objects.requireNonNull(relay, "relay");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.request = Objects.requireNonNull(request, "request");
        this.env = Objects.requireNonNull(env, "env");
        this.delivery = delivery;
        this.writeAhead = Objects.requireNonNull(writeAhead, "writeAhead");
        this.takeover = Objects.requireNonNull(takeover, "takeover");
        if (takeover.duplicate()) {
            throw new IllegalArgumentException("request " + requestId() + " is a duplicate: there is no work to do");
        }
        this.startedAt = env.clock().instant();
    }

    public RoutedRequest request() {
        return request;
    }

    public InferenceRequest inferenceRequest() {
        return request.getClassified().getRequest();
    }

    public RoutingDecision decision() {
        return request.getDecision();
    }

    public String requestId() {
        return inferenceRequest().getRequestId();
    }

    public TaskType taskType() {
        return request.getClassified().getClassification().getTaskType();
    }

    public boolean sovereign() {
        return SovereigntyRule.isSovereign(request);
    }

    /**
     * True for a shadow request (read from {@code inference.shadow}; docs/calibration.md, "Shadow
     * traffic"): it finishes only {@linkplain #finishAside aside} — whatever ends it, it never yields
     * a result (the caller has its answer) and is never handed on.
     */
    public boolean shadow() {
        return request.getShadow() != null;
    }

    public WorkEnvironment environment() {
        return env;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /**
     * True once the runtime has given this request up (its partition was revoked or the worker is
     * stopping): the outcome will not be published, so a handler should stop retrying.
     */
    public boolean cancelled() {
        return cancelled || Thread.currentThread().isInterrupted();
    }

    /** Called by the runtime when it drops the request. */
    public void cancel() {
        cancelled = true;
    }

    /** The number the next call will carry. */
    public synchronized int nextAttempt() {
        return takeover.firstAttempt() + attempts.size();
    }

    /** The cost events settling attempts an earlier delivery left open (billed at worst case, in doubt). */
    public List<CostEvent> inDoubt() {
        return takeover.inDoubt();
    }

    public synchronized List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    public synchronized Optional<Attempt> lastAttempt() {
        return attempts.isEmpty() ? Optional.empty() : Optional.of(attempts.get(attempts.size() - 1));
    }

    /** This worker's reasons so far (retries, fallbacks, notes), in order. */
    public synchronized List<String> reasons() {
        return List.copyOf(reasons);
    }

    /** Adds a reason to the result (e.g. "circuit open for x: skipped"), without an attempt. */
    public synchronized void note(String reason) {
        reasons.add(reason);
    }

    /** Sum of the costs of this worker's attempts, and of the open attempts it settled in doubt. */
    public synchronized BigDecimal costUsd() {
        BigDecimal sum = Money.ZERO;
        for (CostEvent settled : takeover.inDoubt()) {
            sum = sum.add(settled.getCostUsd());
        }
        for (Attempt a : attempts) {
            sum = sum.add(a.cost().totalUsd());
        }
        return Money.usd(sum);
    }

    /** Costs of earlier workers plus this one's. */
    public synchronized BigDecimal totalCostUsd() {
        return Money.usd(priorCost().add(costUsd()));
    }

    /** The most this request may cost over all its calls (the router's decision), or none. */
    public CostCeiling costCeiling() {
        return CostCeiling.of(request.getDecision());
    }

    /**
     * The {@code max_tokens} of a call of {@code model} on {@code backend}: the request's {@code
     * maxOutputTokens}, else the backend's endpoint default, else the model's cap — never above the
     * model's cap in the price table (a model it does not list: the request's or endpoint's limit,
     * else {@link ModelCall#FALLBACK_MAX_OUTPUT_TOKENS}).
     */
    public int outputLimit(ModelBackend backend, String model) {
        return outputLimit(model, backend.defaultMaxOutputTokens());
    }

    /** As {@link #outputLimit(ModelBackend, String)} for a call on an endpoint whose default is {@code endpointDefault}. */
    public int outputLimit(String model, OptionalInt endpointDefault) {
        Integer requested = inferenceRequest().getMaxOutputTokens();
        Long asked = requested != null
                ? Long.valueOf(requested)
                : endpointDefault.isPresent() ? Long.valueOf(endpointDefault.getAsInt()) : null;
        Optional<ModelPrice> price = env.pricer().model(model);
        if (price.isPresent()) {
            return (int) price.get().outputLimit(asked);
        }
        return asked != null ? Math.toIntExact(asked) : ModelCall.FALLBACK_MAX_OUTPUT_TOKENS;
    }

    /**
     * Empty when the next call of {@code model} on {@code backend} fits the request's {@link
     * CostCeiling}; otherwise the reason it may not be made.
     */
    public Optional<String> ceilingRefusal(ModelBackend backend, String model) {
        return ceilingRefusal(model, outputLimit(backend, model));
    }

    /**
     * Empty when a call of {@code model} with {@code outputLimit} as its {@code max_tokens} fits the
     * request's {@link CostCeiling}: what the request has spent on every tier so far plus the call's
     * worst case (the classifier's input estimate and {@code outputLimit} priced) stays within it. A
     * model the price table does not list has no worst case and is not held to the ceiling.
     */
    public Optional<String> ceilingRefusal(String model, int outputLimit) {
        CostCeiling ceiling = costCeiling();
        if (ceiling.usd().isEmpty()) {
            return Optional.empty();
        }
        long input = Math.max(0, request.getClassified().getClassification().getEstimatedInputTokens());
        Optional<BigDecimal> worst = env.pricer().worstCaseUsd(model, input, outputLimit);
        if (worst.isEmpty()) {
            return Optional.empty();
        }
        return ceiling.refusal(
                totalCostUsd(),
                worst.get(),
                "attempt " + nextAttempt() + " on " + model + " (" + input + " input tokens, max_tokens " + outputLimit
                        + ")");
    }

    /**
     * Empty when the next call of {@code model} on {@code backend} is the primary call the router
     * reserved, or when its worst case fits the budget; otherwise the reason it may not be made.
     */
    public Optional<String> budgetRefusal(ModelBackend backend, String model) {
        return budgetRefusal(model, outputLimit(backend, model));
    }

    /**
     * Empty when a call of {@code model} with {@code outputLimit} as its {@code max_tokens} may be
     * made as far as the budget goes (docs/budgets.md, "Every paid call reserved"): it is the
     * request's primary call (reserved by the router when it routed the request), or its worst case
     * fits every budget of the cost center and {@code global} ({@link BudgetAdmission}). Otherwise
     * the reason, naming the call, its worst case and the budget's state. Only cloud models are
     * checked (budgets count cloud spend; a model the price table does not list has no worst case).
     */
    public Optional<String> budgetRefusal(String model, int outputLimit) {
        if (reasonForNext(model) == CostReason.PRIMARY
                || env.pricer().model(model).map(p -> p.tier() != Tier.CLOUD).orElse(true)) {
            return Optional.empty(); // reserved by the router; or not cloud spend, which budgets do not count
        }
        long input = Math.max(0, request.getClassified().getClassification().getEstimatedInputTokens());
        Optional<BigDecimal> worst = env.pricer().worstCaseUsd(model, input, outputLimit);
        if (worst.isEmpty()) {
            return Optional.empty();
        }
        return budget.refusal(inferenceRequest().getCostCenter(), worst.get())
                .map(r -> "budget exhausted for " + reasonForNext(model) + " attempt " + nextAttempt() + " on " + model
                        + ": worst case $" + Money.usd(worst.get()).toPlainString() + " (" + input
                        + " input tokens, max_tokens " + outputLimit + "); " + r.reason() + "; not called (onExhausted "
                        + r.onExhausted() + " of '" + r.scope() + "' cannot apply: a worker neither defers nor moves a"
                        + " routed request)");
    }

    /**
     * Calls {@code model} on {@code backend} as the next attempt, records the attempt priced, and
     * returns it. Never throws a {@link ModelCallException}: a failed call is an attempt with
     * {@link Attempt#failure()}.
     *
     * @throws CostCeilingExceededException when the call's worst case does not fit the request's
     *     ceiling: no call is made (check {@link #ceilingRefusal} first)
     */
    public Attempt call(ModelBackend backend, String model, Duration timeout) {
        return call(backend, model, timeout, null);
    }

    /**
     * As {@link #call(ModelBackend, String, Duration)} with an explicit cost reason.
     *
     * The call carries {@link #outputLimit(ModelBackend, String)} as its {@code max_tokens}.
     *
     * @throws CancellationException when the runtime has given the request up: no call is made
     * @throws CostCeilingExceededException when the call's worst case does not fit the request's
     *     ceiling: no call is made
     * @throws BudgetRefusedException when the call is not the reserved primary and its worst case does
     *     not fit the budget: no call is made (check {@link #budgetRefusal} first)
     */
    public Attempt call(ModelBackend backend, String model, Duration timeout, CostReason reason) {
        if (cancelled()) {
            throw new CancellationException("request " + requestId() + " was given up by the worker runtime");
        }
        int limit = outputLimit(backend, model);
        Optional<String> refused = ceilingRefusal(model, limit);
        if (refused.isPresent()) {
            throw new CostCeilingExceededException("request " + requestId() + ": " + refused.get());
        }
        Optional<String> unbudgeted = budgetRefusal(model, limit);
        if (unbudgeted.isPresent()) {
            throw new BudgetRefusedException("request " + requestId() + ": " + unbudgeted.get());
        }
        int number = nextAttempt();
        ModelCall call = ModelCall.of(request, model, number, timeout).withMaxOutputTokens(limit);
        long start = System.nanoTime();
        try {
            announce(call, backend, reason);
        } catch (WriteAhead.NotDurableException e) {
            // never call a model whose attempt is not durable: a crash would leave the call unbilled
            return recordFailed(
                    model,
                    backend.provider(),
                    backend.simulated(),
                    ModelCallException.nonRetryable("write_ahead_failed", e.getMessage(), null),
                    Duration.ZERO,
                    reason);
        }
        try {
            AnswerStream stream = stream(call);
            ModelResponse response = backend.call(call, stream.sink());
            stream.finish(response);
            return recordAnswered(model, response, reason);
        } catch (ModelCallException e) {
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            return recordFailed(model, backend.provider(), backend.simulated(), e, elapsed, reason);
        }
    }

    /**
     * Where {@code call}'s answer is streamed (docs/gateway.md, "Streaming"): to {@code
     * inference.stream} when the request asked to stream ({@link RequestAttributes#STREAM}) and the
     * runtime relays streams; else {@link AnswerStream#off()}. {@link #call} uses it; a handler that
     * calls a backend itself passes {@link AnswerStream#sink()} to the backend and calls {@link
     * AnswerStream#finish} when the call answered.
     */
    public AnswerStream stream(ModelCall call) {
        if (relay == StreamRelay.NONE
                || !"true".equals(inferenceRequest().getAttributes().get(RequestAttributes.STREAM))) {
            return AnswerStream.off();
        }
        return new AnswerStream(relay, requestId(), call.attempt(), call.model(), env.tier(), env.clock());
    }

    /**
     * Writes {@code call} ahead (docs/delivery.md, "Write-ahead attempts"): returns once an
     * {@code AttemptStarted} carrying the call's worst-case cost event is durable. {@link #call} does
     * it; a handler that calls a backend itself calls this right before, then records the call with
     * {@link #recordAnswered} or {@link #recordFailed}.
     *
     * @param reason null: the reason the recorded attempt will get
     * @throws WriteAhead.NotDurableException when it is not durable: do not call the model
     * @throws CancellationException when the runtime gave the request up meanwhile: do not call it
     * @throws IllegalArgumentException when {@code call} is not this work's next attempt
     */
    public void announce(ModelCall call, ModelBackend backend, CostReason reason) {
        AttemptStarted started;
        synchronized (this) {
            if (call.attempt() != nextAttempt()) {
                throw new IllegalArgumentException(
                        "call of attempt " + call.attempt() + " announced, the next attempt is " + nextAttempt());
            }
            started = attemptStarted(call, backend, reason != null ? reason : reasonForNext(call.model()));
        }
        writeAhead.started(started);
        budget.started(started);
        if (cancelled()) {
            // given up while the record was written: the next owner settles it in doubt, or it stays
            // open in the ledger at its worst case; either way it is never less than the call would cost
            throw new CancellationException("request " + requestId() + " was given up by the worker runtime");
        }
    }

    private AttemptStarted attemptStarted(ModelCall call, ModelBackend backend, CostReason reason) {
        long inputTokens = Math.max(0, call.estimatedInputTokens());
        long outputTokens = call.maxOutputTokens() != null && call.maxOutputTokens() > 0
                ? call.maxOutputTokens()
                : DEFAULT_WORST_CASE_OUTPUT_TOKENS;
        Cost worst = env.pricer().priceWorstCase(call.model(), inputTokens, outputTokens, call.timeout());
        Instant now = env.clock().instant();
        CostEvent worstCase = CostEvent.newBuilder()
                .setRequestId(requestId())
                .setAttempt(call.attempt())
                .setCostCenter(inferenceRequest().getCostCenter())
                .setTaskType(taskType())
                .setTier(env.tier())
                .setModel(call.model())
                .setProvider(backend.provider())
                .setSimulated(backend.simulated())
                .setReason(reason)
                .setSuccess(false)
                .setInputTokens(inputTokens)
                .setOutputTokens(outputTokens)
                .setCostUsd(Money.usd(worst.totalUsd()))
                .setBreakdown(worst.breakdown())
                .setLatencyMs(call.timeout().toMillis())
                .setOccurredAt(now)
                .setInDoubt(true)
                .build();
        return AttemptStarted.newBuilder()
                .setRequestId(requestId())
                .setAttempt(call.attempt())
                .setSourceTopic(delivery != null ? delivery.topic() : "")
                .setSourcePartition(delivery != null ? delivery.partition() : -1)
                .setSourceOffset(delivery != null ? delivery.offset() : -1)
                .setWorkerId(env.workerId())
                .setStartedAt(now)
                .setWorstCase(worstCase)
                .build();
    }

    /** Records a call the handler made itself that answered. */
    public synchronized Attempt recordAnswered(String model, ModelResponse response, CostReason reason) {
        Cost cost = env.pricer().priceAnswered(model, response);
        Attempt attempt = new Attempt(
                nextAttempt(),
                model,
                response.provider(),
                reason != null ? reason : reasonForNext(model),
                response.simulated(),
                response.usage(),
                cost,
                response.latency(),
                env.clock().instant(),
                Optional.of(response),
                Optional.empty());
        add(attempt);
        return attempt;
    }

    /** Records a call the handler made itself that failed after {@code elapsed}. */
    public synchronized Attempt recordFailed(
            String model,
            String provider,
            boolean simulated,
            ModelCallException failure,
            Duration elapsed,
            CostReason reason) {
        Cost cost = env.pricer().priceFailed(model, failure.consumed(), elapsed);
        Attempt attempt = new Attempt(
                nextAttempt(),
                model,
                provider,
                reason != null ? reason : reasonForNext(model),
                simulated,
                failure.consumed().orElse(TokenUsage.of(0, 0)),
                cost,
                elapsed,
                env.clock().instant(),
                Optional.empty(),
                Optional.of(failure));
        add(attempt);
        return attempt;
    }

    private void add(Attempt attempt) {
        budget.finished(requestId(), attempt.number(), Money.usd(attempt.cost().totalUsd()));
        if (!attempts.isEmpty()) {
            Attempt previous = attempts.get(attempts.size() - 1);
            reasons.add(attempt.reason() + " attempt " + attempt.number() + " on " + attempt.model() + " after attempt "
                    + previous.number() + " on " + previous.model() + " failed: " + previous.outcomeCode());
        }
        attempts.add(attempt);
    }

    private synchronized CostReason reasonForNext(String model) {
        if (attempts.isEmpty() && !takeover.inDoubt().isEmpty()) {
            // the first call after a dead worker's: the same call again, or another model
            String previous =
                    takeover.inDoubt().get(takeover.inDoubt().size() - 1).getModel();
            return previous.equals(model) ? CostReason.RETRY : CostReason.FALLBACK;
        }
        if (attempts.isEmpty()) {
            if (request.getAttempt() == 1) {
                // the router's choice is the primary; starting on another model (primary skipped: circuit
                // open, no endpoint) is already a fallback
                return model.equals(request.getDecision().getModel()) ? CostReason.PRIMARY : CostReason.FALLBACK;
            }
            return request.getEscalationReason() != null ? CostReason.ESCALATION : CostReason.RETRY;
        }
        return attempts.get(attempts.size() - 1).model().equals(model) ? CostReason.RETRY : CostReason.FALLBACK;
    }

    /** Finishes with the answer of the last attempt, which must have succeeded. */
    public synchronized WorkOutcome complete() {
        if (shadow()) {
            return finishAside(List.of());
        }
        Attempt last = lastAttempt().orElseThrow(() -> new IllegalStateException("complete() without any attempt"));
        if (!last.success()) {
            throw new IllegalStateException(
                    "complete() after a failed attempt " + last.number() + ": " + last.outcomeCode());
        }
        ModelResponse response = last.response().orElseThrow();
        InferenceResult result = resultBuilder(ResultStatus.COMPLETED, last.model(), last.provider(), last.simulated())
                .setOutput(response.output())
                .setInputTokens(last.usage().totalInput())
                .setOutputTokens(last.usage().output())
                .setTtftMs(response.ttft().map(Duration::toMillis).orElse(null))
                .setToolCalls(response.toolCalls().orElse(null))
                .setFinishReason(response.finishReason().orElse(null))
                .build();
        return new WorkOutcome(
                WorkOutcome.Kind.COMPLETED, costEvents(), result, null, env.costsTopic(), env.resultsTopic());
    }

    /** Finishes without an answer: a FAILED result with the error, and a cost event per attempt. */
    public synchronized WorkOutcome fail(String errorCode, String message) {
        return finishWithout(ResultStatus.FAILED, errorCode, message);
    }

    /** Finishes refusing the request (invalid input, sovereignty): a REJECTED result. */
    public synchronized WorkOutcome reject(String errorCode, String message) {
        return finishWithout(ResultStatus.REJECTED, errorCode, message);
    }

    /**
     * Finishes a request whose next call the budget refused ({@link #budgetRefusal}) with {@link
     * #BUDGET_EXHAUSTED}: {@code REJECTED} when no call of the request was made on any tier (nothing
     * was served, as the router's rejection), else {@code FAILED} (it was partly served and paid for).
     */
    public synchronized WorkOutcome budgetExhausted(String message) {
        boolean nothingCalled = attempts.isEmpty()
                && takeover.inDoubt().isEmpty()
                && request.getAttempt() == 1
                && priorCost().signum() == 0;
        return finishWithout(nothingCalled ? ResultStatus.REJECTED : ResultStatus.FAILED, BUDGET_EXHAUSTED, message);
    }

    private WorkOutcome finishWithout(ResultStatus status, String errorCode, String message) {
        if (shadow()) {
            return finishAside(List.of()); // a shadow's failure is nobody's result: its cost events only
        }
        Optional<Attempt> last = lastAttempt();
        boolean simulated = attempts.stream().anyMatch(Attempt::simulated);
        InferenceResult result = resultBuilder(
                        status,
                        last.map(Attempt::model).orElse(request.getDecision().getModel()),
                        last.map(Attempt::provider)
                                .orElseGet(
                                        () -> providerOf(request.getDecision().getModel())),
                        simulated)
                .setErrorCode(errorCode)
                .setErrorMessage(message)
                .build();
        return new WorkOutcome(
                WorkOutcome.Kind.valueOf(status.name()),
                costEvents(),
                result,
                null,
                env.costsTopic(),
                env.resultsTopic());
    }

    /**
     * Finishes a {@linkplain #shadow() shadow request}: its cost events and {@code aside} (the
     * reference answer, when there is one), no result.
     *
     * @throws IllegalStateException when this is not a shadow request
     */
    public synchronized WorkOutcome finishAside(List<Output<?>> aside) {
        if (!shadow()) {
            throw new IllegalStateException("request " + requestId() + " is not a shadow request: it ends in a result");
        }
        WorkOutcome outcome =
                new WorkOutcome(WorkOutcome.Kind.ASIDE, costEvents(), null, null, env.costsTopic(), env.resultsTopic());
        for (Output<?> output : aside) {
            outcome = outcome.with(output);
        }
        return outcome;
    }

    /**
     * {@code served} (this request's COMPLETED outcome) and, in the same transaction, {@code
     * shadowRequest} on {@code topic}: the request sampled for shadow traffic (docs/calibration.md,
     * "Shadow traffic"). The caller's result is unchanged.
     *
     * @throws SovereigntyViolationException when this request or the shadow is sovereign: a sovereign
     *     or sensitive request is never shadowed
     * @throws IllegalArgumentException when {@code served} is not a completed result or {@code
     *     shadowRequest} carries no shadow
     */
    public synchronized WorkOutcome withShadow(
            WorkOutcome served, Topic<RoutedRequest> topic, RoutedRequest shadowRequest) {
        if (served.kind() != WorkOutcome.Kind.COMPLETED) {
            throw new IllegalArgumentException("only a completed request is shadowed, not " + served);
        }
        if (shadowRequest.getShadow() == null) {
            throw new IllegalArgumentException("a shadow request carries what it shadows (RoutedRequest.shadow)");
        }
        if (isSovereign() || SovereigntyRule.isSovereign(shadowRequest)) {
            throw new SovereigntyViolationException("Refusing to shadow sovereign request " + requestId() + " to "
                    + topic.name() + ": " + SovereigntyRule.why(request).orElse("its shadow is sovereign"));
        }
        return served.with(new Output<>(topic, requestId(), shadowRequest));
    }

    /**
     * Hands the request on to {@code target} to be served by {@code model} (then {@code fallbacks}):
     * a RoutedRequest with the next attempt number, {@code reason} as escalation reason, and this
     * worker's costs and reasons accumulated into priorCostUsd / priorReasons. Publishes this
     * worker's cost events but no result (the worker that finishes emits it).
     *
     * @throws SovereigntyViolationException for a sovereign request and the cloud tier
     * @throws IllegalStateException when no topic is configured for {@code target}
     */
    public synchronized WorkOutcome handOff(Tier target, String model, List<String> fallbacks, String reason) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(reason, "reason");
        if (shadow()) {
            throw new IllegalStateException("shadow request " + requestId() + " is never handed on");
        }
        Sovereignty.requireMayGoTo(request, target);
        Topic<RoutedRequest> topic = env.handOffTopic(target)
                .orElseThrow(() -> new IllegalStateException("No hand-off topic for tier " + target));
        if (isSovereign() && env.isCloudTopic(topic.name())) {
            throw new SovereigntyViolationException(
                    "Refusing to hand sovereign request " + requestId() + " to " + topic.name());
        }
        List<String> carried = new ArrayList<>(request.getPriorReasons());
        carried.addAll(reasons);
        int lastAttempt = nextAttempt() - 1;
        // an overflow hand-off (queue full, circuit open) made no call here: say so instead of "attempt 0"
        carried.add("ESCALATION to " + target + " (" + model + ") "
                + (lastAttempt == 0 ? "without a call" : "after attempt " + lastAttempt) + ": " + reason);
        RoutingDecision decision = RoutingDecision.newBuilder(request.getDecision())
                .setTier(target)
                .setModel(model)
                .setCapabilityClass(capabilityOf(model))
                .setFallbackModels(List.copyOf(fallbacks))
                .build();
        RoutedRequest next = RoutedRequest.newBuilder(request)
                .setDecision(decision)
                .setAttempt(nextAttempt())
                .setEscalationReason(reason)
                .setPriorCostUsd(totalCostUsd())
                .setPriorReasons(carried)
                .build();
        return new WorkOutcome(
                WorkOutcome.Kind.HANDED_OFF,
                costEvents(),
                null,
                new WorkOutcome.HandOff(topic, next),
                env.costsTopic(),
                env.resultsTopic());
    }

    /**
     * Hands the request on to {@code target}, served by the first model of the decision's fallback
     * list that the price table places on {@code target} (the rest of them as its fallbacks).
     *
     * @throws IllegalStateException when the decision names no such model
     */
    public WorkOutcome handOff(Tier target, String reason) {
        List<String> candidates = request.getDecision().getFallbackModels().stream()
                .filter(m -> env.pricer().model(m).map(p -> p.tier() == target).orElse(false))
                .toList();
        if (candidates.isEmpty()) {
            throw new IllegalStateException("Request " + requestId() + ": no fallback model on tier " + target + " in "
                    + request.getDecision().getFallbackModels());
        }
        return handOff(target, candidates.get(0), candidates.subList(1, candidates.size()), reason);
    }

    private boolean isSovereign() {
        return SovereigntyRule.isSovereign(request);
    }

    private InferenceResult.Builder resultBuilder(
            ResultStatus status, String model, String provider, boolean simulated) {
        Instant now = env.clock().instant();
        List<String> allReasons = new ArrayList<>(request.getPriorReasons());
        allReasons.addAll(reasons);
        long latencyMs = Math.max(
                0, now.toEpochMilli() - inferenceRequest().getCreatedAt().toEpochMilli());
        return InferenceResult.newBuilder()
                .setRequestId(requestId())
                .setCostCenter(inferenceRequest().getCostCenter())
                .setTaskType(taskType())
                .setStatus(status)
                .setTier(env.tier())
                .setModel(model)
                .setCapabilityClass(capabilityOf(model))
                .setProvider(provider)
                .setSimulated(simulated)
                .setAttempts(nextAttempt() - 1)
                .setReasons(allReasons)
                .setTotalCostUsd(totalCostUsd())
                .setLatencyMs(latencyMs)
                .setCompletedAt(now);
    }

    private List<CostEvent> costEvents() {
        List<CostEvent> events = new ArrayList<>(takeover.inDoubt());
        for (Attempt a : attempts) {
            events.add(CostEvent.newBuilder()
                    .setRequestId(requestId())
                    .setAttempt(a.number())
                    .setCostCenter(inferenceRequest().getCostCenter())
                    .setTaskType(taskType())
                    .setTier(env.tier())
                    .setModel(a.model())
                    .setProvider(a.provider())
                    .setSimulated(a.simulated())
                    .setReason(a.reason())
                    .setSuccess(a.success())
                    .setInputTokens(a.usage().uncachedInput())
                    .setOutputTokens(a.usage().output())
                    .setCachedReadTokens(a.usage().cachedRead())
                    .setCacheWriteTokens(a.usage().cacheWrite())
                    .setCostUsd(Money.usd(a.cost().totalUsd()))
                    .setBreakdown(a.cost().breakdown())
                    .setLatencyMs(a.latency().toMillis())
                    .setOccurredAt(a.occurredAt())
                    .build());
        }
        return events;
    }

    private BigDecimal priorCost() {
        BigDecimal prior = request.getPriorCostUsd();
        return prior == null ? Money.ZERO : prior;
    }

    private CapabilityClass capabilityOf(String model) {
        return env.pricer().model(model).map(ModelPrice::capabilityClass).orElse(CapabilityClass.UNKNOWN);
    }

    private String providerOf(String model) {
        return env.pricer().model(model).map(ModelPrice::provider).orElse("none");
    }
}
