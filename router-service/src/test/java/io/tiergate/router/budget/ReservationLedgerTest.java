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

    /** scope|partition → the offset below which that scope's status includes every cost (the ledger's word). */
    private final Map<String, Long> counted = new HashMap<>();

    private final ReservationLedger ledger = new ReservationLedger(
            Duration.ofSeconds(60),
            (scope, partition, offset) -> counted.getOrDefault(scope + "|" + partition, 0L) > offset);

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
    void theActualCostReplacesTheReservationUntilTheStatusesOfBothScopesCoverIt() {
        ledger.reserve("r1", "a", 0, Money.usd("0.30"), 0);
        ledger.onCost("r1", "a", Tier.CLOUD, Money.usd("0.25"), 1_000, 2, 41);
        assertThat(ledger.stats(1_000).openCount()).isZero();
        assertThat(ledger.committed("a", 1_000)).isEqualByComparingTo("0.25");
        // statuses that include everything of partition 2 below offset 41: not this cost yet
        counted.put("a|2", 41L);
        counted.put(Topics.GLOBAL_SCOPE + "|2", 41L);
        counted.put("a|1", 500L); // another partition says nothing about this one
        assertThat(ledger.committed("a", 2_000)).isEqualByComparingTo("0.25");
        counted.put("a|2", 42L);
        assertThat(ledger.committed("a", 2_000)).isEqualByComparingTo("0");
        assertThat(ledger.committed(Topics.GLOBAL_SCOPE, 2_000))
                .as("global's status does not include it yet")
                .isEqualByComparingTo("0.25");
        assertThat(ledger.stats(2_000).settledCount()).isEqualTo(1);
        counted.put(Topics.GLOBAL_SCOPE + "|2", 42L);
        assertThat(ledger.committed(Topics.GLOBAL_SCOPE, 2_000)).isEqualByComparingTo("0");
        assertThat(ledger.stats(2_000).settledCount()).isZero();
    }

    @Test
    void aSettledCostNoStatusCoversStaysCountedWithoutTimeLimit() {
        ledger.reserve("r1", "a", 0, Money.usd("0.30"), 0);
        ledger.onCost("r1", "a", Tier.CLOUD, Money.usd("0.25"), 1_000, 0, 7);
        long aDayLater = 1_000 + Duration.ofDays(1).toMillis();
        assertThat(ledger.committed("a", aDayLater)).isEqualByComparingTo("0.25");
        assertThat(ledger.committed(Topics.GLOBAL_SCOPE, aDayLater)).isEqualByComparingTo("0.25");
    }

    @Test
    void theOldestUncoveredCostTellsHowFarTheLedgerIsBehind() {
        ledger.onCost("r1", "a", Tier.CLOUD, Money.usd("0.10"), 1_000, 0, 7);
        ledger.onCost("r2", "b", Tier.CLOUD, Money.usd("0.20"), 3_000, 0, 8);
        assertThat(ledger.oldestUncoveredAt("a")).isEqualTo(1_000);
        assertThat(ledger.oldestUncoveredAt("b")).isEqualTo(3_000);
        assertThat(ledger.oldestUncoveredAt(Topics.GLOBAL_SCOPE)).isEqualTo(1_000);
        counted.put(Topics.GLOBAL_SCOPE + "|0", 8L);
        assertThat(ledger.oldestUncoveredAt(Topics.GLOBAL_SCOPE)).isEqualTo(3_000);
        assertThat(ledger.oldestUncoveredAt("a"))
                .as("a's own status does not include it yet")
                .isEqualTo(1_000);
        counted.put("a|0", 8L);
        assertThat(ledger.oldestUncoveredAt("a")).isEqualTo(Long.MAX_VALUE);
        assertThat(ledger.oldestUncoveredAt("c")).isEqualTo(Long.MAX_VALUE);
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
        ledger.onCost("r9", "a", Tier.CLOUD, Money.usd("0.40"), 0, 0, 0);
        ledger.onCost("r10", "a", Tier.LOCAL, Money.usd("0.001"), 0, 0, 1);
        assertThat(ledger.committed("a", 1)).isEqualByComparingTo("0.40");
    }

    @Test
    void onlyOwnedPartitionsAreKept() {
        ledger.assign(Set.of(0, 1), cc -> cc.equals("a") ? 0 : cc.equals("b") ? 1 : 2);
        ledger.reserve("r1", "a", 0, Money.usd("0.30"), 0);
        ledger.reserve("r2", "b", 1, Money.usd("0.20"), 0);
        ledger.onCost("r3", "c", Tier.CLOUD, Money.usd("0.50"), 0, 0, 0); // partition 2: not ours
        assertThat(ledger.committed(Topics.GLOBAL_SCOPE, 1)).isEqualByComparingTo("0.50");
        ledger.assign(Set.of(0), cc -> cc.equals("a") ? 0 : cc.equals("b") ? 1 : 2);
        assertThat(ledger.committed(Topics.GLOBAL_SCOPE, 1)).isEqualByComparingTo("0.30");
    }

    @Test
    void aNewOwnerRebuildsOpenReservationsFromTheAuditLog() {
        ledger.assign(Set.of(), cc -> cc.equals("a") ? 0 : 1);
        ledger.onCost("done", "a", Tier.CLOUD, Money.usd("0.07"), 5_000, 0, 0);
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
