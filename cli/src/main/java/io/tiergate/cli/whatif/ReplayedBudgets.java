package io.tiergate.cli.whatif;

import io.tiergate.ledger.budget.Periods;
import io.tiergate.router.budget.BudgetBook;
import io.tiergate.router.budget.BudgetGate;
import io.tiergate.router.budget.ReservationLedger;
import io.tiergate.router.budget.Thresholds;
import io.tiergate.router.config.RouterConfiguration;
import io.tiergate.router.policy.BudgetView;
import io.tiergate.schemas.events.BudgetConfig;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.policy.BudgetLevelRule;
import io.tiergate.schemas.topics.Topics;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The budgets of a replay under another global daily limit ({@code --budget-usd}): every budget of
 * {@code budget.config} (the global one with its daily limit replaced, or created with the defaults
 * when none is configured), with the spend the replay itself makes — each replayed request's cloud
 * cost counted against its cost center and the global scope the moment it is decided, from zero at
 * the start of the replayed window, per day and month in the budget's time zone.
 *
 * <p>The levels and admissions are the router's own code, not a copy: before each decision the
 * budgets' statuses are computed as the ledger computes a level ({@link BudgetLevelRule}, without
 * its burn-rate forecast) and handed to the router's {@link BudgetBook}, and the decision sees the
 * router's {@link BudgetGate} (effective level of cost center and global, the binding scope's
 * onExhausted, the headroom check of {@code BudgetHeadroomRule}), with no reservations held.
 */
public final class ReplayedBudgets implements BudgetView {

    private record Spend(long dayStart, BigDecimal day, long monthStart, BigDecimal month) {}

    private final Map<String, BudgetConfig> configs = new TreeMap<>();
    private final Map<String, Spend> spend = new HashMap<>();
    private final BudgetBook book = new BudgetBook(Thresholds.DEFAULT);
    private final BudgetGate gate;
    private long nowMs;

    /**
     * @param configured the budgets of {@code budget.config}, by scope
     * @param globalDailyLimitUsd the global budget's daily limit in the replay
     */
    public ReplayedBudgets(Map<String, BudgetConfig> configured, BigDecimal globalDailyLimitUsd) {
        configs.putAll(configured);
        BudgetConfig global = configs.get(Topics.GLOBAL_SCOPE);
        BudgetConfig.Builder replaced = global == null
                ? BudgetConfig.newBuilder().setScope(Topics.GLOBAL_SCOPE).setUpdatedAt(Instant.EPOCH)
                : BudgetConfig.newBuilder(global);
        configs.put(
                Topics.GLOBAL_SCOPE,
                replaced.setDailyLimitUsd(Money.usd(globalDailyLimitUsd)).build());
        configs.forEach(book::onConfig);
        gate = new BudgetGate(
                book,
                new ReservationLedger(Duration.ofMinutes(5), book),
                () -> nowMs,
                RouterConfiguration.DEFAULTS.staleness());
    }

    /** Moves the replay's clock to {@code at} and publishes every budget's status at that moment. */
    public void at(Instant at) {
        nowMs = at.toEpochMilli();
        configs.forEach((scope, config) -> book.onStatus(scope, status(scope, config), nowMs));
    }

    /** A replayed request of {@code costCenter} spent {@code cloudUsd} on cloud calls, at the clock's time. */
    public void spent(String costCenter, BigDecimal cloudUsd) {
        if (cloudUsd.signum() == 0) {
            return;
        }
        add(Topics.GLOBAL_SCOPE, cloudUsd);
        if (!Topics.GLOBAL_SCOPE.equals(costCenter) && configs.containsKey(costCenter)) {
            add(costCenter, cloudUsd);
        }
    }

    @Override
    public BudgetState state(String costCenter) {
        return gate.state(costCenter);
    }

    @Override
    public Admission admit(String costCenter, BigDecimal estimatedUsd) {
        return gate.admit(costCenter, estimatedUsd);
    }

    private void add(String scope, BigDecimal usd) {
        Spend s = rolled(scope, configs.get(scope));
        spend.put(
                scope,
                new Spend(
                        s.dayStart(),
                        s.day().add(usd),
                        s.monthStart(),
                        s.month().add(usd)));
    }

    /** The scope's spend in the periods the clock is in (a new day or month starts from zero). */
    private Spend rolled(String scope, BudgetConfig config) {
        ZoneId zone = zone(config);
        long day = Periods.dayStart(nowMs, zone);
        long month = Periods.monthStart(nowMs, zone);
        Spend s = spend.get(scope);
        if (s == null) {
            s = new Spend(day, Money.ZERO, month, Money.ZERO);
        }
        Spend r = new Spend(
                day,
                s.dayStart() == day ? s.day() : Money.ZERO,
                month,
                s.monthStart() == month ? s.month() : Money.ZERO);
        spend.put(scope, r);
        return r;
    }

    private BudgetStatus status(String scope, BudgetConfig config) {
        Spend s = rolled(scope, config);
        Thresholds t = book.thresholds(scope);
        BudgetLevel level = BudgetLevelRule.mostRestrictive(
                BudgetLevelRule.levelOf(s.day(), config.getDailyLimitUsd(), t.conserve(), t.critical()),
                BudgetLevelRule.levelOf(s.month(), config.getMonthlyLimitUsd(), t.conserve(), t.critical()));
        return BudgetStatus.newBuilder()
                .setScope(scope)
                .setLevel(level)
                .setOnExhausted(config.getOnExhausted())
                .setDailySpendUsd(Money.usd(s.day()))
                .setDailyLimitUsd(config.getDailyLimitUsd())
                .setMonthlySpendUsd(Money.usd(s.month()))
                .setMonthlyLimitUsd(config.getMonthlyLimitUsd())
                .setUtilization(0.0)
                .setBurnRateUsdPerHour(Money.ZERO)
                .setPeriodDayStart(Instant.ofEpochMilli(s.dayStart()))
                .setPeriodMonthStart(Instant.ofEpochMilli(s.monthStart()))
                .setUpdatedAt(Instant.ofEpochMilli(nowMs))
                .build();
    }

    private static ZoneId zone(BudgetConfig config) {
        try {
            return ZoneId.of(config.getTimezone());
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }
}
