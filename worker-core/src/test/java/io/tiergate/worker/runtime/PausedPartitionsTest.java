package io.tiergate.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.worker.runtime.PausedPartitions.Change;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PausedPartitionsTest {

    private final PausedPartitions<String> paused = new PausedPartitions<>();

    @Test
    void nothingHappensWhileThereIsRoom() {
        assertThat(paused.update(Set.of("p0", "p1"), false)).isEqualTo(new Change<>(Set.of(), Set.of()));
    }

    @Test
    void holdingPausesEveryOwnedPartitionOnce() {
        assertThat(paused.update(Set.of("p0", "p1"), true).pause()).containsExactlyInAnyOrder("p0", "p1");
        assertThat(paused.update(Set.of("p0", "p1"), true)).isEqualTo(new Change<>(Set.of(), Set.of()));
    }

    @Test
    void aPartitionAssignedWhileHoldingIsPausedToo() {
        paused.update(Set.of("p0"), true);
        assertThat(paused.update(Set.of("p0", "p2"), true).pause()).containsExactly("p2");
    }

    @Test
    void roomAgainResumesWhatWasPaused() {
        paused.update(Set.of("p0", "p1"), true);
        assertThat(paused.update(Set.of("p0", "p1"), false)).isEqualTo(new Change<>(Set.of(), Set.of("p0", "p1")));
        assertThat(paused.update(Set.of("p0", "p1"), false)).isEqualTo(new Change<>(Set.of(), Set.of()));
    }

    @Test
    void aPartitionRevokedWhilePausedIsNotResumed() {
        paused.update(Set.of("p0", "p1"), true);
        assertThat(paused.update(Set.of("p1"), false).resume()).containsExactly("p1");
    }

    @Test
    void aRevokedPartitionAssignedAgainIsPausedAgain() {
        paused.update(Set.of("p0"), true);
        paused.update(Set.of(), true); // revoked: the consumer forgets its pause
        assertThat(paused.update(Set.of("p0"), true).pause()).containsExactly("p0");
    }
}
