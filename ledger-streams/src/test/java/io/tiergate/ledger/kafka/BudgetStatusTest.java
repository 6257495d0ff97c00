package io.tiergate.ledger.kafka;

import static io.tiergate.ledger.support.CostEvents.cost;
import static io.tiergate.ledger.support.LedgerDriver.budgetOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tiergate.ledger.LedgerSettings;
import io.tiergate.ledger.metrics.MicrometerLedgerMetrics;
import io.tiergate.ledger.support.LedgerDriver;
import io.tiergate.schemas.events.BudgetConfig;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BudgetStatusTest {

    private static final String SCOPE = "ci-agents";

    private static LedgerDriver ledger(String wallClock) {
        return new LedgerDriver(LedgerSettings.defaults(), Instant.parse(wallClock));
    }

    @Test
    void budgetChangeIsPublishedAtOnce() {
        try (LedgerDriver ledger = ledger("2026-11-22T10:00:00Z")) {
            ledger.budget(budgetOf(SCOPE, "10", "100"));

            BudgetStatus status = only(ledger.statuses());
            assertThat(status.getScope()).isEqualTo(SCOPE);
            assertThat(status.getLevel()).isEqualTo(BudgetLevel.NORMAL);
            assertThat(status.getOnExhausted()).isEqualTo(OnExhausted.DEFER);
            assertThat(status.getDailyLimitUsd()).isEqualTo(Money.usd("10"));
            assertThat(status.getMonthlyLimitUsd()).isEqualTo(Money.usd("100"));
            assertThat(status.getDailySpendUsd()).isEqualTo(Money.ZERO);
            assertThat(status.getPeriodDayStart()).isEqualTo(Instant.parse("2026-11-22T00:00:00Z"));
            assertThat(status.getPeriodMonthStart()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
            assertThat(status.getForecastExhaustionAt()).isNull();
        }
    }

    @Test
    void eachLevelIsReachedAtItsExactBoundaryAndPublishedAtOnce() {
        // spend happens hours before "now", so the last hour's burn rate is zero and no forecast interferes
        try (LedgerDriver ledger = ledger("2026-11-22T20:00:00Z")) {
            ledger.budget(budgetOf(SCOPE, "10", "1000"));
            ledger.statuses();

            ledger.send(cost("a").usd("7.999999999").at("2026-11-22T08:00:00Z"));
            assertThat(of(ledger.statuses(), SCOPE))
                    .as("no level change, nothing published before the interval")
                    .isEmpty();

            ledger.send(cost("b").usd("0.000000001").at("2026-11-22T08:01:00Z"));
            BudgetStatus conserve = only(of(ledger.statuses(), SCOPE));
            assertThat(conserve.getLevel()).isEqualTo(BudgetLevel.CONSERVE);
            assertThat(conserve.getDailySpendUsd()).isEqualTo(Money.usd("8"));
            assertThat(conserve.getUtilization()).isEqualTo(0.8);

            ledger.send(cost("c").usd("1.499999999").at("2026-11-22T08:02:00Z"));
            assertThat(ledger.statuses()).isEmpty();
            ledger.send(cost("d").usd("0.000000001").at("2026-11-22T08:03:00Z"));
            assertThat(only(ledger.statuses()).getLevel()).isEqualTo(BudgetLevel.CRITICAL_ONLY);

            ledger.send(cost("e").usd("0.499999999").at("2026-11-22T08:04:00Z"));
            assertThat(ledger.statuses()).isEmpty();
            ledger.send(cost("f").usd("0.000000001").at("2026-11-22T08:05:00Z"));
            BudgetStatus exhausted = only(ledger.statuses());
            assertThat(exhausted.getLevel()).isEqualTo(BudgetLevel.EXHAUSTED);
            assertThat(exhausted.getDailySpendUsd()).isEqualTo(Money.usd("10"));
            assertThat(exhausted.getUtilization()).isEqualTo(1.0);
            assertThat(ledger.lifetimeSpend(SCOPE)).isEqualTo(Money.usd("10"));
        }
    }

    @Test
    void monthlyLimitAloneSetsTheLevel() {
        try (LedgerDriver ledger = ledger("2026-11-22T20:00:00Z")) {
            ledger.budget(budgetOf(SCOPE, null, "100"));
            ledger.send(cost("a").usd("95").at("2026-11-10T08:00:00Z"));
            BudgetStatus status = last(ledger.statuses(), SCOPE);
            assertThat(status.getLevel()).isEqualTo(BudgetLevel.CRITICAL_ONLY);
            assertThat(status.getMonthlySpendUsd()).isEqualTo(Money.usd("95"));
            assertThat(status.getDailySpendUsd()).as("not today's").isEqualTo(Money.ZERO);
            assertThat(status.getDailyLimitUsd()).isNull();
        }
    }

    @Test
    void raisingTheBudgetDropsTheLevelAtOnce() {
        try (LedgerDriver ledger = ledger("2026-11-22T20:00:00Z")) {
            ledger.budget(budgetOf(SCOPE, "10", null));
            ledger.send(cost("a").usd("10").at("2026-11-22T08:00:00Z"));
            assertThat(last(ledger.statuses(), SCOPE).getLevel()).isEqualTo(BudgetLevel.EXHAUSTED);

            ledger.budget(budgetOf(SCOPE, "20", null));
            BudgetStatus raised = only(ledger.statuses());
            assertThat(raised.getLevel()).isEqualTo(BudgetLevel.NORMAL);
            assertThat(raised.getDailySpendUsd()).isEqualTo(Money.usd("10"));
            assertThat(raised.getDailyLimitUsd()).isEqualTo(Money.usd("20"));
            assertThat(raised.getUtilization()).isEqualTo(0.5);
        }
    }

    @Test
    void tombstoneRemovesTheBudgetAndPublishesAnUnlimitedStatus() {
        try (LedgerDriver ledger = ledger("2026-11-22T20:00:00Z")) {
            ledger.budget(budgetOf(SCOPE, "10", null));
            ledger.send(cost("a").usd("10").at("2026-11-22T08:00:00Z"));
            ledger.statuses();

            ledger.removeBudget(SCOPE);
            BudgetStatus removed = only(ledger.statuses());
            assertThat(removed.getLevel()).isEqualTo(BudgetLevel.NORMAL);
            assertThat(removed.getDailyLimitUsd()).isNull();
            assertThat(removed.getMonthlyLimitUsd()).isNull();
            assertThat(removed.getDailySpendUsd()).as("spend is still reported").isEqualTo(Money.usd("10"));
            assertThat(ledger.stores().budgets().get(SCOPE)).isNull();
        }
    }

    @Test
    void statusIsRepublishedEveryIntervalWhileSpendChangesAndAsAHeartbeatOtherwise() {
        try (LedgerDriver ledger = new LedgerDriver(
                LedgerSettings.defaults()
                        .withStatusInterval(Duration.ofSeconds(5))
                        .withHeartbeatInterval(Duration.ofSeconds(30)),
                Instant.parse("2026-11-22T20:00:00Z"))) {
            ledger.budget(budgetOf(SCOPE, "100", null));
            ledger.statuses();

            ledger.send(cost("a").usd("1").at("2026-11-22T08:00:00Z"));
            ledger.send(cost("b").usd("2").at("2026-11-22T08:00:01Z"));
            assertThat(of(ledger.statuses(), SCOPE))
                    .as("the global scope's first status only")
                    .isEmpty();

            ledger.advanceWallClock(Duration.ofSeconds(5));
            List<BudgetStatus> due = ledger.statuses();
            assertThat(due).extracting(BudgetStatus::getScope).containsExactlyInAnyOrder(SCOPE, Topics.GLOBAL_SCOPE);
            assertThat(last(due, SCOPE).getDailySpendUsd()).isEqualTo(Money.usd("3"));

            // the progress marker of a and b may reach the budget task after this round's status: then
            // the next round republishes the budget with the offsets, and nothing else changes
            ledger.advanceWallClock(Duration.ofSeconds(5));
            assertThat(ledger.statuses())
                    .allSatisfy(s -> assertThat(s.getScope()).isEqualTo(SCOPE))
                    .allSatisfy(s -> assertThat(s.getDailySpendUsd()).isEqualTo(Money.usd("3")));

            ledger.wallClockTo("2026-11-22T20:00:30Z");
            assertThat(ledger.statuses())
                    .as("spend did not change and the heartbeat (30 s) is not due")
                    .isEmpty();

            ledger.wallClockTo("2026-11-22T20:00:40Z");
            BudgetStatus heartbeat = only(ledger.statuses());
            assertThat(heartbeat.getScope())
                    .as("only scopes with a budget get heartbeats")
                    .isEqualTo(SCOPE);
            assertThat(heartbeat.getDailySpendUsd()).isEqualTo(Money.usd("3"));
            assertThat(heartbeat.getCountedCostOffsets()).containsExactly(Map.entry("0", 2L));
            assertThat(heartbeat.getUpdatedAt()).isAfterOrEqualTo(Instant.parse("2026-11-22T20:00:35Z"));

            ledger.send(cost("c").usd("0.5").at("2026-11-22T08:00:02Z"));
            ledger.advanceWallClock(Duration.ofSeconds(5));
            assertThat(last(ledger.statuses(), SCOPE).getDailySpendUsd()).isEqualTo(Money.usd("3.5"));
        }
    }

    @Test
    void statusCarriesTheCostOffsetsItIncludesPastRedeliveriesAndDeadLetters() {
        try (LedgerDriver ledger = ledger("2026-11-22T20:00:00Z")) {
            ledger.budget(budgetOf(SCOPE, "100", null));
            ledger.send(cost("a").usd("1").at("2026-11-22T08:00:00Z")); // offset 0
            ledger.send(cost("a").usd("1").at("2026-11-22T08:00:00Z")); // 1: a redelivery
            ledger.send(cost("").usd("1").at("2026-11-22T08:00:00Z")); // 2: dead-lettered (empty request id)
            assertThat(ledger.costDeadLetters()).hasSize(1);
            ledger.statuses();

            ledger.advanceWallClock(Duration.ofSeconds(5));
            ledger.advanceWallClock(Duration.ofSeconds(5));
            BudgetStatus status = last(ledger.statuses(), SCOPE);
            assertThat(status.getCountedCostOffsets())
                    .as("everything below offset 3 of partition 0 is in this status")
                    .containsExactly(Map.entry("0", 3L));
            assertThat(status.getDailySpendUsd()).isEqualTo(Money.usd("1"));

            ledger.send(cost("b").usd("2").at("2026-11-22T08:00:01Z")); // offset 3
            ledger.advanceWallClock(Duration.ofSeconds(5));
            ledger.advanceWallClock(Duration.ofSeconds(5));
            BudgetStatus next = last(ledger.statuses(), SCOPE);
            assertThat(next.getCountedCostOffsets()).containsExactly(Map.entry("0", 4L));
            assertThat(next.getDailySpendUsd()).isEqualTo(Money.usd("3"));
        }
    }

    @Test
    void burnRateForecastMovesToConserveBeforeTheThreshold() {
        try (LedgerDriver ledger = ledger("2026-11-22T10:00:00Z")) {
            ledger.budget(budgetOf(SCOPE, "10", null));
            ledger.send(cost("a").usd("4").at("2026-11-22T09:30:00Z")); // 4 USD in the last hour: 4 USD/h

            BudgetStatus status = last(ledger.statuses(), SCOPE);
            assertThat(status.getUtilization()).isEqualTo(0.4);
            assertThat(status.getBurnRateUsdPerHour()).isEqualTo(Money.usd("4"));
            // 6 USD left at 4 USD/h: 1.5 h from now, before the day ends
            assertThat(status.getForecastExhaustionAt()).isEqualTo(Instant.parse("2026-11-22T11:30:00Z"));
            assertThat(status.getLevel()).isEqualTo(BudgetLevel.CONSERVE);
        }
    }

    @Test
    void forecastBeyondThePeriodEndIsNoForecast() {
        try (LedgerDriver ledger = ledger("2026-11-22T10:00:00Z")) {
            ledger.budget(budgetOf(SCOPE, "10", null));
            ledger.send(
                    cost("a").usd("0.5").at("2026-11-22T09:30:00Z")); // 9.5 USD left at 0.5 USD/h: 19 h, after midnight
            ledger.advanceWallClock(Duration.ofSeconds(5));

            BudgetStatus status = last(ledger.statuses(), SCOPE);
            assertThat(status.getBurnRateUsdPerHour()).isEqualTo(Money.usd("0.5"));
            assertThat(status.getForecastExhaustionAt()).isNull();
            assertThat(status.getLevel()).isEqualTo(BudgetLevel.NORMAL);
        }
    }

    @Test
    void burnRateForgetsSpendOlderThanAnHour() {
        try (LedgerDriver ledger = ledger("2026-11-22T10:00:00Z")) {
            ledger.budget(budgetOf(SCOPE, "10", null));
            ledger.send(cost("a").usd("4").at("2026-11-22T09:30:00Z"));
            assertThat(last(ledger.statuses(), SCOPE).getLevel()).isEqualTo(BudgetLevel.CONSERVE);

            ledger.advanceWallClock(Duration.ofMinutes(31)); // 09:30 is now more than an hour ago
            BudgetStatus calm = last(ledger.statuses(), SCOPE);
            assertThat(calm.getBurnRateUsdPerHour()).isEqualTo(Money.ZERO);
            assertThat(calm.getForecastExhaustionAt()).isNull();
            assertThat(calm.getLevel())
                    .as("published because the level changed with time alone")
                    .isEqualTo(BudgetLevel.NORMAL);
        }
    }

    @Test
    void dailyBudgetRollsOverAtMidnightUtcWithoutWaitingForACostEvent() {
        try (LedgerDriver ledger = ledger("2026-11-22T23:00:00Z")) {
            ledger.budget(budgetOf(SCOPE, "10", "1000"));
            ledger.send(cost("a").usd("10").at("2026-11-22T21:00:00Z"));
            assertThat(last(ledger.statuses(), SCOPE).getLevel()).isEqualTo(BudgetLevel.EXHAUSTED);

            ledger.wallClockTo("2026-11-23T00:00:05Z");
            BudgetStatus nextDay = last(ledger.statuses(), SCOPE);
            assertThat(nextDay.getPeriodDayStart()).isEqualTo(Instant.parse("2026-11-23T00:00:00Z"));
            assertThat(nextDay.getDailySpendUsd()).isEqualTo(Money.ZERO);
            assertThat(nextDay.getMonthlySpendUsd()).isEqualTo(Money.usd("10"));
            assertThat(nextDay.getLevel()).isEqualTo(BudgetLevel.NORMAL);

            ledger.send(cost("b").usd("1").at("2026-11-23T00:01:00Z"));
            ledger.advanceWallClock(Duration.ofSeconds(5));
            BudgetStatus withSpend = last(ledger.statuses(), SCOPE);
            assertThat(withSpend.getDailySpendUsd())
                    .as("the new day starts from zero")
                    .isEqualTo(Money.usd("1"));
            assertThat(withSpend.getMonthlySpendUsd()).isEqualTo(Money.usd("11"));
        }
    }

    @Test
    void costEventOfTheNewDayRollsThePeriodToo() {
        try (LedgerDriver ledger = ledger("2026-11-22T23:59:00Z")) {
            ledger.budget(budgetOf(SCOPE, "10", null));
            ledger.send(cost("a").usd("9").at("2026-11-22T23:00:00Z"));
            ledger.statuses();
            // a worker's clock runs slightly ahead of the ledger's: its event dates the new day
            ledger.send(cost("b").usd("2").at("2026-11-23T00:00:30Z"));
            BudgetStatus status = last(ledger.statuses(), SCOPE);
            assertThat(status.getPeriodDayStart()).isEqualTo(Instant.parse("2026-11-23T00:00:00Z"));
            assertThat(status.getDailySpendUsd()).isEqualTo(Money.usd("2"));
        }
    }

    @Test
    void lateEventOfAnEarlierDayDoesNotCountInTheNewDay() {
        try (LedgerDriver ledger = ledger("2026-11-23T00:10:00Z")) {
            ledger.budget(budgetOf(SCOPE, "10", "100"));
            ledger.send(cost("yesterday").usd("3").at("2026-11-22T23:59:00Z"));
            ledger.advanceWallClock(Duration.ofSeconds(5));
            BudgetStatus status = last(ledger.statuses(), SCOPE);
            assertThat(status.getDailySpendUsd()).isEqualTo(Money.ZERO);
            assertThat(status.getMonthlySpendUsd()).isEqualTo(Money.usd("3"));
            assertThat(ledger.lifetimeSpend(SCOPE)).isEqualTo(Money.usd("3"));
        }
    }

    @Test
    void monthlyBudgetStartsFromZeroOnTheFirst() {
        try (LedgerDriver ledger = ledger("2026-12-01T00:30:00Z")) {
            ledger.budget(budgetOf(SCOPE, null, "100"));
            ledger.send(cost("november").usd("60").at("2026-11-30T23:00:00Z"));
            ledger.send(cost("december").usd("5").at("2026-12-01T00:10:00Z"));
            ledger.advanceWallClock(Duration.ofSeconds(5));
            BudgetStatus status = last(ledger.statuses(), SCOPE);
            assertThat(status.getPeriodMonthStart()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
            assertThat(status.getMonthlySpendUsd()).isEqualTo(Money.usd("5"));
            assertThat(ledger.lifetimeSpend(SCOPE)).isEqualTo(Money.usd("65"));
        }
    }

    @Test
    void periodsFollowTheBudgetsTimezone() {
        try (LedgerDriver ledger = ledger("2026-11-22T23:30:00Z")) {
            BudgetConfig berlin = BudgetConfig.newBuilder(budgetOf(SCOPE, "10", "100"))
                    .setTimezone("Europe/Berlin")
                    .build();
            ledger.budget(berlin);
            // 23:30Z is 00:30 on 23 November in Berlin: the Berlin day started at 23:00Z
            BudgetStatus status = last(ledger.statuses(), SCOPE);
            assertThat(status.getPeriodDayStart()).isEqualTo(Instant.parse("2026-11-22T23:00:00Z"));
            assertThat(status.getPeriodMonthStart()).isEqualTo(Instant.parse("2026-10-31T23:00:00Z"));

            ledger.send(cost("before-berlin-midnight").usd("4").at("2026-11-22T22:59:59Z"));
            ledger.send(cost("after-berlin-midnight").usd("1").at("2026-11-22T23:00:00Z"));
            ledger.advanceWallClock(Duration.ofSeconds(5));
            BudgetStatus after = last(ledger.statuses(), SCOPE);
            assertThat(after.getDailySpendUsd()).isEqualTo(Money.usd("1"));
            assertThat(after.getMonthlySpendUsd()).isEqualTo(Money.usd("5"));
        }
    }

    @Test
    void localSpendDoesNotCountAgainstBudgetsUnlessConfigured() {
        try (LedgerDriver ledger = ledger("2026-11-22T20:00:00Z")) {
            ledger.budget(budgetOf(SCOPE, "1", null));
            ledger.send(
                    cost("local").tier(Tier.LOCAL).model("qwen3:8b").usd("5").at("2026-11-22T08:00:00Z"));
            ledger.advanceWallClock(Duration.ofSeconds(5));
            BudgetStatus status = last(ledger.statuses(), SCOPE);
            assertThat(status.getDailySpendUsd()).isEqualTo(Money.ZERO);
            assertThat(status.getLevel()).isEqualTo(BudgetLevel.NORMAL);
            assertThat(ledger.lifetimeSpend(SCOPE))
                    .as("but it is in the totals")
                    .isEqualTo(Money.usd("5"));
        }
        try (LedgerDriver ledger = new LedgerDriver(
                LedgerSettings.defaults().withBudgetIncludesLocalSpend(true), Instant.parse("2026-11-22T20:00:00Z"))) {
            ledger.budget(budgetOf(SCOPE, "1", null));
            ledger.send(
                    cost("local").tier(Tier.LOCAL).model("qwen3:8b").usd("5").at("2026-11-22T08:00:00Z"));
            assertThat(last(ledger.statuses(), SCOPE).getLevel()).isEqualTo(BudgetLevel.EXHAUSTED);
        }
    }

    @Test
    void globalBudgetCountsEveryCostCenter() {
        try (LedgerDriver ledger = ledger("2026-11-22T20:00:00Z")) {
            ledger.budget(budgetOf(Topics.GLOBAL_SCOPE, "10", null));
            ledger.send(cost("a").costCenter("support-bot").usd("6").at("2026-11-22T08:00:00Z"));
            ledger.send(cost("b").costCenter("docs-team").usd("4").at("2026-11-22T08:00:00Z"));
            BudgetStatus global = last(ledger.statuses(), Topics.GLOBAL_SCOPE);
            assertThat(global.getLevel()).isEqualTo(BudgetLevel.EXHAUSTED);
            assertThat(global.getDailySpendUsd()).isEqualTo(Money.usd("10"));
        }
    }

    @Test
    void anomalyWhenTheLastHourExceedsThreeTimesTheTrailingHourlyAverage() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (LedgerDriver ledger = new LedgerDriver(
                LedgerSettings.defaults(),
                Instant.parse("2026-11-22T12:30:00Z"),
                new MicrometerLedgerMetrics(meters))) {
            // history: 1 USD at 10 past every hour from 21 Nov 10:10 to 22 Nov 11:10. The trailing window
            // is [21 Nov 11:00, 22 Nov 11:00): 24 hours, 24 USD, an average of 1 USD per hour.
            Instant first = Instant.parse("2026-11-21T10:10:00Z");
            for (int hour = 0; hour <= 25; hour++) {
                ledger.send(cost("h" + hour).usd("1").at(first.plus(Duration.ofHours(hour))));
            }
            ledger.send(cost("burst-1").usd("3").at("2026-11-22T12:00:00Z")); // last hour: exactly 3 × average
            ledger.advanceWallClock(Duration.ofSeconds(5));
            assertThat(last(ledger.statuses(), SCOPE).getAnomaly()).isFalse();

            ledger.send(cost("burst-2").usd("0.000000001").at("2026-11-22T12:01:00Z")); // now above 3 ×
            BudgetStatus flagged = last(ledger.statuses(), SCOPE);
            assertThat(flagged.getAnomaly()).as("published at once").isTrue();
            assertThat(flagged.getBurnRateUsdPerHour()).isEqualTo(Money.usd("3.000000001"));
            assertThat(meters.get("tiergate.ledger.anomaly")
                            .tag("scope", SCOPE)
                            .gauge()
                            .value())
                    .isEqualTo(1.0);
            assertThat(meters.get("tiergate.ledger.anomaly.raised")
                            .tag("scope", SCOPE)
                            .counter()
                            .count())
                    .isEqualTo(1.0);

            ledger.advanceWallClock(Duration.ofMinutes(62)); // the burst leaves the last hour
            assertThat(last(ledger.statuses(), SCOPE).getAnomaly()).isFalse();
            assertThat(meters.get("tiergate.ledger.anomaly")
                            .tag("scope", SCOPE)
                            .gauge()
                            .value())
                    .isEqualTo(0.0);
        }
    }

    @Test
    void noAnomalyWithoutAFullDayOfHistory() {
        try (LedgerDriver ledger = ledger("2026-11-22T12:30:00Z")) {
            ledger.send(cost("first-ever").usd("50").at("2026-11-22T12:00:00Z"));
            assertThat(last(ledger.statuses(), SCOPE).getAnomaly()).isFalse();
        }
    }

    private static List<BudgetStatus> of(List<BudgetStatus> statuses, String scope) {
        return statuses.stream().filter(s -> s.getScope().equals(scope)).toList();
    }

    private static BudgetStatus only(List<BudgetStatus> statuses) {
        assertThat(statuses).hasSize(1);
        return statuses.get(0);
    }

    private static BudgetStatus last(List<BudgetStatus> statuses, String scope) {
        List<BudgetStatus> ofScope =
                statuses.stream().filter(s -> s.getScope().equals(scope)).toList();
        assertThat(ofScope).as("statuses published for " + scope).isNotEmpty();
        return ofScope.get(ofScope.size() - 1);
    }
}
