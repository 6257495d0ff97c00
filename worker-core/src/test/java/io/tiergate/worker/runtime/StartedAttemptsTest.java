package io.tiergate.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.schemas.events.AttemptStarted;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StartedAttemptsTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    private static AttemptStarted started(String id, int attempt, long offset, Instant at) {
        return AttemptStarted.newBuilder()
                .setRequestId(id)
                .setAttempt(attempt)
                .setSourceTopic("t")
                .setSourcePartition(0)
                .setSourceOffset(offset)
                .setWorkerId("w")
                .setStartedAt(at)
                .setWorstCase(CostEvent.newBuilder()
                        .setRequestId(id)
                        .setAttempt(attempt)
                        .setCostCenter("c")
                        .setTaskType(TaskType.UNKNOWN)
                        .setTier(Tier.CLOUD)
                        .setModel("m")
                        .setProvider("p")
                        .setReason(io.tiergate.schemas.events.CostReason.PRIMARY)
                        .setCostUsd(Money.ZERO)
                        .setBreakdown(
                                io.tiergate.schemas.cost.CostCalculator.none().breakdown())
                        .setOccurredAt(at)
                        .build())
                .build();
    }

    @Test
    void keepsEachAttemptOnceByRequest() {
        StartedAttempts known = new StartedAttempts(Duration.ofHours(1));

        known.add(started("a", 1, 5, T0), T0);
        known.add(started("a", 1, 5, T0), T0); // its own write, then read back from the topic
        known.add(started("a", 2, 5, T0), T0);
        known.add(started("b", 1, 6, T0), T0);

        assertThat(known.of("a")).extracting(AttemptStarted::getAttempt).containsExactly(1, 2);
        assertThat(known.of("b")).hasSize(1);
        assertThat(known.of("c")).isEmpty();
        assertThat(known.size()).isEqualTo(3);
    }

    @Test
    void forgetsAttemptsStartedLongerAgoThanItsMemory() {
        StartedAttempts known = new StartedAttempts(Duration.ofMinutes(10));

        known.add(started("old", 1, 1, T0), T0);
        known.add(started("new", 1, 2, T0.plusSeconds(300)), T0.plusSeconds(300));
        known.add(started("stale", 1, 3, T0), T0.plusSeconds(601)); // read late: already too old

        assertThat(known.of("old")).isEmpty();
        assertThat(known.of("stale")).isEmpty();
        assertThat(known.of("new")).hasSize(1);
    }
}
