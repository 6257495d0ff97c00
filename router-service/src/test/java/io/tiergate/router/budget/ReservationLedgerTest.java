package io.tiergate.router.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.router.budget.ReservationLedger.PastDecision;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.topics.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReservationLedgerTest {

    private final Map<String, Long> statusAt = new HashMap<>();
    private final ReservationLedger ledger = new ReservationLedger(
            Duration.ofSeconds(60),
            Duration.ofSeconds(2),
            Duration.ofSeconds(30),
            s -> statusAt.getOrDefault(s, Long.MIN_VALUE));

    @Test
    void aReservationCountsForItsCostCenterAndGlobal() {
        ledger.reserve("r1", "a", 0, Money.usd("0.30"), 0);
        ledger.reserve("r2", "b", 0, Money.usd("0.20"), 0);
        assertThat(ledger.committed("a", 1)).isEqualByComparingTo("0.30");
        assertThat(ledger.committed("b", 1)).isEqualByComparingTo("0.20");
        assertThat(ledger.committed(Topics.GLOBAL_SCOPE, 1)).isEqualByComparingTo("0.50");
    }

    @Test
    void reservingTheSameRequestAgainReplacesIt() {
        ledger.reserve("r1", "a", 0, Money.usd("0.30"), 0);
        ledger.reserve("r1", "a", 0, Money.usd("0.10"), 0);
        assertThat(ledger.committed("a", 1)).isEqualByComparingTo("0.10");
    }

    @Test
    void theActualCostReplacesTheReservationUntilTheLedgerHasCountedIt() {
        ledger.reserve("r1", "a", 0, Money.usd("0.30"), 0);
        ledger.onCost("r1", "a", Tier.CLOUD, Money.usd("0.25"), 1_000);
        assertThat(ledger.stats(1_000).openCount()).isZero();
        assertThat(ledger.committed("a", 1_000)).isEqualByComparingTo("0.25");
        // a status received before the hold has passed may not include the cost yet
        statusAt.put("a", 2_500L);
        statusAt.put(Topics.GLOBAL_SCOPE, 2_500L);
        assertThat(ledger.committed("a", 2_500)).isEqualByComparingTo("0.25");
        statusAt.put("a", 3_000L);
        assertThat(ledger.committed("a", 3_000)).isEqualByComparingTo("0");
        assertThat(ledger.committed(Topics.GLOBAL_SCOPE, 3_000)).isEqualByComparingTo("0.25");
        statusAt.put(Topics.GLOBAL_SCOPE, 3_100L);
        assertThat(ledger.committed(Topics.GLOBAL_SCOPE, 3_100)).isEqualByComparingTo("0");
        assertThat(ledger.stats(3_100).settledCount()).isZero();
    }

    @Test
    void aSettledCostIsDroppedAfterTheSettleTimeoutWithoutStatus() {
        ledger.reserve("r1", "a", 0, Money.usd("0.30"), 0);
        ledger.onCost("r1", "a", Tier.CLOUD, Money.usd("0.25"), 1_000);
        assertThat(ledger.committed("a", 31_000)).isEqualByComparingTo("0.25");
        assertThat(ledger.committed("a", 31_001)).isEqualByComparingTo("0");
    }

    @Test
    void anOpenReservationExpiresAfterTheTimeout() {
        ledger.reserve("r1", "a", 0, Money.usd("0.30"), 0);
        assertThat(ledger.committed("a", 60_000)).isEqualByComparingTo("0.30");
        assertThat(ledger.committed("a", 60_001)).isEqualByComparingTo("0");
        assertThat(ledger.stats(60_001).expired()).isEqualTo(1);
    }

    @Test
    void cancelUndoesAReservation() {
        ledger.reserve("r1", "a", 0, Money.usd("0.30"), 0);
        ledger.cancel("r1");
        assertThat(ledger.committed(Topics.GLOBAL_SCOPE, 1)).isEqualByComparingTo("0");
    }

    @Test
    void unreservedCloudSpendOfAnOwnedCostCenterCounts() {
        // e.g. the local worker escalated a request to cloud
        ledger.onCost("r9", "a", Tier.CLOUD, Money.usd("0.40"), 0);
        ledger.onCost("r10", "a", Tier.LOCAL, Money.usd("0.001"), 0);
        assertThat(ledger.committed("a", 1)).isEqualByComparingTo("0.40");
    }

    @Test
    void onlyOwnedPartitionsAreKept() {
        ledger.assign(Set.of(0, 1), cc -> cc.equals("a") ? 0 : cc.equals("b") ? 1 : 2);
        ledger.reserve("r1", "a", 0, Money.usd("0.30"), 0);
        ledger.reserve("r2", "b", 1, Money.usd("0.20"), 0);
        ledger.onCost("r3", "c", Tier.CLOUD, Money.usd("0.50"), 0); // partition 2: not ours
        assertThat(ledger.committed(Topics.GLOBAL_SCOPE, 1)).isEqualByComparingTo("0.50");
        ledger.assign(Set.of(0), cc -> cc.equals("a") ? 0 : cc.equals("b") ? 1 : 2);
        assertThat(ledger.committed(Topics.GLOBAL_SCOPE, 1)).isEqualByComparingTo("0.30");
    }

    @Test
    void aNewOwnerRebuildsOpenReservationsFromTheAuditLog() {
        ledger.assign(Set.of(), cc -> cc.equals("a") ? 0 : 1);
        ledger.onCost("done", "a", Tier.CLOUD, Money.usd("0.07"), 5_000);
        ledger.assign(Set.of(0), cc -> cc.equals("a") ? 0 : 1);
        int rebuilt = ledger.rebuild(
                Set.of(0),
                List.of(
                        new PastDecision("open", "a", Money.usd("0.30"), 4_000),
                        new PastDecision("done", "a", Money.usd("0.10"), 4_000),
                        new PastDecision("other", "b", Money.usd("0.50"), 4_000),
                        new PastDecision("ancient", "a", Money.usd("0.50"), -100_000)),
                6_000);
        assertThat(rebuilt).isEqualTo(1);
        assertThat(ledger.committed("a", 6_000)).isEqualByComparingTo("0.37");
        assertThat(ledger.committed("b", 6_000)).isEqualByComparingTo("0");
    }
}
