package io.tiergate.router.budget;

import io.tiergate.router.policy.BudgetView;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.policy.BudgetHeadroomRule;
import io.tiergate.schemas.policy.BudgetLevelRule;
import io.tiergate.schemas.topics.Topics;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The budget view of one router instance: the ledger's reported spend plus what this instance holds
 * in its {@link ReservationLedger}, against the limits in {@code budget.status}.
 *
 * <p>A cost center's scope is decided by exactly one instance (the owner of its partition of
 * {@code routing.by-cost-center}), so its reservations are complete. The global scope is shared by
 * all partitions: each partition may hold at most {@code 1/P} of the global headroom
 * ({@code spend + P × held_in_partition ≤ limit}, P = partition count), so the sum over all
 * partitions — whichever instances own them — can never pass the limit (docs/budgets.md).
 *
 * <p>It fails closed ({@link Staleness}): a budget whose status is older than the bound, or whose
 * status has not included a cost held here for longer than the bound, or that budget.config gives a
 * limit the ledger has not reported on yet, is at least at the stale level.
 */
public final class BudgetGate implements BudgetView {

    private final BudgetBook book;
    private final ReservationLedger ledger;
    private final LongSupplier clockMs;
    private final Staleness staleness;
    private volatile int globalShareDivisor = 1;

    public BudgetGate(BudgetBook book, ReservationLedger ledger, LongSupplier clockMs, Staleness staleness) {
        this.book = book;
        this.ledger = ledger;
        this.clockMs = clockMs;
        this.staleness = staleness;
    }

    /** P: the number of partitions of routing.by-cost-center, i.e. of possible concurrent deciders. */
    public void globalShareDivisor(int partitions) {
        this.globalShareDivisor = Math.max(1, partitions);
    }

    public int globalShareDivisor() {
        return globalShareDivisor;
    }

    public ReservationLedger ledger() {
        return ledger;
    }

    public BudgetBook book() {
        return book;
    }

    /** The effective state of one scope. */
    public record ScopeState(String scope, BudgetLevel level, OnExhausted onExhausted, String summary) {}

    /** A scope as this instance sees it in total (metrics, CLI): everything it holds, unscaled. */
    public ScopeState scope(String scope) {
        return scope(scope, ledger.committed(scope, clockMs.getAsLong()), 1);
    }

    private ScopeState scopeFor(String scope, String costCenter) {
        if (Topics.GLOBAL_SCOPE.equals(scope)) {
            return scope(
                    scope, ledger.committedGlobalInPartitionOf(costCenter, clockMs.getAsLong()), globalShareDivisor);
        }
        return scope(scope, ledger.committed(scope, clockMs.getAsLong()), 1);
    }

    private BigDecimal heldFor(String scope, String costCenter) {
        return Topics.GLOBAL_SCOPE.equals(scope)
                ? ledger.committedGlobalInPartitionOf(costCenter, clockMs.getAsLong())
                : ledger.committed(scope, clockMs.getAsLong());
    }

    private ScopeState scope(String scope, BigDecimal unscaledHeld, int factor) {
        Optional<BudgetStatus> maybe = book.status(scope);
        if (maybe.isEmpty()) {
            String unreported = unreported(scope);
            if (unreported != null) {
                return new ScopeState(scope, staleness.level(), configuredOnExhausted(scope), unreported);
            }
            return new ScopeState(scope, BudgetLevel.NORMAL, OnExhausted.DEGRADE_LOCAL, scope + " has no budget");
        }
        BudgetStatus status = maybe.get();
        BigDecimal held = unscaledHeld.multiply(BigDecimal.valueOf(factor));
        Thresholds thresholds = book.thresholds(scope);
        BudgetLevel reported = BudgetLevelRule.known(status.getLevel());
        BudgetLevel level = reported;
        List<String> parts = new ArrayList<>();
        if (status.getDailyLimitUsd() != null) {
            BigDecimal committed = status.getDailySpendUsd().add(held);
            level = BudgetLevelRule.mostRestrictive(level, levelOf(committed, status.getDailyLimitUsd(), thresholds));
            parts.add(period("daily", status.getDailySpendUsd(), held, status.getDailyLimitUsd(), factor));
        }
        if (status.getMonthlyLimitUsd() != null) {
            BigDecimal committed = status.getMonthlySpendUsd().add(held);
            level = BudgetLevelRule.mostRestrictive(level, levelOf(committed, status.getMonthlyLimitUsd(), thresholds));
            parts.add(period("monthly", status.getMonthlySpendUsd(), held, status.getMonthlyLimitUsd(), factor));
        }
        BudgetLevel fresh = level;
        String stale = stale(scope);
        if (stale != null) {
            level = BudgetLevelRule.mostRestrictive(level, staleness.level());
        }
        String summary = "budget '" + scope + "' is " + level
                + (fresh != reported ? " (ledger reports " + status.getLevel() + ", reservations included)" : "")
                + (stale != null ? " (" + stale + ")" : "")
                + (parts.isEmpty() ? "" : " [" + String.join("; ", parts) + "]");
        return new ScopeState(scope, level, status.getOnExhausted(), summary);
    }

    /**
     * Why the ledger's status of a scope with a limit cannot be trusted right now, or null: it is
     * older than the bound, or it has not included a cost held here for longer than the bound.
     */
    private String stale(String scope) {
        if (!book.hasLimit(scope)) {
            return null;
        }
        long now = clockMs.getAsLong();
        long bound = staleness.bound().toMillis();
        long age = book.statusAgeMs(scope, now);
        if (age > bound) {
            return "stale: the ledger's last status is " + seconds(age) + " old, over the " + seconds(bound)
                    + " bound; treated as at least " + staleness.level();
        }
        long oldest = ledger.oldestUncoveredAt(scope);
        if (oldest != Long.MAX_VALUE && now - oldest > bound) {
            return "stale: the ledger has not counted a cost received " + seconds(now - oldest) + " ago, over the "
                    + seconds(bound) + " bound; treated as at least " + staleness.level();
        }
        return null;
    }

    /** A scope budget.config gives a limit but the ledger has published no status for: why it is held closed. */
    private String unreported(String scope) {
        if (!book.hasLimit(scope)) {
            return null;
        }
        return "budget '" + scope + "' is " + staleness.level()
                + " (configured, but the ledger has published no status for it yet: treated as at least "
                + staleness.level() + ")";
    }

    private OnExhausted configuredOnExhausted(String scope) {
        return book.config(scope).map(c -> c.getOnExhausted()).orElse(OnExhausted.DEGRADE_LOCAL);
    }

    private static String seconds(long ms) {
        return BigDecimal.valueOf(ms, 3).setScale(1, RoundingMode.DOWN).toPlainString() + "s";
    }

    /** The shared rule (docs/architecture.md, "Budget levels") applied to spend + what this instance holds. */
    private static BudgetLevel levelOf(BigDecimal committed, BigDecimal limit, Thresholds thresholds) {
        return BudgetLevelRule.levelOf(committed, limit, thresholds.conserve(), thresholds.critical());
    }

    @Override
    public BudgetState state(String costCenter) {
        ScopeState own = scopeFor(costCenter, costCenter);
        ScopeState global = scopeFor(Topics.GLOBAL_SCOPE, costCenter);
        BudgetLevel level = BudgetLevelRule.mostRestrictive(own.level(), global.level());
        ScopeState binding = own.level().ordinal() >= global.level().ordinal() ? own : global;
        OnExhausted onExhausted = own.level() == BudgetLevel.EXHAUSTED ? own.onExhausted() : global.onExhausted();
        return new BudgetState(level, binding.scope(), onExhausted, binding.summary());
    }

    @Override
    public Admission admit(String costCenter, BigDecimal estimatedUsd) {
        Admission own = admitScope(costCenter, costCenter, estimatedUsd);
        return own.admitted() ? admitScope(Topics.GLOBAL_SCOPE, costCenter, estimatedUsd) : own;
    }

    private Admission admitScope(String scope, String costCenter, BigDecimal amount) {
        Optional<BudgetStatus> maybe = book.status(scope);
        if (maybe.isEmpty()) {
            String unreported = unreported(scope);
            if (unreported != null && staleness.level() == BudgetLevel.EXHAUSTED) {
                return new Admission(false, scope, configuredOnExhausted(scope), unreported);
            }
            return Admission.ok();
        }
        BudgetStatus status = maybe.get();
        int factor = Topics.GLOBAL_SCOPE.equals(scope) ? globalShareDivisor : 1;
        if (BudgetLevelRule.known(status.getLevel()) == BudgetLevel.EXHAUSTED) {
            return new Admission(
                    false, scope, status.getOnExhausted(), "budget '" + scope + "' is " + status.getLevel());
        }
        if (staleness.level() == BudgetLevel.EXHAUSTED) {
            String stale = stale(scope);
            if (stale != null) {
                return new Admission(false, scope, status.getOnExhausted(), "budget '" + scope + "' is " + stale);
            }
        }
        BigDecimal held = heldFor(scope, costCenter);
        // the shared rule (schemas.policy.BudgetHeadroomRule), as the workers apply it to retries and fallbacks
        return BudgetHeadroomRule.refusal(status, held, amount, factor)
                .map(reason -> new Admission(false, scope, status.getOnExhausted(), reason))
                .orElseGet(Admission::ok);
    }

    private static String period(String name, BigDecimal spend, BigDecimal held, BigDecimal limit, int factor) {
        String pct = limit.signum() > 0
                ? spend.add(held)
                                .multiply(BigDecimal.valueOf(100))
                                .divide(limit, MathContext.DECIMAL64)
                                .setScale(1, RoundingMode.HALF_EVEN)
                        + "%"
                : "limit 0";
        return name + " " + usd(spend) + " spent + " + usd(held) + " held"
                + (factor > 1 ? " (partition share ×" + factor + ")" : "") + " of " + usd(limit) + " = " + pct;
    }

    static String usd(BigDecimal amount) {
        return BudgetHeadroomRule.usd(amount);
    }
}
