package io.tiergate.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tiergate.worker.runtime.InFlightLedger.Committable;
import io.tiergate.worker.runtime.InFlightLedger.Entry;
import io.tiergate.worker.runtime.InFlightLedger.Prefix;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class InFlightLedgerTest {

    private static final String P0 = "tier-0";
    private static final String P1 = "tier-1";

    private final InFlightLedger<String, String> ledger = new InFlightLedger<>();

    /** Tracks {@code offsets} of {@code partition}, items named partition@offset, and starts them all. */
    private List<Entry<String, String>> running(String partition, long... offsets) {
        List<Entry<String, String>> entries = new ArrayList<>();
        for (long o : offsets) {
            entries.add(ledger.track(partition, o, partition + "@" + o));
        }
        ledger.startUpTo(Integer.MAX_VALUE);
        return entries;
    }

    private Map<String, Prefix<String>> committableEverywhere() {
        return ledger.committable(List.of(P0, P1)).prefixes();
    }

    private Map<String, Prefix<String>> committable(String... partitions) {
        return ledger.committable(List.of(partitions)).prefixes();
    }

    @Test
    void anEmptyLedgerHasNothingToCommit() {
        assertThat(committableEverywhere()).isEmpty();
        assertThat(ledger.size()).isZero();
        assertThat(ledger.running()).isZero();
    }

    @Test
    void recordsFinishedInOrderAreCommittedUpToTheLastOnePlusOne() {
        List<Entry<String, String>> e = running(P0, 10, 11, 12);
        e.forEach(ledger::complete);

        assertThat(committableEverywhere())
                .containsExactly(Map.entry(P0, new Prefix<>(List.of("tier-0@10", "tier-0@11", "tier-0@12"), 13)));
    }

    @Test
    void aRecordFinishedOutOfOrderWaitsForTheOnesBeforeIt() {
        List<Entry<String, String>> e = running(P0, 10, 11, 12);
        ledger.complete(e.get(2));
        ledger.complete(e.get(1));
        assertThat(committableEverywhere()).isEmpty();

        ledger.complete(e.get(0));
        assertThat(committableEverywhere().get(P0).nextOffset()).isEqualTo(13);
    }

    @Test
    void anUnfinishedRecordInTheMiddleCutsThePrefixThere() {
        List<Entry<String, String>> e = running(P0, 1, 2, 3, 4, 5);
        ledger.complete(e.get(0));
        ledger.complete(e.get(1));
        ledger.complete(e.get(3));
        ledger.complete(e.get(4));

        Prefix<String> prefix = committableEverywhere().get(P0);
        assertThat(prefix.items()).containsExactly("tier-0@1", "tier-0@2");
        assertThat(prefix.nextOffset()).isEqualTo(3);
    }

    @Test
    void gapsInTheOffsetsCommitPastTheLastRecordNotByCount() {
        // transaction markers occupy offsets: a read_committed consumer sees 10, 12, 15
        List<Entry<String, String>> e = running(P0, 10, 12, 15);
        e.forEach(ledger::complete);

        assertThat(committableEverywhere().get(P0).nextOffset()).isEqualTo(16);
    }

    @Test
    void eachPartitionHasItsOwnPrefix() {
        List<Entry<String, String>> p0 = running(P0, 0, 1);
        List<Entry<String, String>> p1 = running(P1, 0, 1);
        ledger.complete(p0.get(0));
        ledger.complete(p1.get(1));

        assertThat(committableEverywhere()).containsOnlyKeys(P0);
        assertThat(committable(P1)).isEmpty();
        assertThat(committable(P1, P0).get(P0).nextOffset()).isEqualTo(1);
    }

    @Test
    void onlyTheAskedPartitionsAreOffered() {
        running(P0, 0).forEach(ledger::complete);
        running(P1, 0).forEach(ledger::complete);

        assertThat(committable(P1)).containsOnlyKeys(P1);
        assertThat(committable()).isEmpty();
    }

    @Test
    void aPrefixIsOfferedAgainUntilReleasedAsAfterAnAbortedTransaction() {
        List<Entry<String, String>> e = running(P0, 0, 1, 2);
        ledger.complete(e.get(0));
        Committable<String, String> first = ledger.committable(List.of(P0));
        assertThat(ledger.committable(List.of(P0))).isEqualTo(first);

        ledger.complete(e.get(1)); // finished meanwhile: the retry covers more
        assertThat(committableEverywhere().get(P0).nextOffset()).isEqualTo(2);
        assertThat(ledger.size()).isEqualTo(3);
    }

    @Test
    void releaseRemovesTheCommittedPrefixOnly() {
        List<Entry<String, String>> e = running(P0, 0, 1, 2, 3);
        ledger.complete(e.get(0));
        ledger.complete(e.get(1));
        Committable<String, String> committed = ledger.committable(List.of(P0, P1));
        ledger.complete(e.get(2)); // finished while the transaction ran: not covered by it

        ledger.release(committed);

        assertThat(ledger.size()).isEqualTo(2);
        assertThat(committableEverywhere().get(P0)).isEqualTo(new Prefix<>(List.of("tier-0@2"), 3));
        ledger.complete(e.get(3));
        ledger.release(ledger.committable(List.of(P0)));
        assertThat(ledger.size()).isZero();
        assertThat(ledger.partitions()).isEmpty();
        assertThat(committableEverywhere()).isEmpty();
    }

    @Test
    void releasingWhatIsNotFinishedIsABug() {
        running(P0, 0, 1);
        assertThatThrownBy(() -> ledger.release(new Committable<>(Map.of(P0, new Prefix<>(List.of("x"), 1)))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tier-0@0");
    }

    @Test
    void aRevokeMidFlightDropsThePartitionAndGivesUpItsUnfinishedRecords() {
        List<Entry<String, String>> p0 = running(P0, 0, 1, 2);
        ledger.track(P0, 3, "tier-0@3"); // still waiting for a slot
        List<Entry<String, String>> p1 = running(P1, 7);
        ledger.complete(p0.get(1));

        List<String> givenUp = ledger.drop(List.of(P0));

        assertThat(givenUp).containsExactly("tier-0@0", "tier-0@2", "tier-0@3");
        assertThat(ledger.size()).isEqualTo(1);
        assertThat(ledger.partitions()).containsExactly(P1);
        assertThat(ledger.running()).isEqualTo(1);
        // the revoked partition's waiting record never starts, its late completions change nothing
        assertThat(ledger.startUpTo(10)).isEmpty();
        p0.forEach(ledger::complete);
        assertThat(committable(P0)).isEmpty();
        ledger.complete(p1.get(0));
        assertThat(committableEverywhere()).containsOnlyKeys(P1);
    }

    @Test
    void aRevokeAfterTheCommitOfTheFinishedPrefixLeavesNothingBehind() {
        List<Entry<String, String>> e = running(P0, 0, 1, 2);
        ledger.complete(e.get(0));
        ledger.complete(e.get(1));
        ledger.release(ledger.committable(List.of(P0)));

        assertThat(ledger.drop(List.of(P0))).containsExactly("tier-0@2");
        assertThat(ledger.size()).isZero();
    }

    @Test
    void aReassignedPartitionStartsAfreshFromTheRedeliveredOffsets() {
        List<Entry<String, String>> before = running(P0, 5, 6, 7);
        ledger.complete(before.get(2));
        ledger.drop(List.of(P0));

        // the partition comes back (or was reset to its committed offset 5): the same offsets again
        List<Entry<String, String>> again = running(P0, 5, 6);
        ledger.complete(before.get(0)); // the old attempt at offset 5 finishes late
        assertThat(committable(P0)).isEmpty();

        ledger.complete(again.get(0));
        assertThat(committable(P0).get(P0).nextOffset()).isEqualTo(6);
        assertThat(ledger.size()).isEqualTo(2);
    }

    @Test
    void droppingAPartitionNotTrackedChangesNothing() {
        running(P0, 0);
        assertThat(ledger.drop(List.of(P1))).isEmpty();
        assertThat(ledger.size()).isEqualTo(1);
    }

    @Test
    void offsetsMustRiseWithinAPartition() {
        ledger.track(P0, 4, "a");
        assertThatThrownBy(() -> ledger.track(P0, 4, "b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ledger.track(P0, 3, "b")).isInstanceOf(IllegalArgumentException.class);
        ledger.track(P1, 0, "other partitions are independent");
        assertThat(ledger.size()).isEqualTo(2);
    }

    @Test
    void recordsStartOldestFirstAcrossPartitionsAndNoMoreThanTheLimitRun() {
        ledger.track(P0, 0, "a");
        ledger.track(P1, 0, "b");
        Entry<String, String> c = ledger.track(P0, 1, "c");
        ledger.track(P1, 1, "d");

        List<Entry<String, String>> first = ledger.startUpTo(2);
        assertThat(first).extracting(Entry::item).containsExactly("a", "b");
        assertThat(ledger.startUpTo(2)).isEmpty();
        assertThat(ledger.running()).isEqualTo(2);

        ledger.complete(first.get(1));
        assertThat(ledger.startUpTo(2)).containsExactly(c);
        assertThat(ledger.unfinished(List.of(P0, P1))).containsExactly("a", "c");
    }

    @Test
    void aRecordFinishedWithoutRunningIsNeverStartedButCommitted() {
        Entry<String, String> deadLettered = ledger.track(P0, 0, "undecodable");
        ledger.complete(deadLettered);
        Entry<String, String> next = ledger.track(P0, 1, "request");

        assertThat(ledger.startUpTo(5)).containsExactly(next);
        assertThat(committable(P0).get(P0).nextOffset()).isEqualTo(1);
    }

    @Test
    void abandonedWaitingRecordsNeverStartAndStillHoldBackThePrefix() {
        ledger.track(P0, 0, "a");
        ledger.track(P0, 1, "b");
        Entry<String, String> first = ledger.startUpTo(1).get(0);
        ledger.abandonWaiting(); // stopping

        ledger.complete(first);
        assertThat(ledger.startUpTo(5)).isEmpty();
        assertThat(committable(P0).get(P0).nextOffset()).isEqualTo(1);
        assertThat(ledger.size()).isEqualTo(2);
        assertThat(ledger.items()).containsExactly("a", "b");
    }

    @Test
    void completionsFromOtherThreadsBecomeCommittable() {
        List<Entry<String, String>> e = running(P0, 0, 1, 2, 3, 4, 5, 6, 7);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int i = e.size() - 1; i >= 0; i--) {
                Entry<String, String> entry = e.get(i);
                pool.execute(() -> ledger.complete(entry));
            }
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> committable(P0)
                                    .getOrDefault(P0, new Prefix<>(List.of(), -1))
                                    .nextOffset()
                            == 8);
            assertThat(ledger.running()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCommittableListsItsItemsAndTheOffsetsToCommit() {
        running(P0, 3, 4).forEach(ledger::complete);
        running(P1, 9).forEach(ledger::complete);

        Committable<String, String> ready = ledger.committable(List.of(P0, P1));
        assertThat(ready.items()).containsExactly("tier-0@3", "tier-0@4", "tier-1@9");
        assertThat(ready.nextOffsets()).containsExactly(Map.entry(P0, 5L), Map.entry(P1, 10L));
        assertThat(ready.isEmpty()).isFalse();
        assertThat(ledger.committable(List.of()).isEmpty()).isTrue();
    }
}
