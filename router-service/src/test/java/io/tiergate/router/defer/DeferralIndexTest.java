package io.tiergate.router.defer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeferralIndexTest {

    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final DeferralLimits LIMITS =
            new DeferralLimits(Duration.ofHours(24), 1_000, Duration.ofSeconds(1), Duration.ofSeconds(60));

    private final DeferralIndex index = new DeferralIndex(LIMITS);

    private DeferralIndex.Admission defer(int partition, long offset, String cc, long atMs, int bytes) {
        return index.admit(partition, offset, cc, atMs, atMs, 1, bytes, true);
    }

    @Test
    void aDeferralIsReleasedOnlyWhenItsBudgetAllowsAndItsHoldHasPassed() {
        defer(0, 10, "a", 0, 100);
        defer(0, 11, "b", 0, 100);

        assertThat(index.due(999, cc -> true, 10).isEmpty()).as("min hold 1 s").isTrue();
        DeferralIndex.Pass pass = index.due(1_000, "a"::equals, 10);
        assertThat(pass.release()).extracting(DeferralIndex.Due::offset).containsExactly(10L);
        assertThat(pass.expire()).isEmpty();
    }

    @Test
    void theHoldDoublesWithEachDeferralUpToTheMaximum() {
        index.admit(0, 1, "a", 0, 0, 3, 10, true); // 4 s
        index.admit(0, 2, "a", 0, 0, 30, 10, true); // capped at 60 s
        assertThat(index.due(3_999, cc -> true, 10).release()).isEmpty();
        assertThat(index.due(4_000, cc -> true, 10).release())
                .extracting(DeferralIndex.Due::offset)
                .containsExactly(1L);
        assertThat(index.due(60_000, cc -> true, 10).release()).hasSize(2);
    }

    @Test
    void releasesComeOldestDeferralFirstAcrossPartitionsAndAtMostTheLimitPerPass() {
        defer(2, 5, "a", 30, 10);
        defer(0, 7, "a", 10, 10);
        defer(1, 3, "a", 20, 10);
        defer(0, 8, "a", 40, 10);

        DeferralIndex.Pass pass = index.due(HOUR, cc -> true, 3);
        assertThat(pass.release())
                .extracting(d -> d.partition() + ":" + d.offset())
                .containsExactly("0:7", "1:3", "2:5");
    }

    @Test
    void aReleasedDeferralKeepsItsCostCenterCountAndFirstDeferralTime() {
        index.admit(1, 42, "team-x", 5_000, 9_000, 4, 10, true);
        DeferralIndex.Due due = index.due(HOUR, cc -> true, 10).release().get(0);
        assertThat(due).isEqualTo(new DeferralIndex.Due(1, 42, "team-x", 4, 5_000));
    }

    @Test
    void aDeferralFirstMadeMaxAgeAgoExpiresWhateverItsBudget() {
        long maxAge = LIMITS.maxAge().toMillis();
        index.admit(0, 1, "a", 0, maxAge - 10, 2, 10, true); // re-deferred late: the age counts from 0
        defer(0, 2, "a", 1, 10);

        assertThat(index.due(maxAge - 1, cc -> false, 10).isEmpty()).isTrue();
        DeferralIndex.Pass pass = index.due(maxAge, cc -> false, 10);
        assertThat(pass.expire()).extracting(DeferralIndex.Due::offset).containsExactly(1L);
        assertThat(pass.release()).isEmpty();
        // expired even when the budget allows it again: expiry wins
        assertThat(index.due(maxAge + 1, cc -> true, 10).expire())
                .extracting(DeferralIndex.Due::offset)
                .containsExactly(1L, 2L);
    }

    @Test
    void aDeferralThatWouldExceedTheByteBoundIsRefusedAndOneThatFitsIsHeld() {
        assertThat(defer(0, 1, "a", 0, 600)).isEqualTo(DeferralIndex.Admission.HELD);
        assertThat(defer(0, 2, "a", 0, 401)).isEqualTo(DeferralIndex.Admission.OVER_BYTES);
        assertThat(defer(0, 3, "a", 0, 400)).isEqualTo(DeferralIndex.Admission.HELD);
        assertThat(index.heldBytes()).isEqualTo(1_000);
        assertThat(index.size()).isEqualTo(2);
        // the refused one is not held, but read: the commit moves past it once nothing older is held
        index.remove(0, 1);
        assertThat(index.committable(0)).isEqualTo(3);
        index.remove(0, 3);
        assertThat(index.committable(0)).isEqualTo(4);
        assertThat(defer(0, 4, "a", 0, 1_000)).isEqualTo(DeferralIndex.Admission.HELD);
    }

    @Test
    void theByteBoundIsNotEnforcedWhileRebuilding() {
        defer(0, 1, "a", 0, 900);
        assertThat(index.admit(0, 2, "a", 0, 0, 1, 900, false)).isEqualTo(DeferralIndex.Admission.HELD);
        assertThat(index.heldBytes()).isEqualTo(1_800);
        assertThat(defer(0, 3, "a", 0, 1)).isEqualTo(DeferralIndex.Admission.OVER_BYTES);
    }

    @Test
    void theCommittableOffsetIsTheOldestHeldDeferralOrPastEverythingRead() {
        assertThat(index.committable(0)).isEqualTo(-1);
        defer(0, 5, "a", 0, 1);
        defer(0, 6, "a", 0, 1);
        index.read(0, 7); // a marker
        assertThat(index.committable(0)).isEqualTo(5);
        assertThat(index.remove(0, 6)).isTrue();
        assertThat(index.committable(0)).isEqualTo(5);
        assertThat(index.remove(0, 5)).isTrue();
        assertThat(index.committable(0)).isEqualTo(8);
        assertThat(index.remove(0, 5)).as("removed twice").isFalse();
        assertThat(index.remove(3, 5)).as("unknown partition").isFalse();
    }

    @Test
    void aDeferralReadTwiceIsHeldOnce() {
        defer(0, 5, "a", 0, 10);
        defer(0, 5, "a", 0, 10);
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.heldBytes()).isEqualTo(10);
    }

    @Test
    void manyDeferralsSurviveGrowthAndCompactionInOffsetOrder() {
        for (long o = 0; o < 10_000; o++) {
            defer((int) (o % 3), o, "cc-" + (o % 7), o, 0);
            if (o % 2 == 1) {
                index.remove((int) ((o - 1) % 3), o - 1); // every even offset is released at once
            }
        }
        assertThat(index.size()).isEqualTo(5_000);
        DeferralIndex.Pass pass = index.due(HOUR, cc -> true, 100_000);
        assertThat(pass.release()).hasSize(5_000);
        assertThat(pass.release()).allSatisfy(d -> {
            assertThat(d.offset() % 2).isEqualTo(1);
            assertThat(d.costCenter()).isEqualTo("cc-" + (d.offset() % 7));
            assertThat(d.partition()).isEqualTo((int) (d.offset() % 3));
        });
        assertThat(index.committable(0)).isEqualTo(3);
        assertThat(index.partitions()).isEqualTo(Set.of(0, 1, 2));
    }

    @Test
    void droppingAPartitionForgetsItsDeferralsAndTheirBytes() {
        defer(0, 1, "a", 0, 100);
        defer(1, 1, "a", 0, 200);
        index.drop(1);
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.heldBytes()).isEqualTo(100);
        assertThat(index.committable(1)).isEqualTo(-1);
    }

    @Test
    void theRetentionCoversALongestBudgetPeriodPlusTheMaximumAge() {
        assertThat(LIMITS.requiredRetention()).isEqualTo(Duration.ofDays(32));
    }
}
