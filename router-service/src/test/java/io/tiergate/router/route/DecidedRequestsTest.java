package io.tiergate.router.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DecidedRequestsTest {

    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long T0 = 1_700_000_000_000L;

    private final DecidedRequests decided = new DecidedRequests(Duration.ofHours(1), 3);

    @Test
    void anUndecidedRequestIsNotADuplicate() {
        assertThat(decided.isDuplicate(0, "r1", 0, T0)).isFalse();
    }

    @Test
    void aSecondRecordOfADecidedRequestIsADuplicate() {
        decided.record(0, "r1", false, T0);
        assertThat(decided.isDuplicate(0, "r1", 0, T0 + 1)).isTrue();
    }

    @Test
    void theMemoryIsPerPartition() {
        decided.record(0, "r1", false, T0);
        assertThat(decided.isDuplicate(1, "r1", 0, T0 + 1)).isFalse();
    }

    @Test
    void aDuplicateAtTheEndOfTheWindowIsSkippedAndOneAfterItIsDecidedAgain() {
        decided.record(0, "r1", false, T0);
        assertThat(decided.isDuplicate(0, "r1", 0, T0 + HOUR)).isTrue();
        assertThat(decided.isDuplicate(0, "r1", 0, T0 + HOUR + 1)).isFalse();
        assertThat(decided.size(0)).isZero();
    }

    @Test
    void theOldestIdsAreForgottenBeyondTheSizeBound() {
        for (int i = 1; i <= 4; i++) {
            decided.record(0, "r" + i, false, T0 + i);
        }
        assertThat(decided.size(0)).isEqualTo(3);
        assertThat(decided.isDuplicate(0, "r1", 0, T0 + 5)).isFalse();
        assertThat(decided.isDuplicate(0, "r2", 0, T0 + 5)).isTrue();
        assertThat(decided.isDuplicate(0, "r4", 0, T0 + 5)).isTrue();
    }

    @Test
    void aRequestDecidedAgainMovesToTheNewEndOfTheBound() {
        decided.record(0, "r1", true, T0);
        decided.record(0, "r2", false, T0 + 1);
        decided.record(0, "r1", false, T0 + 2); // released and routed
        decided.record(0, "r3", false, T0 + 3);
        decided.record(0, "r4", false, T0 + 4);
        assertThat(decided.isDuplicate(0, "r1", 0, T0 + 5)).isTrue();
        assertThat(decided.isDuplicate(0, "r2", 0, T0 + 5)).isFalse();
    }

    @Test
    void aReleasedRequestWhoseLatestDecisionWasDeferIsDecidedAgain() {
        decided.record(0, "r1", true, T0);
        assertThat(decided.isDuplicate(0, "r1", 1, T0 + 1)).isFalse();
    }

    @Test
    void aSecondRecordWithoutDeferralHeadersOfADeferredRequestIsADuplicate() {
        decided.record(0, "r1", true, T0);
        assertThat(decided.isDuplicate(0, "r1", 0, T0 + 1)).isTrue();
    }

    @Test
    void aSecondReleaseOfARequestAlreadyRoutedAfterItsReleaseIsADuplicate() {
        decided.record(0, "r1", true, T0);
        decided.record(0, "r1", false, T0 + 10); // the first release, routed
        assertThat(decided.isDuplicate(0, "r1", 1, T0 + 11)).isTrue();
    }

    @Test
    void undoingABatchRestoresWhatWasRememberedBeforeIt() {
        decided.record(0, "r1", true, T0);
        List<DecidedRequests.Undo> batch = new ArrayList<>();
        batch.add(decided.record(0, "r1", false, T0 + 1));
        batch.add(decided.record(0, "r2", false, T0 + 1));
        decided.undo(batch);
        assertThat(decided.isDuplicate(0, "r1", 1, T0 + 2)).isFalse(); // deferred again, not routed
        assertThat(decided.isDuplicate(0, "r1", 0, T0 + 2)).isTrue();
        assertThat(decided.isDuplicate(0, "r2", 0, T0 + 2)).isFalse();
    }

    @Test
    void aRebuildRemembersTheRecentDecisionsOfTheGivenPartitionsOnly() {
        decided.record(2, "kept", false, T0);
        decided.record(0, "stale-memory", false, T0);
        long now = T0 + HOUR + 10;
        int n = decided.rebuild(
                Set.of(0, 1),
                List.of(
                        new DecidedRequests.Past("too-old", 0, false, now - HOUR - 1),
                        new DecidedRequests.Past("a", 0, false, now - 100),
                        new DecidedRequests.Past("b", 1, true, now - 50),
                        new DecidedRequests.Past("elsewhere", 3, false, now - 50)),
                now);
        assertThat(n).isEqualTo(2);
        assertThat(decided.isDuplicate(0, "a", 0, now)).isTrue();
        assertThat(decided.isDuplicate(1, "b", 1, now)).isFalse(); // latest decision DEFER: a release is decided
        assertThat(decided.isDuplicate(1, "b", 0, now)).isTrue();
        assertThat(decided.isDuplicate(0, "too-old", 0, now)).isFalse();
        assertThat(decided.isDuplicate(0, "stale-memory", 0, now)).isFalse();
        assertThat(decided.isDuplicate(3, "elsewhere", 0, now)).isFalse();
        assertThat(decided.size(2)).isEqualTo(1); // not rebuilt: untouched
    }

    @Test
    void aRebuildKeepsTheLatestDecisionOfAnIdWhateverTheLogOrder() {
        long now = T0 + 1000;
        decided.rebuild(
                Set.of(0),
                List.of(
                        new DecidedRequests.Past("r1", 0, false, T0 + 20), // routed after its release
                        new DecidedRequests.Past("r1", 0, true, T0 + 10)),
                now);
        assertThat(decided.isDuplicate(0, "r1", 1, now)).isTrue();
    }

    @Test
    void aRebuildAppliesTheSizeBoundKeepingTheNewest() {
        long now = T0 + 1000;
        List<DecidedRequests.Past> past = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            past.add(new DecidedRequests.Past("r" + i, 0, false, T0 + i));
        }
        assertThat(decided.rebuild(Set.of(0), past, now)).isEqualTo(3);
        assertThat(decided.isDuplicate(0, "r1", 0, now)).isFalse();
        assertThat(decided.isDuplicate(0, "r4", 0, now)).isTrue();
    }

    @Test
    void forgottenPartitionsRememberNothing() {
        decided.record(0, "r1", false, T0);
        decided.forget(Set.of(0));
        assertThat(decided.isDuplicate(0, "r1", 0, T0 + 1)).isFalse();
    }

    @Test
    void invalidBoundsAreRefused() {
        assertThatThrownBy(() -> new DecidedRequests(Duration.ZERO, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DecidedRequests(Duration.ofMinutes(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
