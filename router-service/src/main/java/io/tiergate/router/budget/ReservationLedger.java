package io.tiergate.router.budget;

import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.topics.Topics;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

/**
 * Cloud spend this router instance has committed but the ledger has not counted yet, per scope
 * (docs/budgets.md):
 *
 * <ul>
 *   <li><b>open</b>: each cloud decision reserves its estimated cost until the request's first cost
 *       event arrives on {@code inference.costs}, or {@code reservationTimeout} passes;
 *   <li><b>settled</b>: the actual cost of that event (and any unreserved cloud cost, e.g. a local
 *       worker's escalation) stays counted against a scope until that scope's {@code budget.status}
 *       covers the event's offset on {@code inference.costs} ({@link Coverage}: the status's
 *       {@code countedCostOffsets}), and is dropped once the statuses of its cost center and of
 *       {@code global} both do. No timeout: a ledger that never covers it keeps it counted, and
 *       {@link #oldestUncoveredAt} tells the gate that the ledger is behind (docs/budgets.md,
 *       "Failing closed").
 * </ul>
 *
 * Only cost centers of the {@code routing.by-cost-center} partitions this instance owns are tracked:
 * those are the scopes it decides. On reassignment the new owner rebuilds from the audit log
 * ({@link #rebuild}). Thread-safe: the decider reserves, the state feed settles.
 */
public final class ReservationLedger {

    /** An open reservation. */
    public record Reservation(
            String requestId, String costCenter, int partition, BigDecimal amountUsd, long createdAtMs) {}

    /** A cloud decision found in the audit log, for {@link #rebuild}. */
    public record PastDecision(String requestId, String costCenter, BigDecimal estimatedCostUsd, long decidedAtMs) {}

    /** Totals for metrics. */
    public record Stats(int openCount, BigDecimal openUsd, int settledCount, BigDecimal settledUsd, long expired) {}

    /** What the ledger's statuses include. */
    @FunctionalInterface
    public interface Coverage {
        /**
         * Whether the latest budget.status of {@code scope} includes the cost at {@code offset} of
         * inference.costs partition {@code partition} — or the scope has no budget, so there is
         * nothing to cover.
         */
        boolean covers(String scope, int partition, long offset);
    }

    private record Settled(String costCenter, BigDecimal amountUsd, long receivedAtMs, int partition, long offset) {}

    private record CostSeen(
            String requestId,
            String costCenter,
            Tier tier,
            BigDecimal amountUsd,
            long receivedAtMs,
            int partition,
            long offset) {}

    private final long timeoutMs;
    private final Coverage coverage;

    private final Map<String, Reservation> open = new HashMap<>();
    /** The open reservations, oldest first, so expiry only looks at the head. */
    private final TreeSet<Reservation> byAge =
            new TreeSet<>(Comparator.comparingLong(Reservation::createdAtMs).thenComparing(Reservation::requestId));

    private final Map<String, BigDecimal> openByCostCenter = new HashMap<>();
    private final Map<Integer, BigDecimal> openByPartition = new HashMap<>();
    private BigDecimal openTotal = Money.ZERO;
    private final List<Settled> settled = new ArrayList<>();
    private final Deque<CostSeen> recentCosts = new ArrayDeque<>();
    private final Map<String, Integer> recentCostCount = new HashMap<>();
    private ToIntFunction<String> partitionOf = costCenter -> 0;
    private Set<Integer> owned = null; // null: owns every partition (single instance, CLI, unit tests)
    private long expired;

    /** @param coverage which costs the ledger's statuses include */
    public ReservationLedger(Duration reservationTimeout, Coverage coverage) {
        this.timeoutMs = reservationTimeout.toMillis();
        this.coverage = coverage;
    }

    /** Reserves {@code amountUsd} for a cloud decision (replacing an earlier one for the same request). */
    public synchronized void reserve(
            String requestId, String costCenter, int partition, BigDecimal amountUsd, long nowMs) {
        removeOpen(requestId);
        Reservation r = new Reservation(requestId, costCenter, partition, Money.usd(amountUsd), nowMs);
        add(r);
    }

    /** Undoes a reservation whose decision was never published (a failed batch is redelivered). */
    public synchronized void cancel(String requestId) {
        removeOpen(requestId);
    }

    /**
     * A cost event arrived (at {@code offset} of inference.costs partition {@code partition}): the
     * request's reservation becomes its actual cost until the ledger's statuses include it.
     */
    public synchronized void onCost(
            String requestId,
            String costCenter,
            Tier tier,
            BigDecimal amountUsd,
            long receivedAtMs,
            int partition,
            long offset) {
        BigDecimal amount = Money.usd(amountUsd);
        recentCosts.addLast(new CostSeen(requestId, costCenter, tier, amount, receivedAtMs, partition, offset));
        recentCostCount.merge(requestId, 1, Integer::sum);
        Reservation r = removeOpen(requestId);
        if (r != null || (tier == Tier.CLOUD && owns(costCenter))) {
            settled.add(new Settled(costCenter, amount, receivedAtMs, partition, offset));
        }
        pruneRecent(receivedAtMs);
    }

    /** What this instance holds against {@code scope} (a cost center, or the global scope): open + settled. */
    public synchronized BigDecimal committed(String scope, long nowMs) {
        expire(nowMs);
        pruneSettled();
        boolean global = Topics.GLOBAL_SCOPE.equals(scope);
        BigDecimal sum = global ? openTotal : openByCostCenter.getOrDefault(scope, Money.ZERO);
        for (Settled s : settled) {
            if ((global || s.costCenter().equals(scope)) && !covered(s, scope)) {
                sum = sum.add(s.amountUsd());
            }
        }
        return Money.usd(sum);
    }

    /**
     * When this instance received the oldest cost it holds against {@code scope} that the scope's
     * status does not include yet; {@code Long.MAX_VALUE} when there is none. A cost the ledger has
     * not covered for longer than the staleness bound means the ledger is behind.
     */
    public synchronized long oldestUncoveredAt(String scope) {
        pruneSettled();
        boolean global = Topics.GLOBAL_SCOPE.equals(scope);
        long oldest = Long.MAX_VALUE;
        for (Settled s : settled) {
            if ((global || s.costCenter().equals(scope)) && !covered(s, scope)) {
                oldest = Math.min(oldest, s.receivedAtMs());
            }
        }
        return oldest;
    }

    /**
     * What this instance holds against the global scope in the partition of {@code costCenter}: the
     * global budget is shared per partition of routing.by-cost-center (each partition may hold 1/P of
     * the headroom), so that no reassignment of partitions between instances can add up to more.
     */
    public synchronized BigDecimal committedGlobalInPartitionOf(String costCenter, long nowMs) {
        expire(nowMs);
        pruneSettled();
        int partition = partitionOf.applyAsInt(costCenter);
        BigDecimal sum = openByPartition.getOrDefault(partition, Money.ZERO);
        for (Settled s : settled) {
            if (partitionOf.applyAsInt(s.costCenter()) == partition && !covered(s, Topics.GLOBAL_SCOPE)) {
                sum = sum.add(s.amountUsd());
            }
        }
        return Money.usd(sum);
    }

    /** The partition a cost center's requests are decided on. */
    public synchronized int partitionOf(String costCenter) {
        return partitionOf.applyAsInt(costCenter);
    }

    /** Drops reservations older than the timeout; returns how many. */
    public synchronized int expire(long nowMs) {
        int n = 0;
        while (!byAge.isEmpty() && nowMs - byAge.first().createdAtMs() > timeoutMs) {
            Reservation r = byAge.pollFirst();
            open.remove(r.requestId());
            subtract(r);
            n++;
        }
        expired += n;
        return n;
    }

    /**
     * This instance now owns {@code partitions} (and {@code partitionOf} maps a cost center to its
     * partition): keeps only the state of owned cost centers.
     */
    public synchronized void assign(Collection<Integer> partitions, ToIntFunction<String> partitionOf) {
        this.owned = new HashSet<>(partitions);
        this.partitionOf = partitionOf;
        for (Iterator<Reservation> it = open.values().iterator(); it.hasNext(); ) {
            Reservation r = it.next();
            if (!owned.contains(r.partition())) {
                it.remove();
                byAge.remove(r);
                subtract(r);
            }
        }
        settled.removeIf(s -> !owns(s.costCenter()));
    }

    /**
     * Rebuilds the state of newly owned partitions from the audit log (cloud decisions of the last
     * {@code reservationTimeout}) and the cost events seen since this instance started reading them:
     * decisions without a cost event become open reservations, cloud costs become settled entries.
     */
    public synchronized int rebuild(Collection<Integer> newlyOwned, List<PastDecision> decisions, long nowMs) {
        Set<Integer> fresh = new HashSet<>(newlyOwned);
        Set<String> reservedIds = new HashSet<>();
        int n = 0;
        for (PastDecision d : decisions) {
            int p = partitionOf.applyAsInt(d.costCenter());
            if (!fresh.contains(p) || nowMs - d.decidedAtMs() > timeoutMs) {
                continue;
            }
            reservedIds.add(d.requestId());
            if (!recentCostCount.containsKey(d.requestId()) && !open.containsKey(d.requestId())) {
                add(new Reservation(
                        d.requestId(), d.costCenter(), p, Money.usd(d.estimatedCostUsd()), d.decidedAtMs()));
                n++;
            }
        }
        for (CostSeen c : recentCosts) {
            if (fresh.contains(partitionOf.applyAsInt(c.costCenter()))
                    && (c.tier() == Tier.CLOUD || reservedIds.contains(c.requestId()))) {
                settled.add(new Settled(c.costCenter(), c.amountUsd(), c.receivedAtMs(), c.partition(), c.offset()));
            }
        }
        pruneSettled();
        return n;
    }

    public synchronized Stats stats(long nowMs) {
        expire(nowMs);
        pruneSettled();
        BigDecimal settledUsd = settled.stream().map(Settled::amountUsd).reduce(Money.ZERO, BigDecimal::add);
        return new Stats(open.size(), Money.usd(openTotal), settled.size(), Money.usd(settledUsd), expired);
    }

    public synchronized List<Reservation> openReservations() {
        return List.copyOf(open.values());
    }

    private boolean owns(String costCenter) {
        return owned == null || owned.contains(partitionOf.applyAsInt(costCenter));
    }

    private boolean covered(Settled s, String scope) {
        return coverage.covers(scope, s.partition(), s.offset());
    }

    /** A settled cost is dropped once both scopes it counts for include it. */
    private void pruneSettled() {
        settled.removeIf(s -> covered(s, Topics.GLOBAL_SCOPE) && covered(s, s.costCenter()));
    }

    private void pruneRecent(long nowMs) {
        while (!recentCosts.isEmpty() && nowMs - recentCosts.peekFirst().receivedAtMs() > timeoutMs) {
            CostSeen old = recentCosts.removeFirst();
            recentCostCount.computeIfPresent(old.requestId(), (k, v) -> v <= 1 ? null : v - 1);
        }
    }

    private Reservation removeOpen(String requestId) {
        Reservation r = open.remove(requestId);
        if (r != null) {
            byAge.remove(r);
            subtract(r);
        }
        return r;
    }

    private void add(Reservation r) {
        open.put(r.requestId(), r);
        byAge.add(r);
        openByCostCenter.merge(r.costCenter(), r.amountUsd(), BigDecimal::add);
        openByPartition.merge(r.partition(), r.amountUsd(), BigDecimal::add);
        openTotal = openTotal.add(r.amountUsd());
    }

    private void subtract(Reservation r) {
        openByPartition.computeIfPresent(r.partition(), (k, v) -> {
            BigDecimal left = v.subtract(r.amountUsd());
            return left.signum() == 0 ? null : left;
        });
        openByCostCenter.computeIfPresent(r.costCenter(), (k, v) -> {
            BigDecimal left = v.subtract(r.amountUsd());
            return left.signum() == 0 ? null : left;
        });
        openTotal = openTotal.subtract(r.amountUsd());
    }
}
