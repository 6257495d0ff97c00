package io.tiergate.worker.runtime;

import io.tiergate.schemas.events.AttemptStarted;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.policy.BudgetHeadroomRule;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.worker.work.BudgetAdmission;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A worker's view of the budgets (docs/budgets.md, "Every paid call reserved"): the latest {@code
 * budget.status} of every scope, plus this worker's own cloud calls the statuses may not include
 * yet. A call the router did not reserve is admitted only if, for its cost center and for {@code
 * global}, the ledger's spend (open attempts included) + what this worker holds + the call's worst
 * case fits every limit ({@link BudgetHeadroomRule}, the router's rule).
 *
 * <p>What this worker holds, per call of the cloud tier (the tier a budget counts by default):
 *
 * <ul>
 *   <li>from its {@code AttemptStarted} (durable) until the call returns: the worst case; then, until
 *       its cost event is committed, the real cost (the ledger counts it open at its worst case, or
 *       not yet at all: either way the real cost is not missing);
 *   <li>from then until the statuses of its cost center and of {@code global} both cover the cost
 *       event's offset ({@code countedCostOffsets}): the real cost. A cost event of this worker without
 *       an attempt held (an in-doubt settlement of another worker's call) is held the same way.
 * </ul>
 *
 * So a call is never missing from the view: before the ledger reads its attempt it is held here, and
 * it stops being held only once a status includes its cost. It can be counted twice meanwhile (held
 * here and open in a status): conservative. An attempt whose cost event this worker never commits
 * (its request was given up on a rebalance; the new owner settles it) is held for {@code maxHold}
 * after it started, then dropped: by then the ledger counts it open or settled. Thread-safe.
 */
public final class BudgetBoard implements BudgetAdmission {

    private record Hold(String costCenter, BigDecimal usd, Instant startedAt, int partition, long offset) {
        boolean settled() {
            return partition >= 0;
        }
    }

    private final Map<String, BudgetStatus> statuses = new ConcurrentHashMap<>();
    private final Map<String, Hold> holds = new LinkedHashMap<>(); // guarded by this; key requestId|attempt
    private final Clock clock;
    private final Duration maxHold;

    /**
     * @param maxHold how long an attempt without a committed cost event is held (the worker's
     *     attempts memory: the longest a call can stay open before another worker settles it)
     */
    public BudgetBoard(Clock clock, Duration maxHold) {
        this.clock = clock;
        this.maxHold = maxHold;
    }

    /** The latest status of {@code scope}; null: a tombstone (the budget was deleted). */
    public void status(String scope, BudgetStatus status) {
        if (status == null) {
            statuses.remove(scope);
        } else {
            statuses.put(scope, status);
        }
        synchronized (this) {
            holds.values().removeIf(h -> h.settled() && covered(h));
        }
    }

    /** The level the ledger last reported for {@code scope}; empty: no budget. */
    public Optional<BudgetLevel> levelOf(String scope) {
        return Optional.ofNullable(statuses.get(scope)).map(BudgetStatus::getLevel);
    }

    public Optional<BudgetStatus> statusOf(String scope) {
        return Optional.ofNullable(statuses.get(scope));
    }

    @Override
    public synchronized void started(AttemptStarted attempt) {
        CostEvent worst = attempt.getWorstCase();
        if (worst.getTier() != Tier.CLOUD) {
            return;
        }
        holds.put(
                key(attempt.getRequestId(), attempt.getAttempt()),
                new Hold(worst.getCostCenter(), worst.getCostUsd(), attempt.getStartedAt(), -1, -1));
    }

    @Override
    public synchronized void finished(String requestId, int attempt, BigDecimal costUsd) {
        // the real cost is known: the ledger still counts the call open at its worst case, or not at all yet
        holds.computeIfPresent(
                key(requestId, attempt), (k, h) -> new Hold(h.costCenter(), costUsd, h.startedAt(), -1, -1));
    }

    /** A cost event of this worker is committed at {@code offset} of {@code inference.costs} partition {@code partition}. */
    public synchronized void committed(CostEvent cost, int partition, long offset) {
        String key = key(cost.getRequestId(), cost.getAttempt());
        if (cost.getTier() != Tier.CLOUD) {
            holds.remove(key);
            return;
        }
        Hold settled = new Hold(cost.getCostCenter(), cost.getCostUsd(), clock.instant(), partition, offset);
        if (covered(settled)) {
            holds.remove(key);
        } else {
            holds.put(key, settled);
        }
    }

    /** What this worker holds against {@code scope} (its cost center's calls; every call for {@code global}). */
    public synchronized BigDecimal held(String scope) {
        expire();
        BigDecimal sum = Money.ZERO;
        for (Hold h : holds.values()) {
            if (Topics.GLOBAL_SCOPE.equals(scope) || h.costCenter().equals(scope)) {
                sum = sum.add(h.usd());
            }
        }
        return Money.usd(sum);
    }

    /** Calls held (metrics, tests). */
    public synchronized int heldCount() {
        expire();
        return holds.size();
    }

    @Override
    public Optional<Refusal> refusal(String costCenter, BigDecimal worstCaseUsd) {
        for (String scope : Topics.GLOBAL_SCOPE.equals(costCenter)
                ? new String[] {costCenter}
                : new String[] {costCenter, Topics.GLOBAL_SCOPE}) {
            BudgetStatus status = statuses.get(scope);
            if (status == null) {
                continue; // no budget: nothing to protect
            }
            Optional<String> refused = BudgetHeadroomRule.refusal(status, held(scope), worstCaseUsd, 1);
            if (refused.isPresent()) {
                return Optional.of(new Refusal(scope, status.getOnExhausted(), refused.get()));
            }
        }
        return Optional.empty();
    }

    private void expire() {
        Instant oldest = clock.instant().minus(maxHold);
        for (Iterator<Hold> it = holds.values().iterator(); it.hasNext(); ) {
            Hold h = it.next();
            if (!h.settled() && h.startedAt().isBefore(oldest)) {
                it.remove();
            }
        }
    }

    /** The statuses of the cost's cost center and of global both include it (a scope without a budget needs none). */
    private boolean covered(Hold h) {
        return covers(statuses.get(h.costCenter()), h) && covers(statuses.get(Topics.GLOBAL_SCOPE), h);
    }

    private static boolean covers(BudgetStatus status, Hold h) {
        if (status == null) {
            return true;
        }
        Long next = status.getCountedCostOffsets().get(Integer.toString(h.partition()));
        return next != null && next > h.offset();
    }

    private static String key(String requestId, int attempt) {
        return requestId + "|" + attempt;
    }
}
