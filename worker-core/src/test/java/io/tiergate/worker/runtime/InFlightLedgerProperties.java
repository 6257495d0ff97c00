package io.tiergate.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import io.tiergate.worker.runtime.InFlightLedger.Entry;
import io.tiergate.worker.runtime.InFlightLedger.Prefix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Whatever order requests finish in, whenever the worker commits, and whenever a partition is
 * revoked and read again from its committed offset: each record is committed exactly once, in
 * offset order, and only once it has finished. QuickTheories with a fixed seed (as the rest of the
 * project), {@code -Dtiergate.qt.seed=<n>} for other cases.
 */
class InFlightLedgerProperties {

    private static final long SEED = Long.getLong("tiergate.qt.seed", 0x7165_5EEDL);
    private static final List<String> PARTITIONS = List.of("p0", "p1", "p2");

    /** One partition's log (offsets with gaps, as read_committed sees them) and what the worker did with it. */
    private static final class Log {
        final List<Long> offsets = new ArrayList<>();
        final List<Long> committed = new ArrayList<>();
        final List<Entry<String, Long>> tracked = new ArrayList<>();
        final Set<Long> finished = new HashSet<>();
        int nextToRead;

        boolean allCommitted() {
            return committed.size() == offsets.size();
        }
    }

    @Test
    void everyRecordIsCommittedOnceInOrderAndOnlyWhenFinished() {
        qt().withFixedSeed(SEED)
                .forAll(longs().all(), integers().between(1, 40))
                .checkAssert((seed, records) -> simulate(new Random(seed), records));
    }

    private static void simulate(Random random, int records) {
        InFlightLedger<String, Long> ledger = new InFlightLedger<>();
        Map<String, Log> logs = new HashMap<>();
        for (String p : PARTITIONS) {
            Log log = new Log();
            long offset = random.nextInt(3);
            for (int i = 0; i < records; i++) {
                log.offsets.add(offset);
                offset += 1 + random.nextInt(3);
            }
            logs.put(p, log);
        }
        for (int step = 0; step < 100_000 && !logs.values().stream().allMatch(Log::allCommitted); step++) {
            String p = PARTITIONS.get(random.nextInt(PARTITIONS.size()));
            Log log = logs.get(p);
            int op = random.nextInt(10);
            if (op < 3 && log.nextToRead < log.offsets.size()) {
                long offset = log.offsets.get(log.nextToRead++);
                log.tracked.add(ledger.track(p, offset, offset));
            } else if (op < 7) {
                ledger.startUpTo(1 + random.nextInt(4));
                List<Entry<String, Long>> open =
                        log.tracked.stream().filter(e -> !e.done()).toList();
                if (!open.isEmpty()) {
                    Entry<String, Long> e = open.get(random.nextInt(open.size()));
                    ledger.complete(e);
                    log.finished.add(e.offset());
                }
            } else if (op < 9) {
                InFlightLedger.Committable<String, Long> ready = ledger.committable(PARTITIONS);
                for (Map.Entry<String, Prefix<Long>> r : ready.prefixes().entrySet()) {
                    Log l = logs.get(r.getKey());
                    List<Long> items = r.getValue().items();
                    assertThat(l.finished).containsAll(items);
                    // the prefix starts right after what was committed: nothing skipped, nothing twice
                    assertThat(items)
                            .isEqualTo(l.offsets.subList(l.committed.size(), l.committed.size() + items.size()));
                    assertThat(r.getValue().nextOffset()).isEqualTo(items.get(items.size() - 1) + 1);
                    l.committed.addAll(items);
                }
                ledger.release(ready);
            } else {
                // revoked (or reset): read again from the committed offset, here or by the next owner
                ledger.drop(List.of(p));
                log.tracked.clear();
                log.finished.clear();
                log.nextToRead = log.committed.size();
            }
        }
        for (Log log : logs.values()) {
            assertThat(log.committed).isEqualTo(log.offsets);
        }
        assertThat(ledger.size()).isZero();
    }
}
