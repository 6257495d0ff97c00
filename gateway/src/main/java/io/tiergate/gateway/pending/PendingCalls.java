package io.tiergate.gateway.pending;

import io.tiergate.gateway.chat.Outcome;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.RoutingAction;
import io.tiergate.schemas.events.RoutingDecision;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP calls this instance is waiting on, by request id (docs/gateway.md, "Correlation"). Every
 * instance reads every result and decision; only ids held here are decoded and answered, the rest
 * are skipped. An entry lives from before its request is produced until the first of: its result,
 * a deferral, its timeout, the client going away. So memory is bounded by {@code maxPending}
 * whatever happens, and a restart loses nothing but the calls whose connections it closed.
 */
public final class PendingCalls {

    private final int maxPending;
    private final Map<String, Pending> calls = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();

    public PendingCalls(int maxPending) {
        this.maxPending = maxPending;
    }

    /** A waiting call. */
    private static final class Pending {
        final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        volatile RoutingDecision decision;
    }

    /**
     * Starts waiting for {@code requestId}; the future completes with its outcome, or exceptionally
     * with a {@code TimeoutException} after {@code timeoutMs}. Cancelling it (the client left) forgets
     * the call.
     *
     * @return empty when {@code maxPending} calls are already waiting
     */
    public Optional<CompletableFuture<Outcome>> register(String requestId, long timeoutMs) {
        if (size.incrementAndGet() > maxPending) {
            size.decrementAndGet();
            return Optional.empty();
        }
        Pending p = new Pending();
        if (calls.putIfAbsent(requestId, p) != null) {
            size.decrementAndGet();
            throw new IllegalStateException("request id " + requestId + " is already waiting");
        }
        p.outcome.whenComplete((o, e) -> forget(requestId, p));
        p.outcome.orTimeout(timeoutMs, TimeUnit.MILLISECONDS);
        return Optional.of(p.outcome);
    }

    private void forget(String requestId, Pending p) {
        if (calls.remove(requestId, p)) {
            size.decrementAndGet();
        }
    }

    /** Whether a record keyed {@code requestId} is worth decoding here. */
    public boolean waitingFor(String requestId) {
        return requestId != null && calls.containsKey(requestId);
    }

    /** A final result: answers its call, if waiting here. */
    public void onResult(InferenceResult result) {
        Pending p = calls.get(result.getRequestId());
        if (p != null) {
            p.outcome.complete(Outcome.of(result, p.decision));
        }
    }

    /** A routing decision: kept for the answer (the rule), and a deferral answers the call at once. */
    public void onDecision(RoutingDecision decision) {
        Pending p = calls.get(decision.getRequestId());
        if (p == null) {
            return;
        }
        p.decision = decision;
        if (decision.getAction() == RoutingAction.DEFER) {
            p.outcome.complete(Outcome.deferred(decision));
        }
    }

    /**
     * The routing decision read so far for a call waiting here: the rule a streamed response's
     * headers carry at its first chunk (the router writes it before a worker gets the request).
     */
    public Optional<RoutingDecision> decision(String requestId) {
        Pending p = calls.get(requestId);
        return p == null ? Optional.empty() : Optional.ofNullable(p.decision);
    }

    /** Calls waiting now. */
    public int size() {
        return size.get();
    }
}
