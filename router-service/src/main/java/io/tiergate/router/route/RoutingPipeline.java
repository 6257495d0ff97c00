package io.tiergate.router.route;

import io.tiergate.router.budget.BudgetGate;
import io.tiergate.router.metrics.RouterMetrics;
import io.tiergate.router.policy.Decision;
import io.tiergate.router.policy.LocalCapacity;
import io.tiergate.router.policy.RoutingPolicy;
import io.tiergate.router.policy.RoutingTable;
import io.tiergate.schemas.events.ClassifiedRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * The router's main flow for one request (docs/contributing.md, "Style"):
 *
 * <pre>
 *   decision = policy.decide(request, rules.current(), budgets, health.localCapacity(now))
 *   publisher.publish(decision)            // tier topic (or deferred / results) + audit
 *   reserve the estimate if it spends cloud money
 * </pre>
 *
 * Called by one decider thread per router instance, so the admission check inside the policy and
 * the reservation that follows cannot interleave with another decision of this instance.
 */
public final class RoutingPipeline {

    /** A decision and the sends that must complete before the source offset is committed. */
    public record Routed(Decision decision, List<CompletableFuture<?>> sends) {}

    private final RoutingPolicy policy;
    private final Supplier<RoutingTable> rules;
    private final BudgetGate budgets;
    private final LongFunction<LocalCapacity> capacity;
    private final TierPublisher publisher;
    private final RouterMetrics metrics;
    private final Clock clock;

    public RoutingPipeline(
            RoutingPolicy policy,
            Supplier<RoutingTable> rules,
            BudgetGate budgets,
            LongFunction<LocalCapacity> capacity,
            TierPublisher publisher,
            RouterMetrics metrics,
            Clock clock) {
        this.policy = policy;
        this.rules = rules;
        this.budgets = budgets;
        this.capacity = capacity;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * @param partition the routing.by-cost-center partition the request came from (owns its reservation)
     * @param deferCount how often the request was deferred before
     * @throws io.tiergate.platform.kafka.InvalidInputException for an invalid request or a refused cloud write
     */
    public Routed route(ClassifiedRequest classified, int partition, int deferCount) {
        return route(classified, partition, new Deferral(deferCount, -1));
    }

    /**
     * @param partition the routing.by-cost-center partition the request came from (owns its reservation)
     * @param deferral the request's deferral history (from the released record's headers)
     * @throws io.tiergate.platform.kafka.InvalidInputException for an invalid request or a refused cloud write
     */
    public Routed route(ClassifiedRequest classified, int partition, Deferral deferral) {
        long start = System.nanoTime();
        RequestValidator.validate(classified, policy.limits().maxOutputTokens());
        Instant now = clock.instant();
        Decision decision = policy.decide(classified, rules.get(), budgets, capacity.apply(now.toEpochMilli()), now);
        List<CompletableFuture<?>> sends = publisher.publish(decision, classified, deferral);
        if (decision.cloud()) {
            budgets.ledger()
                    .reserve(
                            decision.requestId(),
                            decision.costCenter(),
                            partition,
                            decision.estimatedCostUsd(),
                            now.toEpochMilli());
        }
        metrics.decided(decision, Duration.ofNanos(System.nanoTime() - start));
        return new Routed(decision, sends);
    }

    /** Undoes the reservation of a decision whose records were not all written (the batch is redelivered). */
    /** Sends the records of the batch routed so far now (the caller is about to wait for them). */
    public void flush() {
        publisher.flush();
    }

    public void rollback(Decision decision) {
        if (decision.cloud()) {
            budgets.ledger().cancel(decision.requestId());
        }
    }
}
