package io.tiergate.ledger.kafka;

import static io.tiergate.ledger.support.CostEvents.cost;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.ledger.budget.ScopeSpend;
import io.tiergate.ledger.support.LedgerDriver;
import io.tiergate.schemas.events.AttemptStarted;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/ledger.md, "Open attempts": an attempt counts at its worst case until its cost event replaces it. */
class OpenAttemptsTest {

    private static final String NOW = "2026-11-22T10:30:00Z";
    private static final String STARTED = "2026-11-22T10:00:00Z";

    @Test
    void startedAttemptCountsAtItsWorstCaseInTheBudgetOfItsCostCenterAndGlobal() {
        try (LedgerDriver ledger = LedgerDriver.at(NOW)) {
            ledger.attemptStarted(cost("r-1").usd("2.000000001").at(STARTED));

            for (String scope : List.of("ci-agents", Topics.GLOBAL_SCOPE)) {
                ScopeSpend spend = spend(ledger, scope);
                assertThat(spend.dayBudgetSpend()).as(scope).isEqualTo(Money.usd("2.000000001"));
                assertThat(spend.monthBudgetSpend()).as(scope).isEqualTo(Money.usd("2.000000001"));
                assertThat(spend.dayOpenUsd()).as(scope).isEqualTo(Money.usd("2.000000001"));
                assertThat(spend.lifetimeEvents())
                        .as("an open attempt is not a cost")
                        .isZero();
            }
            BudgetStatus status = last(ledger.statuses(), "ci-agents");
            assertThat(status.getDailySpendUsd()).isEqualTo(Money.usd("2.000000001"));
            assertThat(status.getDailyOpenAttemptsUsd()).isEqualTo(Money.usd("2.000000001"));
            assertThat(status.getMonthlyOpenAttemptsUsd()).isEqualTo(Money.usd("2.000000001"));
        }
    }

    @Test
    void costEventReplacesTheOpenWorstCaseAndNoStatusShowsBothOrNeither() {
        try (LedgerDriver ledger = LedgerDriver.at(NOW)) {
            ledger.budget(LedgerDriver.budgetOf("ci-agents", "2.5", null)).statuses();
            ledger.attemptStarted(cost("r-1").usd("2.000000000").at(STARTED));
            ledger.send(cost("r-1").usd("0.030000000").at("2026-11-22T10:00:20Z"));
            ledger.advanceWallClock(Duration.ofSeconds(5));
            // (0.03 USD in the last hour forecasts nothing before the day ends: the level is NORMAL again)

            List<BudgetStatus> statuses = ledger.statuses().stream()
                    .filter(s -> s.getScope().equals("ci-agents"))
                    .toList();
            assertThat(statuses).extracting(BudgetStatus::getLevel).contains(BudgetLevel.CONSERVE);
            assertThat(statuses)
                    .extracting(BudgetStatus::getDailySpendUsd)
                    .containsOnly(Money.usd("2.000000000"), Money.usd("0.030000000"));
            BudgetStatus last = statuses.get(statuses.size() - 1);
            assertThat(last.getLevel()).isEqualTo(BudgetLevel.NORMAL);
            assertThat(last.getDailySpendUsd()).isEqualTo(Money.usd("0.030000000"));
            assertThat(last.getDailyOpenAttemptsUsd()).isEqualTo(Money.ZERO);
            assertThat(spend(ledger, Topics.GLOBAL_SCOPE).dayBudgetSpend()).isEqualTo(Money.usd("0.030000000"));
        }
    }

    @Test
    void attemptWhoseCostEventArrivedFirstIsNotCountedOpen() {
        try (LedgerDriver ledger = LedgerDriver.at(NOW)) {
            ledger.send(cost("r-1").usd("0.300000000").at("2026-11-22T10:00:20Z"));
            ledger.attemptStarted(cost("r-1").usd("2.000000000").at(STARTED));

            for (String scope : List.of("ci-agents", Topics.GLOBAL_SCOPE)) {
                assertThat(spend(ledger, scope).dayBudgetSpend()).as(scope).isEqualTo(Money.usd("0.300000000"));
                assertThat(spend(ledger, scope).dayOpenUsd()).as(scope).isEqualTo(Money.ZERO);
            }
        }
    }

    @Test
    void inDoubtSettlementReplacesTheOpenAttemptAndALaterRealCostDoesNotCountAgain() {
        try (LedgerDriver ledger = LedgerDriver.at(NOW)) {
            ledger.attemptStarted(cost("r-1").usd("2.000000000").at(STARTED));
            CostEvent settlement =
                    cost("r-1").usd("2.000000000").at("2026-11-22T10:20:00Z").build();
            settlement.setInDoubt(true);
            ledger.send(settlement);
            ledger.send(cost("r-1").usd("0.300000000").at("2026-11-22T10:21:00Z")); // the dead worker's, too late

            ScopeSpend spend = spend(ledger, "ci-agents");
            assertThat(spend.dayBudgetSpend()).isEqualTo(Money.usd("2.000000000"));
            assertThat(spend.dayOpenUsd()).isEqualTo(Money.ZERO);
            assertThat(spend.lifetimeEvents()).isEqualTo(1);
        }
    }

    @Test
    void redeliveredAttemptStartedIsCountedOnceAndSettledOnce() {
        try (LedgerDriver ledger = LedgerDriver.at(NOW)) {
            ledger.attemptStarted(cost("r-1").usd("2.000000000").at(STARTED));
            ledger.attemptStarted(cost("r-1").usd("2.000000000").at(STARTED));
            assertThat(spend(ledger, "ci-agents").dayBudgetSpend()).isEqualTo(Money.usd("2.000000000"));

            ledger.send(cost("r-1").usd("0.300000000").at("2026-11-22T10:00:20Z"));
            ledger.attemptStarted(cost("r-1").usd("2.000000000").at(STARTED)); // again, after its cost

            assertThat(spend(ledger, "ci-agents").dayBudgetSpend()).isEqualTo(Money.usd("0.300000000"));
            assertThat(spend(ledger, Topics.GLOBAL_SCOPE).dayBudgetSpend()).isEqualTo(Money.usd("0.300000000"));
        }
    }

    @Test
    void eachAttemptOfARequestIsOpenOnItsOwn() {
        try (LedgerDriver ledger = LedgerDriver.at(NOW)) {
            ledger.attemptStarted(cost("r-1").attempt(1).usd("2.000000000").at(STARTED));
            ledger.attemptStarted(cost("r-1").attempt(2).usd("3.000000000").at(STARTED));
            ledger.send(cost("r-1").attempt(1).usd("0.300000000").at("2026-11-22T10:00:20Z"));

            ScopeSpend spend = spend(ledger, "ci-agents");
            assertThat(spend.dayBudgetSpend()).isEqualTo(Money.usd("3.300000000"));
            assertThat(spend.dayOpenUsd()).isEqualTo(Money.usd("3.000000000"));
        }
    }

    @Test
    void openAttemptWithoutCostStopsCountingWhenItsPeriodRollsOverAndItsLateCostReplacesItInTheMonth() {
        try (LedgerDriver ledger = LedgerDriver.at(NOW)) {
            ledger.attemptStarted(cost("r-1").usd("2.000000000").at(STARTED));
            ledger.wallClockTo("2026-11-23T00:00:05Z");

            BudgetStatus nextDay = last(ledger.statuses(), "ci-agents");
            assertThat(nextDay.getDailySpendUsd()).isEqualTo(Money.ZERO);
            assertThat(nextDay.getMonthlySpendUsd()).isEqualTo(Money.usd("2.000000000"));
            assertThat(nextDay.getMonthlyOpenAttemptsUsd()).isEqualTo(Money.usd("2.000000000"));

            ledger.send(cost("r-1").usd("0.300000000").at("2026-11-23T00:00:01Z"));
            ScopeSpend spend = spend(ledger, "ci-agents");
            assertThat(spend.dayBudgetSpend()).isEqualTo(Money.usd("0.300000000"));
            assertThat(spend.monthBudgetSpend()).isEqualTo(Money.usd("0.300000000"));
            assertThat(spend.monthOpenUsd()).isEqualTo(Money.ZERO);
        }
    }

    @Test
    void attemptKeyedByAnotherIdGoesToTheDeadLetterTopicAndDoesNotCount() {
        try (LedgerDriver ledger = LedgerDriver.at(NOW)) {
            CostEvent worst = cost("r-1").usd("2.000000000").at(STARTED).build();
            ledger.attemptStarted(
                    "r-other",
                    AttemptStarted.newBuilder()
                            .setRequestId("r-1")
                            .setAttempt(1)
                            .setSourceTopic(Topics.Names.TIER_CLOUD)
                            .setSourcePartition(0)
                            .setSourceOffset(0L)
                            .setWorkerId("worker-1")
                            .setStartedAt(worst.getOccurredAt())
                            .setWorstCase(worst)
                            .build());

            var letters = ledger.attemptDeadLetters();
            assertThat(letters).hasSize(1);
            assertThat(new String(
                            letters.get(0)
                                    .headers()
                                    .lastHeader(DecodeOrReject.ERROR_FIELD)
                                    .value(),
                            StandardCharsets.UTF_8))
                    .isEqualTo("key");
            assertThat(ledger.stores().scopeSpend().get("ci-agents")).isNull();
        }
    }

    private static ScopeSpend spend(LedgerDriver ledger, String scope) {
        return ledger.stores().scopeSpend().get(scope);
    }

    private static BudgetStatus last(List<BudgetStatus> statuses, String scope) {
        BudgetStatus last = null;
        for (BudgetStatus status : statuses) {
            if (status.getScope().equals(scope)) {
                last = status;
            }
        }
        assertThat(last).as("a status of " + scope).isNotNull();
        return last;
    }
}
