package io.tiergate.router.budget;

import static io.tiergate.router.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.router.policy.BudgetView;
import io.tiergate.schemas.events.BudgetConfig;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.topics.Topics;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BudgetGateTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final BudgetBook book = new BudgetBook(Thresholds.DEFAULT);
    private final ReservationLedger ledger = new ReservationLedger(
            Duration.ofMinutes(5), Duration.ofSeconds(2), Duration.ofSeconds(30), book::lastReceivedAtMs);
    private final BudgetGate gate = new BudgetGate(book, ledger, now::get);

    @ParameterizedTest
    @CsvSource({
        "0.000000000, NORMAL",
        "7.999999999, NORMAL",
        "8.000000000, CONSERVE",
        "9.499999999, CONSERVE",
        "9.500000000, CRITICAL_ONLY",
        "9.999999999, CRITICAL_ONLY",
        "10.000000000, EXHAUSTED",
        "12.000000000, EXHAUSTED"
    })
    void levelBoundariesFollowTheDefaultThresholds(String spend, BudgetLevel expected) {
        book.onStatus(
                "team-a", status("team-a", BudgetLevel.NORMAL, OnExhausted.DEGRADE_LOCAL, spend, "10"), now.get());
        assertThat(gate.state("team-a").level()).isEqualTo(expected);
    }

    @Test
    void reservationsCountTowardsTheLevel() {
        book.onStatus(
                "team-a", status("team-a", BudgetLevel.NORMAL, OnExhausted.DEGRADE_LOCAL, "7.90", "10"), now.get());
        assertThat(gate.state("team-a").level()).isEqualTo(BudgetLevel.NORMAL);
        ledger.reserve("r1", "team-a", 0, Money.usd("0.10"), now.get());
        BudgetView.BudgetState s = gate.state("team-a");
        assertThat(s.level()).isEqualTo(BudgetLevel.CONSERVE);
        assertThat(s.summary()).contains("reservations included").contains("80.0%");
    }

    @Test
    void thresholdsComeFromTheBudgetsConfigWhenPresent() {
        book.onStatus(
                "team-a", status("team-a", BudgetLevel.NORMAL, OnExhausted.DEGRADE_LOCAL, "8.5", "10"), now.get());
        book.onConfig(
                "team-a",
                BudgetConfig.newBuilder()
                        .setScope("team-a")
                        .setDailyLimitUsd(Money.usd("10"))
                        .setMonthlyLimitUsd(null)
                        .setConserveThreshold(0.9)
                        .setCriticalThreshold(0.99)
                        .setOnExhausted(OnExhausted.DEGRADE_LOCAL)
                        .setTimezone("UTC")
                        .setUpdatedAt(Instant.now())
                        .build());
        assertThat(gate.state("team-a").level()).isEqualTo(BudgetLevel.NORMAL);
        book.onConfig("team-a", null);
        assertThat(gate.state("team-a").level()).isEqualTo(BudgetLevel.CONSERVE);
    }

    @Test
    void aMoreRestrictiveReportedLevelWins() {
        // e.g. CONSERVE from a burn-rate forecast at low utilization
        book.onStatus(
                "team-a", status("team-a", BudgetLevel.CONSERVE, OnExhausted.DEGRADE_LOCAL, "1", "10"), now.get());
        assertThat(gate.state("team-a").level()).isEqualTo(BudgetLevel.CONSERVE);
    }

    @Test
    void anUnknownLevelIsTreatedAsTheMostRestrictive() {
        book.onStatus("team-a", status("team-a", BudgetLevel.UNKNOWN, OnExhausted.DEFER, "0", "10"), now.get());
        assertThat(gate.state("team-a").level()).isEqualTo(BudgetLevel.EXHAUSTED);
        assertThat(gate.admit("team-a", Money.usd("0.01")).admitted()).isFalse();
    }

    @Test
    void aScopeWithoutBudgetIsNormal() {
        assertThat(gate.state("nobody").level()).isEqualTo(BudgetLevel.NORMAL);
        assertThat(gate.admit("nobody", Money.usd("1000")).admitted()).isTrue();
    }

    @Test
    void theMoreRestrictiveOfCostCenterAndGlobalWins() {
        book.onStatus("team-a", status("team-a", BudgetLevel.NORMAL, OnExhausted.DEFER, "0", "10"), now.get());
        book.onStatus(
                Topics.GLOBAL_SCOPE,
                status(Topics.GLOBAL_SCOPE, BudgetLevel.CRITICAL_ONLY, OnExhausted.REJECT, "96", "100"),
                now.get());
        BudgetView.BudgetState s = gate.state("team-a");
        assertThat(s.level()).isEqualTo(BudgetLevel.CRITICAL_ONLY);
        assertThat(s.bindingScope()).isEqualTo(Topics.GLOBAL_SCOPE);
    }

    @Test
    void theExhaustedScopesPolicyApplies() {
        book.onStatus("team-a", status("team-a", BudgetLevel.EXHAUSTED, OnExhausted.DEFER, "10", "10"), now.get());
        book.onStatus(
                Topics.GLOBAL_SCOPE,
                status(Topics.GLOBAL_SCOPE, BudgetLevel.NORMAL, OnExhausted.REJECT, "0", "100"),
                now.get());
        assertThat(gate.state("team-a").onExhausted()).isEqualTo(OnExhausted.DEFER);
        book.onStatus("team-a", status("team-a", BudgetLevel.NORMAL, OnExhausted.DEFER, "0", "10"), now.get());
        book.onStatus(
                Topics.GLOBAL_SCOPE,
                status(Topics.GLOBAL_SCOPE, BudgetLevel.EXHAUSTED, OnExhausted.REJECT, "100", "100"),
                now.get());
        assertThat(gate.state("team-a").onExhausted()).isEqualTo(OnExhausted.REJECT);
        assertThat(gate.state("team-a").bindingScope()).isEqualTo(Topics.GLOBAL_SCOPE);
    }

    @Test
    void admissionAllowsExactlyTheRemainingHeadroom() {
        book.onStatus(
                "team-a",
                status("team-a", BudgetLevel.CRITICAL_ONLY, OnExhausted.DEGRADE_LOCAL, "9.90", "10"),
                now.get());
        assertThat(gate.admit("team-a", Money.usd("0.10")).admitted()).isTrue();
        assertThat(gate.admit("team-a", Money.usd("0.100000001")).admitted()).isFalse();
        ledger.reserve("r1", "team-a", 0, Money.usd("0.05"), now.get());
        BudgetView.Admission refused = gate.admit("team-a", Money.usd("0.06"));
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.blockingScope()).isEqualTo("team-a");
        assertThat(refused.reason()).contains("no daily headroom");
        assertThat(gate.admit("team-a", Money.usd("0.05")).admitted()).isTrue();
    }

    @Test
    void eachInstanceMayHoldOnlyItsShareOfTheGlobalHeadroom() {
        book.onStatus(
                Topics.GLOBAL_SCOPE,
                status(Topics.GLOBAL_SCOPE, BudgetLevel.NORMAL, OnExhausted.DEGRADE_LOCAL, "0", "1.00"),
                now.get());
        gate.globalShareDivisor(4);
        BigDecimal quarter = Money.usd("0.25");
        assertThat(gate.admit("team-a", quarter).admitted()).isTrue();
        ledger.reserve("r1", "team-a", 0, quarter, now.get());
        BudgetView.Admission refused = gate.admit("team-b", Money.usd("0.01"));
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.blockingScope()).isEqualTo(Topics.GLOBAL_SCOPE);
        assertThat(refused.reason()).contains("× 4 partition shares");
    }

    @Test
    void eachPartitionHasItsOwnShareOfTheGlobalHeadroom() {
        book.onStatus(
                Topics.GLOBAL_SCOPE,
                status(Topics.GLOBAL_SCOPE, BudgetLevel.NORMAL, OnExhausted.DEGRADE_LOCAL, "0", "1.00"),
                now.get());
        gate.globalShareDivisor(2);
        ledger.assign(java.util.Set.of(0, 1), cc -> cc.startsWith("p0") ? 0 : 1);
        ledger.reserve("r1", "p0-team", 0, Money.usd("0.50"), now.get());
        assertThat(gate.admit("p0-other", Money.usd("0.01")).admitted()).isFalse();
        assertThat(gate.admit("p1-team", Money.usd("0.50")).admitted()).isTrue();
        assertThat(gate.admit("p1-team", Money.usd("0.50000001")).admitted()).isFalse();
    }

    @Test
    void theMonthlyLimitIsCheckedToo() {
        var s = status("team-a", BudgetLevel.NORMAL, OnExhausted.DEGRADE_LOCAL, "1", "100");
        s.setMonthlySpendUsd(Money.usd("49.95"));
        s.setMonthlyLimitUsd(Money.usd("50"));
        book.onStatus("team-a", s, now.get());
        assertThat(gate.state("team-a").level()).isEqualTo(BudgetLevel.CRITICAL_ONLY);
        assertThat(gate.admit("team-a", Money.usd("0.06")).reason()).contains("monthly");
    }

    @Test
    void aZeroLimitIsExhausted() {
        book.onStatus("team-a", status("team-a", BudgetLevel.NORMAL, OnExhausted.DEGRADE_LOCAL, "0", "0"), now.get());
        assertThat(gate.state("team-a").level()).isEqualTo(BudgetLevel.EXHAUSTED);
    }

    @Test
    void aTombstoneDeletesTheBudget() {
        book.onStatus(
                "team-a", status("team-a", BudgetLevel.EXHAUSTED, OnExhausted.DEGRADE_LOCAL, "10", "10"), now.get());
        book.onStatus("team-a", null, now.get());
        assertThat(gate.state("team-a").level()).isEqualTo(BudgetLevel.NORMAL);
    }
}
