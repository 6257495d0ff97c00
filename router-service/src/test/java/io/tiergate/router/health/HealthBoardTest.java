package io.tiergate.router.health;

import static io.tiergate.router.Fixtures.health;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.router.policy.LocalCapacity;
import io.tiergate.schemas.events.CircuitState;
import io.tiergate.schemas.events.Tier;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HealthBoardTest {

    private final Instant now = Instant.parse("2026-11-22T10:00:00Z");
    private final HealthBoard board = new HealthBoard(Duration.ofSeconds(60), Duration.ofSeconds(10));

    @Test
    void noHealthMeansAvailable() {
        LocalCapacity c = board.localCapacity(now.toEpochMilli());
        assertThat(c.known()).isFalse();
        assertThat(c.overloaded()).isFalse();
        assertThat(c.queueWaitMs()).isZero();
    }

    @Test
    void aQueueBelowItsLimitHasRoomAndAWait() {
        board.onHealth("l1", health("l1", Tier.LOCAL, 7, 8, CircuitState.CLOSED, now));
        LocalCapacity c = board.localCapacity(now.toEpochMilli());
        assertThat(c.overloaded()).isFalse();
        assertThat(c.queueWaitMs()).isEqualTo(70_000);
    }

    @Test
    void aQueueAtItsLimitIsOverloaded() {
        board.onHealth("l1", health("l1", Tier.LOCAL, 8, 8, CircuitState.CLOSED, now));
        LocalCapacity c = board.localCapacity(now.toEpochMilli());
        assertThat(c.overloaded()).isTrue();
        assertThat(c.circuitOpen()).isFalse();
        assertThat(c.queueWaitMs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void anOpenCircuitIsOverloaded() {
        board.onHealth("l1", health("l1", Tier.LOCAL, 0, 8, CircuitState.OPEN, now));
        LocalCapacity c = board.localCapacity(now.toEpochMilli());
        assertThat(c.overloaded()).isTrue();
        assertThat(c.circuitOpen()).isTrue();
    }

    @Test
    void oneAvailableWorkerIsEnough() {
        board.onHealth("l1", health("l1", Tier.LOCAL, 0, 8, CircuitState.OPEN, now));
        board.onHealth("l2", health("l2", Tier.LOCAL, 1, 8, CircuitState.HALF_OPEN, now));
        LocalCapacity c = board.localCapacity(now.toEpochMilli());
        assertThat(c.overloaded()).isFalse();
        assertThat(c.queueWaitMs()).isEqualTo(10_000);
    }

    @Test
    void staleRecordsAndCloudWorkersAreIgnored() {
        board.onHealth("l1", health("l1", Tier.LOCAL, 8, 8, CircuitState.OPEN, now.minusSeconds(61)));
        board.onHealth("c1", health("c1", Tier.CLOUD, 99, 8, CircuitState.OPEN, now));
        assertThat(board.localCapacity(now.toEpochMilli()).known()).isFalse();
    }

    @Test
    void aTombstoneForgetsTheWorker() {
        board.onHealth("l1", health("l1", Tier.LOCAL, 8, 8, CircuitState.OPEN, now));
        board.onHealth("l1", null);
        assertThat(board.localCapacity(now.toEpochMilli()).overloaded()).isFalse();
    }
}
