package io.tiergate.ledger.api;

import static io.tiergate.ledger.support.CostEvents.cost;
import static io.tiergate.ledger.support.LedgerDriver.budgetOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.tuple;

import io.tiergate.ledger.LedgerSettings;
import io.tiergate.ledger.budget.BudgetAssessor;
import io.tiergate.ledger.support.LedgerDriver;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LedgerQueriesTest {

    private static final Instant NOW = Instant.parse("2026-11-22T20:00:00Z");

    private final AtomicLong clock = new AtomicLong(NOW.toEpochMilli());

    private LedgerQueries queries(LedgerDriver ledger) {
        return new LedgerQueries(
                ledger.stores(), new BudgetAssessor(new BigDecimal("3"), new BigDecimal("0.01")), clock::get);
    }

    @Test
    void spendOfTheRunningDayAndMonthAsExactDecimalStrings() {
        try (LedgerDriver ledger = new LedgerDriver(LedgerSettings.defaults(), NOW)) {
            ledger.budget(budgetOf("ci-agents", "20", "200"));
            ledger.send(cost("a").usd("12.3456789").at("2026-11-22T08:00:00Z"));
            ledger.send(cost("b")
                    .usd("0.000000001")
                    .tier(Tier.LOCAL)
                    .model("qwen3:8b")
                    .at("2026-11-22T08:00:00Z"));
            ledger.send(cost("c").usd("1").at("2026-11-02T08:00:00Z"));

            LedgerViews.Spend day = queries(ledger).spend("ci-agents", "day").orElseThrow();
            assertThat(day.spendUsd()).isEqualTo("12.345678900");
            assertThat(day.allTiersSpendUsd()).isEqualTo("12.345678901");
            assertThat(day.limitUsd()).isEqualTo("20.000000000");
            assertThat(day.periodStart()).isEqualTo("2026-11-22T00:00:00Z");
            assertThat(day.periodEnd()).isEqualTo("2026-11-23T00:00:00Z");
            assertThat(day.level()).isEqualTo("NORMAL");
            assertThat(day.timezone()).isEqualTo("UTC");

            LedgerViews.Spend month =
                    queries(ledger).spend("ci-agents", "month").orElseThrow();
            assertThat(month.spendUsd()).isEqualTo("13.345678900");
            assertThat(month.periodStart()).isEqualTo("2026-11-01T00:00:00Z");
            assertThat(month.periodEnd()).isEqualTo("2026-12-01T00:00:00Z");

            assertThat(queries(ledger).spend("nobody", "day")).isEmpty();
            assertThatThrownBy(() -> queries(ledger).spend("ci-agents", "week"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void spendRollsToTheNewDayOnReadEvenBeforeAnyStatus() {
        try (LedgerDriver ledger = new LedgerDriver(LedgerSettings.defaults(), NOW)) {
            ledger.send(cost("a").usd("5").at("2026-11-22T08:00:00Z"));
            clock.set(Instant.parse("2026-11-23T00:00:01Z").toEpochMilli());
            LedgerViews.Spend day = queries(ledger).spend("ci-agents", "day").orElseThrow();
            assertThat(day.spendUsd()).isEqualTo("0.000000000");
            assertThat(day.periodStart()).isEqualTo("2026-11-23T00:00:00Z");
        }
    }

    @Test
    void windowsOfAScopeAndKindInATimeRange() {
        try (LedgerDriver ledger = new LedgerDriver(LedgerSettings.defaults(), NOW)) {
            ledger.send(cost("a").usd("0.1").at("2026-11-22T10:15:00Z"));
            ledger.send(cost("b").usd("0.2").at("2026-11-22T11:15:00Z"));
            ledger.send(cost("c").usd("0.4").costCenter("ci-agents-2").at("2026-11-22T11:20:00Z"));

            List<LedgerViews.Window> hours =
                    queries(ledger).windows("ci-agents", "HOUR", "2026-11-22T10:00:00Z", "2026-11-22T11:00:00Z");
            assertThat(hours)
                    .extracting(LedgerViews.Window::windowStart, LedgerViews.Window::spendUsd)
                    .containsExactly(
                            tuple("2026-11-22T10:00:00Z", "0.100000000"), tuple("2026-11-22T11:00:00Z", "0.200000000"));
            assertThat(hours.get(0).windowEnd()).isEqualTo("2026-11-22T11:00:00Z");

            List<LedgerViews.Window> days = queries(ledger).windows("global", "DAY", "2026-11-22", null);
            assertThat(days).singleElement().satisfies(w -> {
                assertThat(w.spendUsd()).isEqualTo("0.700000000");
                assertThat(w.requestCount()).isEqualTo(3);
            });
            assertThat(queries(ledger).windows(null, "MONTH", null, null)).hasSize(3);
            assertThatThrownBy(() -> queries(ledger).windows("global", "WEEK", null, null))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> queries(ledger).windows("global", "DAY", "yesterday", null))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void totalsPerScopeAreExactAndTheGlobalOneIsTheTotal() {
        try (LedgerDriver ledger = new LedgerDriver(LedgerSettings.defaults(), NOW)) {
            ledger.send(cost("a").costCenter("support-bot").usd("0.000000001").at("2026-11-22T10:00:00Z"));
            ledger.send(cost("b").costCenter("docs-team").usd("123.456789012").at("2026-11-22T10:00:00Z"));
            ledger.send(cost("b").costCenter("docs-team").usd("123.456789012").at("2026-11-22T10:00:00Z"));

            LedgerViews.Totals totals = queries(ledger).totals();
            assertThat(totals.totalUsd()).isEqualTo("123.456789013");
            assertThat(totals.costEvents()).isEqualTo(2);
            assertThat(totals.scopes())
                    .extracting(LedgerViews.ScopeTotal::scope, LedgerViews.ScopeTotal::spendUsd)
                    .containsExactly(
                            tuple("docs-team", "123.456789012"),
                            tuple("global", "123.456789013"),
                            tuple("support-bot", "0.000000001"));
        }
    }

    @Test
    void reworkPerTaskTypeAndTier() {
        try (LedgerDriver ledger = new LedgerDriver(LedgerSettings.defaults(), NOW)) {
            ledger.send(cost("x")
                    .attempt(1)
                    .taskType(TaskType.EXTRACTION)
                    .tier(Tier.LOCAL)
                    .model("qwen3:8b")
                    .usd("0.001")
                    .at("2026-11-22T10:00:00Z"));
            ledger.send(cost("x")
                    .attempt(2)
                    .taskType(TaskType.EXTRACTION)
                    .tier(Tier.CLOUD)
                    .reason(CostReason.ESCALATION)
                    .usd("0.030")
                    .at("2026-11-22T10:00:01Z"));
            ledger.send(cost("y")
                    .attempt(1)
                    .taskType(TaskType.EXTRACTION)
                    .tier(Tier.CLOUD)
                    .usd("0.010")
                    .at("2026-11-22T10:00:02Z"));
            ledger.send(cost("z")
                    .attempt(2)
                    .taskType(TaskType.CODE_REVIEW)
                    .tier(Tier.CLOUD)
                    .reason(CostReason.RETRY)
                    .usd("0.005")
                    .at("2026-11-22T10:00:03Z"));
            ledger.send(cost("z")
                    .attempt(3)
                    .taskType(TaskType.CODE_REVIEW)
                    .tier(Tier.CLOUD)
                    .reason(CostReason.FALLBACK)
                    .model("openai/gpt")
                    .usd("0.002")
                    .at("2026-11-22T10:00:04Z"));

            LedgerViews.Rework rework = queries(ledger).rework(null, null, null);
            assertThat(rework.scope()).isEqualTo("global");
            assertThat(rework.rows())
                    .extracting(
                            LedgerViews.ReworkRow::taskType,
                            LedgerViews.ReworkRow::tier,
                            LedgerViews.ReworkRow::reworkSpendUsd)
                    .containsExactly(
                            tuple("EXTRACTION", "CLOUD", "0.030000000"),
                            tuple("CODE_REVIEW", "CLOUD", "0.007000000"),
                            tuple("EXTRACTION", "LOCAL", "0.000000000"));
            LedgerViews.ReworkRow extractionCloud = rework.rows().get(0);
            assertThat(extractionCloud.spendUsd()).isEqualTo("0.040000000");
            assertThat(extractionCloud.escalationSpendUsd()).isEqualTo("0.030000000");
            assertThat(extractionCloud.reworkShare()).isEqualTo(0.75);
            LedgerViews.ReworkRow review = rework.rows().get(1);
            assertThat(review.retrySpendUsd()).isEqualTo("0.005000000");
            assertThat(review.fallbackSpendUsd()).isEqualTo("0.002000000");
            assertThat(review.reworkShare()).isEqualTo(1.0);

            LedgerViews.Rework fromDays = queries(ledger).rework("ci-agents", "2026-11-22", "2026-11-22");
            assertThat(fromDays.rows()).hasSize(3);
            assertThat(fromDays.rows().get(0).reworkSpendUsd()).isEqualTo("0.030000000");
        }
    }

    /** docs/calibration.md, "Shadow traffic": a shadow call and its judge, billed to the shadow scope. */
    @Test
    void shadowAndJudgeSpendShowsAsCalibrationNextToReworkNotInIt() {
        try (LedgerDriver ledger = new LedgerDriver(LedgerSettings.defaults(), NOW)) {
            // r: served locally, its shadow on the reference model and an LLM judge of the two
            ledger.send(cost("r")
                    .attempt(1)
                    .costCenter("team-a")
                    .taskType(TaskType.EXTRACTION)
                    .tier(Tier.LOCAL)
                    .model("qwen3:8b")
                    .usd("0.000431505")
                    .at("2026-11-22T10:00:00Z"));
            ledger.send(cost("r")
                    .attempt(2)
                    .costCenter("shadow")
                    .taskType(TaskType.EXTRACTION)
                    .tier(Tier.CLOUD)
                    .model("anthropic/claude-sonnet-4.6")
                    .reason(CostReason.SHADOW)
                    .usd("0.008")
                    .at("2026-11-22T10:00:01Z"));
            ledger.send(cost("r")
                    .attempt(3)
                    .costCenter("shadow")
                    .taskType(TaskType.EXTRACTION)
                    .tier(Tier.CLOUD)
                    .model("deepseek/deepseek-chat")
                    .reason(CostReason.JUDGE)
                    .usd("0.0005")
                    .at("2026-11-22T10:00:02Z"));
            // s: a cloud extraction retried once: rework in the caller's cost center
            ledger.send(cost("s")
                    .attempt(1)
                    .costCenter("team-a")
                    .taskType(TaskType.EXTRACTION)
                    .tier(Tier.CLOUD)
                    .usd("0.010")
                    .at("2026-11-22T10:00:03Z"));
            ledger.send(cost("s")
                    .attempt(2)
                    .costCenter("team-a")
                    .taskType(TaskType.EXTRACTION)
                    .tier(Tier.CLOUD)
                    .reason(CostReason.RETRY)
                    .usd("0.010")
                    .at("2026-11-22T10:00:04Z"));

            LedgerViews.Rework global = queries(ledger).rework(null, null, null);
            assertThat(global.rows())
                    .extracting(
                            LedgerViews.ReworkRow::taskType,
                            LedgerViews.ReworkRow::tier,
                            LedgerViews.ReworkRow::spendUsd,
                            LedgerViews.ReworkRow::reworkSpendUsd,
                            LedgerViews.ReworkRow::calibrationSpendUsd)
                    .containsExactly(
                            tuple("EXTRACTION", "CLOUD", "0.028500000", "0.010000000", "0.008500000"),
                            tuple("EXTRACTION", "LOCAL", "0.000431505", "0.000000000", "0.000000000"));
            assertThat(global.rows().get(0).retrySpendUsd()).isEqualTo("0.010000000");
            assertThat(global.rows().get(0).reworkShare())
                    .as("rework over all spend, calibration included in the spend")
                    .isEqualTo(0.010 / 0.0285, offset(1e-12));

            LedgerViews.Rework shadow = queries(ledger).rework("shadow", null, null);
            assertThat(shadow.rows())
                    .extracting(
                            LedgerViews.ReworkRow::spendUsd,
                            LedgerViews.ReworkRow::reworkSpendUsd,
                            LedgerViews.ReworkRow::calibrationSpendUsd,
                            LedgerViews.ReworkRow::reworkShare,
                            LedgerViews.ReworkRow::requestCount)
                    .containsExactly(tuple("0.008500000", "0.000000000", "0.008500000", 0.0, 2L));
            assertThat(queries(ledger)
                            .rework("shadow", "2026-11-22", "2026-11-22")
                            .rows())
                    .as("over the daily windows")
                    .extracting(LedgerViews.ReworkRow::calibrationSpendUsd)
                    .containsExactly("0.008500000");
            assertThat(queries(ledger).rework("team-a", null, null).rows())
                    .extracting(LedgerViews.ReworkRow::calibrationSpendUsd)
                    .containsOnly("0.000000000");
        }
    }

    @Test
    void statusesOfAllScopes() {
        try (LedgerDriver ledger = new LedgerDriver(LedgerSettings.defaults(), NOW)) {
            ledger.budget(budgetOf("ci-agents", "1", null));
            ledger.send(cost("a").usd("2").at("2026-11-22T08:00:00Z"));
            List<LedgerViews.Status> statuses = queries(ledger).statuses();
            assertThat(statuses)
                    .extracting(LedgerViews.Status::scope, LedgerViews.Status::level)
                    .containsExactly(tuple("ci-agents", "EXHAUSTED"), tuple("global", "NORMAL"));
            assertThat(statuses.get(0).dailySpendUsd()).isEqualTo("2.000000000");
            assertThat(statuses.get(0).dailyLimitUsd()).isEqualTo("1.000000000");
            assertThat(statuses.get(0).onExhausted()).isEqualTo("DEFER");
        }
    }
}
