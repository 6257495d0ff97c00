package io.tiergate.worker.work;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.schemas.events.AttemptStarted;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.worker.Fixtures;
import io.tiergate.worker.backend.ModelCall;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TakeoverTest {

    private static final String HAIKU = "anthropic/claude-haiku-4.5";
    private static final String TOPIC = "inference.tier.cloud";
    private static final Delivery AT_40 = new Delivery(TOPIC, 2, 40);

    private static AttemptStarted started(
            String id, int attempt, String topic, int partition, long offset, String usd) {
        CostEvent worst = CostEvent.newBuilder()
                .setRequestId(id)
                .setAttempt(attempt)
                .setCostCenter("team-a")
                .setTaskType(TaskType.IMPLEMENTATION)
                .setTier(Tier.CLOUD)
                .setModel(HAIKU)
                .setProvider("openrouter")
                .setReason(attempt == 1 ? CostReason.PRIMARY : CostReason.RETRY)
                .setSuccess(false)
                .setCostUsd(Money.usd(usd))
                .setBreakdown(io.tiergate.schemas.cost.CostCalculator.none().breakdown())
                .setOccurredAt(Instant.parse("2026-11-22T10:00:00Z"))
                .setInDoubt(true)
                .build();
        return AttemptStarted.newBuilder()
                .setRequestId(id)
                .setAttempt(attempt)
                .setSourceTopic(topic)
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setWorkerId("dead")
                .setStartedAt(Instant.parse("2026-11-22T10:00:00Z"))
                .setWorstCase(worst)
                .build();
    }

    private static RoutedRequest request(String id, int attempt) {
        RoutedRequest r = Fixtures.cloud(id, TaskType.IMPLEMENTATION, HAIKU, List.of());
        r.setAttempt(attempt);
        return r;
    }

    @Test
    void aFirstDeliveryOwesNothingAndStartsAtTheRequestsAttempt() {
        Takeover t = Takeover.of(request("r", 3), AT_40, List.of());

        assertThat(t.duplicate()).isFalse();
        assertThat(t.inDoubt()).isEmpty();
        assertThat(t.firstAttempt()).isEqualTo(3);
    }

    @Test
    void attemptsStartedFromThisRecordAreSettledInDoubtAtTheirWorstCaseAndNumberedPast() {
        Takeover t = Takeover.of(
                request("r", 1),
                AT_40,
                List.of(
                        started("r", 2, TOPIC, 2, 40, "0.200000000"),
                        started("r", 1, TOPIC, 2, 40, "0.100000000"),
                        started("r", 1, TOPIC, 2, 40, "0.100000000"))); // the same record read twice

        assertThat(t.duplicate()).isFalse();
        assertThat(t.inDoubt()).extracting(CostEvent::getAttempt).containsExactly(1, 2);
        assertThat(t.inDoubt()).allMatch(CostEvent::getInDoubt);
        assertThat(t.inDoubt())
                .extracting(CostEvent::getCostUsd)
                .containsExactly(Money.usd("0.100000000"), Money.usd("0.200000000"));
        assertThat(t.firstAttempt()).isEqualTo(3);
    }

    @Test
    void anAttemptStartedFromAnEarlierRecordOfTheSamePartitionMakesThisOneADuplicate() {
        Takeover t = Takeover.of(
                request("r", 1),
                AT_40,
                List.of(started("r", 1, TOPIC, 2, 17, "0.1"), started("r", 2, TOPIC, 2, 40, "0.1")));

        assertThat(t.duplicate()).isTrue();
        assertThat(t.duplicateOf()).contains(17L);
        assertThat(t.inDoubt()).isEmpty();
    }

    @Test
    void attemptsOfOtherRequestsTopicsOrPartitionsAreNotThisWorkersToSettle() {
        Takeover t = Takeover.of(
                request("r", 2),
                AT_40,
                List.of(
                        started("other", 2, TOPIC, 2, 40, "0.1"),
                        started("r", 1, "inference.tier.local", 0, 90, "0.1"), // the earlier tier's, handed on
                        started("r", 2, TOPIC, 1, 40, "0.1"),
                        started("r", 2, TOPIC, 2, 40, "0.300000000")));

        assertThat(t.duplicate()).isFalse();
        assertThat(t.inDoubt()).singleElement().satisfies(c -> {
            assertThat(c.getAttempt()).isEqualTo(2);
            assertThat(c.getCostUsd()).isEqualTo(Money.usd("0.300000000"));
        });
        assertThat(t.firstAttempt()).isEqualTo(3);
    }

    @Test
    void aWorkTakingOverBillsTheOpenAttemptsAndRetriesUnderTheNextNumber() {
        RoutedRequest request = request("r", 1);
        Takeover t = Takeover.of(request, AT_40, List.of(started("r", 1, TOPIC, 2, 40, "0.165040000")));
        List<AttemptStarted> written = new java.util.ArrayList<>();
        Work work = new Work(request, WorkEnvironment.of(Tier.CLOUD, "cw", Fixtures.PRICER), AT_40, written::add, t);
        WorkTest.Scripted backend = new WorkTest.Scripted().then(WorkTest.answer(1000, 200));

        work.call(backend, HAIKU, Duration.ofSeconds(5));
        WorkOutcome outcome = work.complete();

        assertThat(backend.calls).extracting(ModelCall::attempt).containsExactly(2);
        assertThat(written).extracting(AttemptStarted::getAttempt).containsExactly(2);
        assertThat(outcome.costEvents())
                .extracting(CostEvent::getAttempt, CostEvent::getInDoubt, CostEvent::getReason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, true, CostReason.PRIMARY),
                        org.assertj.core.groups.Tuple.tuple(2, false, CostReason.RETRY));
        // haiku: 1,000 × $1/M + 200 × $5/M = $0.002, plus the in-doubt worst case
        assertThat(outcome.result().orElseThrow().getTotalCostUsd()).isEqualTo(Money.usd("0.167040000"));
        assertThat(outcome.result().orElseThrow().getAttempts()).isEqualTo(2);
    }
}
