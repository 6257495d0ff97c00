package io.tiergate.localworker.serve;

import io.micrometer.core.instrument.MeterRegistry;
import io.tiergate.localworker.capacity.AdmissionQueue;
import io.tiergate.localworker.capacity.LocalCircuit;
import io.tiergate.localworker.endpoint.LocalEndpoint;
import io.tiergate.localworker.endpoint.LocalEndpoints;
import io.tiergate.localworker.escalation.EscalationPolicy;
import io.tiergate.localworker.escalation.EscalationPolicy.Shortage;
import io.tiergate.localworker.escalation.Verdict;
import io.tiergate.localworker.quality.OutputCheck;
import io.tiergate.localworker.quality.OutputValidator;
import io.tiergate.schemas.events.Tier;
import io.tiergate.worker.backend.ModelBackend;
import io.tiergate.worker.backend.ModelCall;
import io.tiergate.worker.backend.ModelCallException;
import io.tiergate.worker.backend.ModelResponse;
import io.tiergate.worker.work.AnswerStream;
import io.tiergate.worker.work.RequestHandler;
import io.tiergate.worker.work.Work;
import io.tiergate.worker.work.WorkOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one request of {@code inference.tier.local} on this machine:
 *
 * <pre>
 * circuit open?          → escalate (non-sovereign, budget allows) | keep and wait for the trial call
 * place in the queue?    → escalate | hold back until a place frees (bounded)   | fail clearly
 * wait for a stream, call the local model (one attempt, priced by TCO)
 * call failed?           → escalate | FAILED result with the error
 * answer checked (JSON / label)?  ok → COMPLETED
 *                        not ok → escalate once (attempt + 1, reason QUALITY) | COMPLETED with the local answer and the reason
 * </pre>
 * An escalation is withheld when the cloud call's worst case would take the request past its cost
 * ceiling (docs/budgets.md, "The cost of one request"): the request stays here as if escalation were
 * not allowed, with the reason among its reasons. The decisions are {@link EscalationPolicy}'s; worker-core's {@link Work} numbers, prices and
 * publishes the attempts and refuses any hand-off of a sovereign request to the cloud.
 */
public final class LocalRequestHandler implements RequestHandler {

    private static final Logger LOG = LoggerFactory.getLogger(LocalRequestHandler.class);

    private final LocalEndpoints endpoints;
    private final AdmissionQueue capacity;
    private final LocalCircuit circuit;
    private final EscalationPolicy policy;
    private final OutputValidator validator;
    private final Duration holdMaxWait;
    private final MeterRegistry meters;

    public LocalRequestHandler(
            LocalEndpoints endpoints,
            AdmissionQueue capacity,
            LocalCircuit circuit,
            EscalationPolicy policy,
            OutputValidator validator,
            Duration holdMaxWait,
            MeterRegistry meters) {
        this.endpoints = endpoints;
        this.capacity = capacity;
        this.circuit = circuit;
        this.policy = policy;
        this.validator = validator;
        this.holdMaxWait = holdMaxWait;
        this.meters = meters;
    }

    @Override
    public WorkOutcome handle(Work work) throws InterruptedException {
        if (circuit.isOpen()) {
            Optional<WorkOutcome> handedOn =
                    escalateIf(work, policy.onShortage(work.request(), Shortage.CIRCUIT_OPEN, circuitDetail()));
            if (handedOn.isPresent()) {
                return handedOn.get();
            }
        }
        Optional<AdmissionQueue.Ticket> admitted = capacity.tryAdmit();
        if (admitted.isEmpty()) {
            Verdict verdict = policy.onShortage(work.request(), Shortage.QUEUE_FULL, queueDetail());
            Optional<WorkOutcome> handedOn = escalateIf(work, verdict);
            if (handedOn.isPresent()) {
                return handedOn.get();
            }
            admitted = capacity.admitWithin(holdMaxWait);
            if (admitted.isEmpty()) {
                return work.fail(
                        Shortage.QUEUE_FULL.code(), verdict.reason() + "; no place freed within " + holdMaxWait);
            }
            work.note("held back: " + verdict.reason());
        }
        try (AdmissionQueue.Ticket ticket = admitted.get()) {
            ticket.awaitStream();
            if (!circuit.tryAcquire()) {
                Verdict verdict = policy.onShortage(work.request(), Shortage.CIRCUIT_OPEN, circuitDetail());
                Optional<WorkOutcome> handedOn = escalateIf(work, verdict);
                if (handedOn.isPresent()) {
                    return handedOn.get();
                }
                if (!circuit.awaitPermission(holdMaxWait)) {
                    return work.fail(
                            Shortage.CIRCUIT_OPEN.code(),
                            verdict.reason() + "; the circuit did not let a call through within " + holdMaxWait);
                }
                work.note("waited for the local circuit: " + verdict.reason());
            }
            return callAndCheck(work);
        }
    }

    /** One local attempt (the circuit permission is held), then the answer's check. */
    private WorkOutcome callAndCheck(Work work) {
        if (work.cancelled()) {
            circuit.release();
            // as Work.call does: the runtime gave the request up (revoked, stopping); do not spend on it
            throw new CancellationException("request " + work.requestId() + " was given up by the worker runtime");
        }
        String model = work.decision().getModel();
        LocalEndpoint endpoint = endpoints.forModel(model);
        ModelBackend backend = endpoint.backend();
        ModelCall call = ModelCall.of(work.request(), model, work.nextAttempt(), endpoint.callTimeout())
                .withMaxOutputTokens(work.outputLimit(backend, model));
        try {
            // durable before the call (docs/delivery.md, "Write-ahead attempts"); not written: no call
            work.announce(call, backend, null);
        } catch (RuntimeException e) {
            circuit.release();
            throw e;
        }
        long start = System.nanoTime();
        ModelResponse response;
        try {
            AnswerStream stream = work.stream(call); // docs/gateway.md, "Streaming"
            response = backend.call(call, stream.sink());
            stream.finish(response);
        } catch (ModelCallException e) {
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (LocalCircuit.countsAgainstServer(e)) {
                circuit.failure(took, e);
            } else {
                circuit.success(took);
            }
            work.recordFailed(model, backend.provider(), backend.simulated(), e, took, null);
            Verdict verdict = policy.onLocalFailure(work.request(), localCode(e), e.getMessage());
            Optional<WorkOutcome> handedOn = escalateIf(work, verdict);
            return handedOn.orElseGet(() -> work.fail(localCode(e), e.getMessage() + " (" + verdict.reason() + ")"));
        } catch (RuntimeException e) {
            circuit.failure(Duration.ofNanos(System.nanoTime() - start), e);
            throw e;
        }
        circuit.success(Duration.ofNanos(System.nanoTime() - start));

        // an answer that calls tools is the model asking for a tool's result, not the task's answer: no shape to check
        OutputCheck check = response.toolCalls().isPresent()
                ? OutputCheck.ok(response.output())
                : validator.check(
                        work.taskType(),
                        response.output(),
                        work.inferenceRequest().getAttributes());
        if (check.acceptable()) {
            work.recordAnswered(model, response.withOutput(check.output()), null);
            return work.complete();
        }
        String problem = check.problem().orElse("output rejected");
        meters.counter(
                        "tiergate.local-worker.quality.rejections",
                        "task_type",
                        work.taskType().name())
                .increment();
        work.recordAnswered(model, response, null);
        Verdict verdict = policy.onQualityFailure(work.request(), problem);
        Optional<WorkOutcome> handedOn = escalateIf(work, verdict);
        if (handedOn.isPresent()) {
            return handedOn.get();
        }
        // not allowed to escalate: the local answer is all there is; deliver it with the reason
        work.note(verdict.reason());
        return work.complete();
    }

    private Optional<WorkOutcome> escalateIf(Work work, Verdict verdict) {
        if (verdict instanceof Verdict.Escalate e) {
            // the cloud call must fit the request's cost ceiling: its max_tokens is the request's, else the
            // model's cap (the cloud endpoint's default is not known here; it is never above the cap)
            Optional<String> refused = work.ceilingRefusal(e.model(), work.outputLimit(e.model(), OptionalInt.empty()));
            if (refused.isPresent()) {
                meters.counter("tiergate.local-worker.kept.local", "why", "cost-ceiling")
                        .increment();
                work.note("not escalated to " + e.model() + " (" + e.reason() + "): " + refused.get());
                return Optional.empty();
            }
            List<String> fallbacks = work.decision().getFallbackModels().stream()
                    .filter(m -> !m.equals(e.model()))
                    .filter(m -> work.environment()
                            .pricer()
                            .model(m)
                            .map(p -> p.tier() == Tier.CLOUD)
                            .orElse(false))
                    .toList();
            meters.counter("tiergate.local-worker.escalations", "reason", reasonCode(e.reason()))
                    .increment();
            LOG.info("Request {} escalates to the cloud tier ({}): {}", work.requestId(), e.model(), e.reason());
            return Optional.of(work.handOff(Tier.CLOUD, e.model(), fallbacks, e.reason()));
        }
        if (work.sovereign()) {
            meters.counter("tiergate.local-worker.kept.local", "why", "sovereign")
                    .increment();
        }
        return Optional.empty();
    }

    private String queueDetail() {
        return capacity.queueDepth() + " waiting for " + capacity.streams() + " stream(s), queue limit "
                + capacity.queueLimit();
    }

    private String circuitDetail() {
        return "local model circuit is " + circuit.state() + " after consecutive failures";
    }

    private static String reasonCode(String reason) {
        int colon = reason.indexOf(':');
        return colon > 0 ? reason.substring(0, colon) : "OTHER";
    }

    private static String localCode(ModelCallException e) {
        return "LOCAL_" + e.errorCode().toUpperCase(Locale.ROOT);
    }
}
