package io.tiergate.router.budget;

import static io.tiergate.router.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.router.policy.BudgetView;
import io.tiergate.schemas.events.BudgetConfig;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.topics.Topics;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BudgetGateTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final BudgetBook book = new BudgetBook(Thresholds.DEFAULT);
    private final ReservationLedger ledger = new ReservationLedger(Duration.ofMinutes(5), book);
    private final Staleness staleness = new Staleness(Duration.ofSeconds(60), BudgetLevel.CRITICAL_ONLY);
    private final BudgetGate gate = new BudgetGate(book, ledger, now::get, staleness);

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

    // --- failing closed (docs/budgets.md, "Failing closed") ---

    private void freshStatus(String scope, String spend, String limit) {
        book.onStatus(scope, status(scope, BudgetLevel.NORMAL, OnExhausted.REJECT, spend, limit), now.get());
    }

    @Test
    void aBudgetWhoseStatusIsOlderThanTheBoundIsAtLeastCriticalOnly() {
        freshStatus("team-a", "0", "10");
        now.addAndGet(60_000);
        assertThat(gate.state("team-a").level()).as("exactly at the bound").isEqualTo(BudgetLevel.NORMAL);
        now.addAndGet(1);
        BudgetView.BudgetState stale = gate.state("team-a");
        assertThat(stale.level()).isEqualTo(BudgetLevel.CRITICAL_ONLY);
        assertThat(stale.summary())
                .contains("stale: the ledger's last status is 60.0s old, over the 60.0s bound")
                .contains("treated as at least CRITICAL_ONLY");
        freshStatus("team-a", "0", "10");
        assertThat(gate.state("team-a").level()).isEqualTo(BudgetLevel.NORMAL);
    }

    @Test
    void aStaleGlobalBudgetLimitsEveryCostCenter() {
        freshStatus(Topics.GLOBAL_SCOPE, "0", "100");
        now.addAndGet(61_000);
        BudgetView.BudgetState s = gate.state("no-budget-of-its-own");
        assertThat(s.level()).isEqualTo(BudgetLevel.CRITICAL_ONLY);
        assertThat(s.bindingScope()).isEqualTo(Topics.GLOBAL_SCOPE);
    }

    @Test
    void aStatusReadAtStartUpIsAsOldAsTheLedgerSays() {
        var old = status("team-a", BudgetLevel.NORMAL, OnExhausted.REJECT, "0", "10");
        old.setUpdatedAt(Instant.ofEpochMilli(now.get() - 120_000));
        book.onStatus("team-a", old, now.get());
        assertThat(gate.state("team-a").level()).isEqualTo(BudgetLevel.CRITICAL_ONLY);
    }

    @Test
    void aStaleBudgetKeepsAMoreRestrictiveLevel() {
        book.onStatus("team-a", status("team-a", BudgetLevel.EXHAUSTED, OnExhausted.DEFER, "10", "10"), now.get());
        now.addAndGet(61_000);
        assertThat(gate.state("team-a").level()).isEqualTo(BudgetLevel.EXHAUSTED);
        assertThat(gate.state("team-a").onExhausted()).isEqualTo(OnExhausted.DEFER);
    }

    @Test
    void aScopeWithoutLimitsNeverGoesStale() {
        freshStatus("team-a", "5", null);
        now.addAndGet(3_600_000);
        assertThat(gate.state("team-a").level()).isEqualTo(BudgetLevel.NORMAL);
        assertThat(gate.admit("team-a", Money.usd("100")).admitted()).isTrue();
    }

    @Test
    void withTheStaleLevelExhaustedAStaleBudgetAdmitsNothing() {
        BudgetGate strict =
                new BudgetGate(book, ledger, now::get, new Staleness(Duration.ofSeconds(60), BudgetLevel.EXHAUSTED));
        freshStatus("team-a", "0", "10");
        assertThat(strict.admit("team-a", Money.usd("0.01")).admitted()).isTrue();
        now.addAndGet(61_000);
        BudgetView.Admission refused = strict.admit("team-a", Money.usd("0.01"));
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.onExhausted()).isEqualTo(OnExhausted.REJECT);
        assertThat(refused.reason()).contains("stale");
        assertThat(strict.state("team-a").level()).isEqualTo(BudgetLevel.EXHAUSTED);
    }

    @Test
    void aCostTheLedgerHasNotCountedForLongerThanTheBoundMakesTheBudgetStale() {
        freshStatus("team-a", "0", "10");
        ledger.onCost("r1", "team-a", Tier.CLOUD, Money.usd("0.50"), now.get(), 0, 5);
        assertThat(gate.state("team-a").summary()).contains("0.50 held");
        for (int i = 0; i < 6; i++) { // the ledger keeps publishing, but never gets past offset 5
            now.addAndGet(10_000);
            freshStatus("team-a", "0", "10");
        }
        assertThat(gate.state("team-a").level()).isEqualTo(BudgetLevel.NORMAL);
        now.addAndGet(1);
        freshStatus("team-a", "0", "10");
        BudgetView.BudgetState stale = gate.state("team-a");
        assertThat(stale.level()).isEqualTo(BudgetLevel.CRITICAL_ONLY);
        assertThat(stale.summary()).contains("the ledger has not counted a cost received 60.0s ago");

        var covering = status("team-a", BudgetLevel.NORMAL, OnExhausted.REJECT, "0.50", "10");
        covering.setCountedCostOffsets(Map.of("0", 6L));
        book.onStatus("team-a", covering, now.get());
        assertThat(gate.state("team-a").level()).isEqualTo(BudgetLevel.NORMAL);
        assertThat(ledger.committed("team-a", now.get())).isEqualByComparingTo("0");
    }

    @Test
    void aHeldCostIsDroppedOnlyOnceTheStatusesCoverItsOffset() {
        freshStatus("team-a", "0", "10");
        freshStatus(Topics.GLOBAL_SCOPE, "0", "100");
        ledger.onCost("r1", "team-a", Tier.CLOUD, Money.usd("0.50"), now.get(), 3, 17);
        var upTo17 = status("team-a", BudgetLevel.NORMAL, OnExhausted.REJECT, "0", "10");
        upTo17.setCountedCostOffsets(Map.of("3", 17L));
        book.onStatus("team-a", upTo17, now.get() + 30_000);
        assertThat(ledger.committed("team-a", now.get() + 30_000))
                .as("a status without the cost, however late it arrives, does not settle it")
                .isEqualByComparingTo("0.50");
        var upTo18 = status("team-a", BudgetLevel.NORMAL, OnExhausted.REJECT, "0.50", "10");
        upTo18.setCountedCostOffsets(Map.of("3", 18L));
        book.onStatus("team-a", upTo18, now.get() + 30_000);
        assertThat(ledger.committed("team-a", now.get() + 30_000)).isEqualByComparingTo("0");
        assertThat(ledger.committed(Topics.GLOBAL_SCOPE, now.get() + 30_000))
                .as("still held against global")
                .isEqualByComparingTo("0.50");
    }

    @Test
    void aHeldCostOfACostCenterWithoutBudgetCountsOnlyAgainstGlobal() {
        freshStatus(Topics.GLOBAL_SCOPE, "0", "100");
        ledger.onCost("r1", "free", Tier.CLOUD, Money.usd("0.50"), now.get(), 0, 0);
        assertThat(ledger.committed(Topics.GLOBAL_SCOPE, now.get())).isEqualByComparingTo("0.50");
        var covering = status(Topics.GLOBAL_SCOPE, BudgetLevel.NORMAL, OnExhausted.REJECT, "0.50", "100");
        covering.setCountedCostOffsets(Map.of("0", 1L));
        book.onStatus(Topics.GLOBAL_SCOPE, covering, now.get());
        assertThat(ledger.committed(Topics.GLOBAL_SCOPE, now.get())).isEqualByComparingTo("0");
        assertThat(ledger.stats(now.get()).settledCount()).isZero();
    }

    @Test
    void aConfiguredBudgetTheLedgerHasNotReportedOnIsHeldClosed() {
        BudgetConfig config = BudgetConfig.newBuilder()
                .setScope("team-a")
                .setDailyLimitUsd(Money.usd("10"))
                .setMonthlyLimitUsd(null)
                .setOnExhausted(OnExhausted.DEFER)
                .setTimezone("UTC")
                .setUpdatedAt(Instant.now())
                .build();
        book.onConfig("team-a", config);
        BudgetView.BudgetState s = gate.state("team-a");
        assertThat(s.level()).isEqualTo(BudgetLevel.CRITICAL_ONLY);
        assertThat(s.summary()).contains("the ledger has published no status for it yet");
        freshStatus("team-a", "0", "10");
        assertThat(gate.state("team-a").level()).isEqualTo(BudgetLevel.NORMAL);
        book.onStatus("team-a", null, now.get());
        book.onConfig("team-a", null);
        assertThat(gate.state("team-a").level()).isEqualTo(BudgetLevel.NORMAL);
    }

    @Test
    void theStaleLevelMayNotBeNormal() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new Staleness(Duration.ofSeconds(60), BudgetLevel.NORMAL))
                .hasMessageContaining("CONSERVE, CRITICAL_ONLY or EXHAUSTED, was NORMAL");
    }
}
