package io.tiergate.worker.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.schemas.events.AttemptStarted;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.worker.Fixtures;
import io.tiergate.worker.backend.ModelCall;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class WriteAheadTest {

    private static final String HAIKU = "anthropic/claude-haiku-4.5";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:00:02Z"), ZoneOffset.UTC);
    private static final WorkEnvironment CLOUD =
            WorkEnvironment.of(Tier.CLOUD, "cw-1", Fixtures.PRICER).withClock(CLOCK);
    private static final Delivery DELIVERY = new Delivery("inference.tier.cloud", 1, 7);

    /** Records what was written ahead, and how many calls the backend had seen at that moment. */
    private static final class Recording implements WriteAhead {
        final List<AttemptStarted> written = new ArrayList<>();
        final List<Integer> callsBefore = new ArrayList<>();
        WorkTest.Scripted backend;

        @Override
        public void started(AttemptStarted attempt) {
            written.add(attempt);
            callsBefore.add(backend.calls.size());
        }
    }

    private static Work work(RoutedRequest request, WriteAhead writeAhead) {
        return new Work(request, CLOUD, DELIVERY, writeAhead, Takeover.fresh(request));
    }

    @Test
    void everyCallIsWrittenAheadBeforeItIsMadeWithItsWorstCaseAndWhereItsRecordWasRead() {
        RoutedRequest request = Fixtures.cloud("r1", TaskType.IMPLEMENTATION, HAIKU, List.of());
        request.getClassified().getRequest().setMaxOutputTokens(500);
        Recording journal = new Recording();
        journal.backend = new WorkTest.Scripted()
                .then(io.tiergate.worker.backend.ModelCallException.retryable(
                        "rate_limited", "429", 429, Duration.ofMillis(1)))
                .then(WorkTest.answer(1000, 200));
        Work work = work(request, journal);

        work.call(journal.backend, HAIKU, Duration.ofSeconds(5));
        work.call(journal.backend, HAIKU, Duration.ofSeconds(5));

        assertThat(journal.callsBefore).containsExactly(0, 1);
        assertThat(journal.written).extracting(AttemptStarted::getAttempt).containsExactly(1, 2);
        AttemptStarted first = journal.written.get(0);
        assertThat(first.getSourceTopic()).isEqualTo("inference.tier.cloud");
        assertThat(first.getSourcePartition()).isEqualTo(1);
        assertThat(first.getSourceOffset()).isEqualTo(7);
        assertThat(first.getWorkerId()).isEqualTo("cw-1");
        CostEvent worst = first.getWorstCase();
        // haiku: 1,200 estimated input × $1/M + 500 max output × $5/M
        assertThat(worst.getCostUsd()).isEqualTo(Money.usd("0.003700000"));
        assertThat(worst.getInputTokens()).isEqualTo(1200);
        assertThat(worst.getOutputTokens()).isEqualTo(500);
        assertThat(worst.getInDoubt()).isTrue();
        assertThat(worst.getReason()).isEqualTo(CostReason.PRIMARY);
        assertThat(journal.written.get(1).getWorstCase().getReason()).isEqualTo(CostReason.RETRY);
        // the real bills are what the calls cost, not in doubt
        assertThat(work.complete().costEvents()).noneMatch(CostEvent::getInDoubt);
    }

    @Test
    void withoutARequestLimitTheWorstCaseAssumesTheModelsOutputCap() {
        RoutedRequest request = Fixtures.cloud("r2", TaskType.IMPLEMENTATION, HAIKU, List.of());
        Recording journal = new Recording();
        journal.backend = new WorkTest.Scripted().then(WorkTest.answer(10, 10));

        work(request, journal).call(journal.backend, HAIKU, Duration.ofSeconds(5));

        // the call carries haiku's output cap from the price table: 1,200 × $1/M + 64,000 × $5/M
        assertThat(journal.written.get(0).getWorstCase().getCostUsd()).isEqualTo(Money.usd("0.321200000"));
        assertThat(journal.written.get(0).getWorstCase().getOutputTokens()).isEqualTo(64_000);
    }

    @Test
    void aCallWhoseAttemptCannotBeWrittenAheadIsNotMade() {
        RoutedRequest request = Fixtures.cloud("r3", TaskType.IMPLEMENTATION, HAIKU, List.of());
        WorkTest.Scripted backend = new WorkTest.Scripted().then(WorkTest.answer(10, 10));
        Work work = work(request, attempt -> {
            throw new WriteAhead.NotDurableException("broker down", null);
        });

        Attempt attempt = work.call(backend, HAIKU, Duration.ofSeconds(5));

        assertThat(backend.calls).isEmpty();
        assertThat(attempt.success()).isFalse();
        assertThat(attempt.outcomeCode()).isEqualTo("write_ahead_failed");
        assertThat(attempt.cost().totalUsd()).isEqualTo(Money.ZERO);
        assertThat(attempt.failure().orElseThrow().retryable()).isFalse();
    }

    @Test
    void aRequestGivenUpWhileItsAttemptWasWrittenIsNotCalled() {
        RoutedRequest request = Fixtures.cloud("r4", TaskType.IMPLEMENTATION, HAIKU, List.of());
        WorkTest.Scripted backend = new WorkTest.Scripted().then(WorkTest.answer(10, 10));
        Work[] work = new Work[1];
        work[0] = work(request, attempt -> work[0].cancel());

        assertThatThrownBy(() -> work[0].call(backend, HAIKU, Duration.ofSeconds(5)))
                .isInstanceOf(CancellationException.class);
        assertThat(backend.calls).isEmpty();
    }

    @Test
    void aHandlerAnnouncingACallOutOfTurnIsRefused() {
        RoutedRequest request = Fixtures.cloud("r5", TaskType.IMPLEMENTATION, HAIKU, List.of());
        Work work = work(request, WriteAhead.NONE);
        ModelCall wrongNumber = ModelCall.of(request, HAIKU, 2, Duration.ofSeconds(5));

        assertThatThrownBy(() -> work.announce(wrongNumber, new WorkTest.Scripted(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the next attempt is 1");
    }

    @Test
    void aDuplicateHasNoWork() {
        RoutedRequest request = Fixtures.cloud("r6", TaskType.IMPLEMENTATION, HAIKU, List.of());
        Takeover duplicate = new Takeover(java.util.Optional.of(3L), List.of(), 1);

        assertThatThrownBy(() -> new Work(request, CLOUD, DELIVERY, WriteAhead.NONE, duplicate))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
