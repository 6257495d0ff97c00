package io.tiergate.localworker.testing;

import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.money.Money;
import io.tiergate.worker.kafka.TierWorkerConfig;
import io.tiergate.worker.runtime.BudgetBoard;
import java.time.Clock;
import java.time.Instant;

/** Budget statuses as the ledger reports them, for the local worker's escalation tests. */
public final class Budgets {

    private Budgets() {}

    public static BudgetBoard board() {
        return new BudgetBoard(Clock.systemUTC(), TierWorkerConfig.DEFAULT_ATTEMPTS_MEMORY);
    }

    /** {@code scope} reported at {@code level} (no limits: the level is the ledger's word). */
    public static void level(BudgetBoard board, String scope, BudgetLevel level) {
        Instant now = Instant.now();
        board.status(
                scope,
                BudgetStatus.newBuilder()
                        .setScope(scope)
                        .setLevel(level)
                        .setOnExhausted(OnExhausted.DEGRADE_LOCAL)
                        .setDailySpendUsd(Money.ZERO)
                        .setMonthlySpendUsd(Money.ZERO)
                        .setUtilization(0)
                        .setBurnRateUsdPerHour(Money.ZERO)
                        .setPeriodDayStart(now)
                        .setPeriodMonthStart(now)
                        .setUpdatedAt(now)
                        .build());
    }

    /** A tombstone: the budget of {@code scope} was deleted. */
    public static void remove(BudgetBoard board, String scope) {
        board.status(scope, null);
    }
}
