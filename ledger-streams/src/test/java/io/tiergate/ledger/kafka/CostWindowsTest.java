package io.tiergate.ledger.kafka;

import static io.tiergate.ledger.support.CostEvents.cost;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.ledger.LedgerSettings;
import io.tiergate.ledger.support.LedgerDriver;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.CostWindow;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.events.WindowKind;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.topics.Topics;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

class CostWindowsTest {

    private static final String MODEL = "anthropic/claude-sonnet-4.6";
    private static final String DIMS = "ci-agents|CODE_REVIEW|CLOUD|" + MODEL;

    private static LedgerDriver ledger(String wallClock) {
        return new LedgerDriver(
                LedgerSettings.defaults().withWindowGrace(Duration.ofMinutes(5)), Instant.parse(wallClock));
    }

    @Test
    void hourBoundarySplitsWindowsAndKeysNameEveryDimension() {
        try (LedgerDriver ledger = ledger("2026-11-22T12:00:00Z")) {
            ledger.send(cost("a").usd("0.100000000").at("2026-11-22T10:59:59.999Z"));
            ledger.send(cost("b").usd("0.200000000").at("2026-11-22T11:00:00.000Z"));

            Map<String, CostWindow> latest = latest(ledger.windowRecords());
            assertThat(latest.get(DIMS + "|HOUR|2026-11-22T10:00:00Z").getSpendUsd())
                    .isEqualTo(Money.usd("0.1"));
            assertThat(latest.get(DIMS + "|HOUR|2026-11-22T11:00:00Z").getSpendUsd())
                    .isEqualTo(Money.usd("0.2"));
            assertThat(latest.get(DIMS + "|DAY|2026-11-22T00:00:00Z").getSpendUsd())
                    .isEqualTo(Money.usd("0.3"));
            assertThat(latest.get(DIMS + "|MONTH|2026-11-01T00:00:00Z").getSpendUsd())
                    .isEqualTo(Money.usd("0.3"));
            CostWindow hour = latest.get(DIMS + "|HOUR|2026-11-22T10:00:00Z");
            assertThat(hour.getWindowStart()).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
            assertThat(hour.getWindowEnd()).isEqualTo(Instant.parse("2026-11-22T11:00:00Z"));
            assertThat(hour.getClosed()).isFalse();
            // the global scope has the same windows
            assertThat(latest.get("global|CODE_REVIEW|CLOUD|" + MODEL + "|DAY|2026-11-22T00:00:00Z")
                            .getSpendUsd())
                    .isEqualTo(Money.usd("0.3"));
            assertExact(ledger, latest, Money.usd("0.3"));
        }
    }

    @Test
    void dayWindowsAreUtcDays() {
        try (LedgerDriver ledger = ledger("2026-11-23T02:00:00Z")) {
            ledger.send(cost("a").usd("1").at("2026-11-22T23:59:59.999Z"));
            ledger.send(cost("b").usd("2").at("2026-11-23T00:00:00Z"));

            Map<String, CostWindow> latest = latest(ledger.windowRecords());
            assertThat(latest.get(DIMS + "|DAY|2026-11-22T00:00:00Z").getSpendUsd())
                    .isEqualTo(Money.usd("1"));
            assertThat(latest.get(DIMS + "|DAY|2026-11-23T00:00:00Z").getSpendUsd())
                    .isEqualTo(Money.usd("2"));
            assertThat(latest.get(DIMS + "|DAY|2026-11-23T00:00:00Z").getWindowEnd())
                    .isEqualTo(Instant.parse("2026-11-24T00:00:00Z"));
            assertExact(ledger, latest, Money.usd("3"));
        }
    }

    @Test
    void lateEventWithinGraceStillUpdatesItsWindow() {
        try (LedgerDriver ledger = ledger("2026-11-22T12:00:00Z")) {
            ledger.send(cost("a").usd("0.1").at("2026-11-22T10:30:00Z"));
            ledger.send(cost("b").usd("0.2").at("2026-11-22T11:04:59.999Z")); // stream time: grace not over
            ledger.send(cost("late").usd("0.4").at("2026-11-22T10:45:00Z"));

            Map<String, CostWindow> latest = latest(ledger.windowRecords());
            CostWindow tenOClock = latest.get(DIMS + "|HOUR|2026-11-22T10:00:00Z");
            assertThat(tenOClock.getSpendUsd()).isEqualTo(Money.usd("0.5"));
            assertThat(tenOClock.getRequestCount()).isEqualTo(2);
            assertExact(ledger, latest, Money.usd("0.7"));
        }
    }

    @Test
    void eventAfterGraceIsLeftOutOfItsClosedWindowButStillCounts() {
        try (LedgerDriver ledger = ledger("2026-11-22T12:00:00Z")) {
            ledger.send(cost("a").usd("0.1").at("2026-11-22T10:30:00Z"));
            ledger.send(cost("b").usd("0.2").at("2026-11-22T11:05:00Z")); // closes 10:00-11:00 (end + 5 min)
            ledger.send(cost("late").usd("0.4").at("2026-11-22T10:45:00Z"));

            Map<String, CostWindow> latest = latest(ledger.windowRecords());
            assertThat(latest.get(DIMS + "|HOUR|2026-11-22T10:00:00Z").getSpendUsd())
                    .isEqualTo(Money.usd("0.1"));
            // the day is still open: it has everything
            assertThat(latest.get(DIMS + "|DAY|2026-11-22T00:00:00Z").getSpendUsd())
                    .isEqualTo(Money.usd("0.7"));
            assertThat(ledger.lifetimeSpend("ci-agents")).isEqualTo(Money.usd("0.7"));
            assertExact(ledger, latest, Money.usd("0.7"));
        }
    }

    @Test
    void windowIsPublishedClosedOnceStreamTimePassesEndPlusGrace() {
        try (LedgerDriver ledger = ledger("2026-11-22T12:00:00Z")) {
            ledger.send(cost("a").usd("0.1").at("2026-11-22T10:30:00Z"));
            ledger.send(cost("b").usd("0.2").at("2026-11-22T11:04:59.999Z"));
            assertThat(closed(ledger.windowRecords(), WindowKind.HOUR)).isEmpty();

            ledger.send(cost("c").usd("0.3").at("2026-11-22T11:05:00Z"));
            List<CostWindow> closed = closed(ledger.windowRecords(), WindowKind.HOUR);
            assertThat(closed)
                    .extracting(w -> w.getScope() + "@" + w.getWindowStart())
                    .containsExactlyInAnyOrder("ci-agents@2026-11-22T10:00:00Z", "global@2026-11-22T10:00:00Z");
            assertThat(closed).allSatisfy(w -> {
                assertThat(w.getSpendUsd()).isEqualTo(Money.usd("0.1"));
                assertThat(w.getClosed()).isTrue();
            });

            ledger.send(cost("d").usd("0.4").at("2026-11-22T11:30:00Z"));
            assertThat(closed(ledger.windowRecords(), WindowKind.HOUR))
                    .as("published closed once")
                    .isEmpty();
        }
    }

    @Test
    void monthWindowsAreCalendarMonthsAndCloseAtTheirRealEnd() {
        try (LedgerDriver ledger = ledger("2026-03-02T00:00:00Z")) {
            ledger.send(cost("feb").usd("5").at("2026-02-10T12:00:00Z"));
            ledger.send(cost("end-of-feb").usd("1").at("2026-02-28T23:59:59.999Z"));
            Map<String, CostWindow> latest = latest(ledger.windowRecords());
            CostWindow february = latest.get(DIMS + "|MONTH|2026-02-01T00:00:00Z");
            assertThat(february.getSpendUsd()).isEqualTo(Money.usd("6"));
            assertThat(february.getWindowEnd()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));

            ledger.send(cost("march-early").usd("2").at("2026-03-01T00:04:59.999Z")); // within February's grace
            assertThat(closed(ledger.windowRecords(), WindowKind.MONTH)).isEmpty();

            ledger.send(cost("march").usd("2").at("2026-03-01T00:05:00Z")); // 28-day February closes here
            List<CostWindow> closed = closed(ledger.windowRecords(), WindowKind.MONTH);
            assertThat(closed)
                    .extracting(w -> w.getScope() + "@" + w.getWindowStart() + "-" + w.getWindowEnd())
                    .containsExactlyInAnyOrder(
                            "ci-agents@2026-02-01T00:00:00Z-2026-03-01T00:00:00Z",
                            "global@2026-02-01T00:00:00Z-2026-03-01T00:00:00Z");
            assertThat(closed).allSatisfy(w -> assertThat(w.getSpendUsd()).isEqualTo(Money.usd("6")));

            ledger.send(cost("later").usd("1").at("2026-03-02T00:00:00Z"));
            assertThat(closed(ledger.windowRecords(), WindowKind.MONTH))
                    .as("published closed once")
                    .isEmpty();
        }
    }

    @Test
    void windowCarriesTokensRequestsAverageLatencyAndRework() {
        try (LedgerDriver ledger = ledger("2026-11-22T12:00:00Z")) {
            ledger.send(cost("r")
                    .attempt(1)
                    .reason(CostReason.PRIMARY)
                    .usd("0.010000000")
                    .tokens(100, 10)
                    .latencyMs(1000)
                    .at("2026-11-22T10:01:00Z"));
            ledger.send(cost("r")
                    .attempt(2)
                    .reason(CostReason.RETRY)
                    .usd("0.020000000")
                    .tokens(200, 20)
                    .latencyMs(2000)
                    .at("2026-11-22T10:02:00Z"));
            ledger.send(cost("r")
                    .attempt(3)
                    .reason(CostReason.ESCALATION)
                    .usd("0.030000000")
                    .tokens(300, 30)
                    .latencyMs(3000)
                    .at("2026-11-22T10:03:00Z"));
            ledger.send(cost("s")
                    .reason(CostReason.FALLBACK)
                    .taskType(TaskType.EXTRACTION)
                    .tier(Tier.LOCAL)
                    .model("qwen3:8b")
                    .usd("0.000000123")
                    .latencyMs(400)
                    .at("2026-11-22T10:04:00Z"));

            Map<String, CostWindow> latest = latest(ledger.windowRecords());
            CostWindow review = latest.get(DIMS + "|HOUR|2026-11-22T10:00:00Z");
            assertThat(review.getSpendUsd()).isEqualTo(Money.usd("0.06"));
            assertThat(review.getReworkSpendUsd()).isEqualTo(Money.usd("0.05"));
            assertThat(review.getInputTokens()).isEqualTo(600);
            assertThat(review.getOutputTokens()).isEqualTo(60);
            assertThat(review.getRequestCount()).isEqualTo(3);
            assertThat(review.getAvgLatencyMs()).isEqualTo(2000.0);
            CostWindow extraction = latest.get("ci-agents|EXTRACTION|LOCAL|qwen3:8b|HOUR|2026-11-22T10:00:00Z");
            assertThat(extraction.getReworkSpendUsd()).isEqualTo(Money.usd("0.000000123"));
            assertExact(ledger, latest, Money.usd("0.060000123"));
        }
    }

    @Test
    void costCenterNamedGlobalIsCountedOnce() {
        try (LedgerDriver ledger = ledger("2026-11-22T12:00:00Z")) {
            ledger.send(cost("a").costCenter(Topics.GLOBAL_SCOPE).usd("0.5").at("2026-11-22T10:00:00Z"));
            assertThat(ledger.lifetimeSpend(Topics.GLOBAL_SCOPE)).isEqualTo(Money.usd("0.5"));
            assertThat(ledger.dailyWindowSpend(Topics.GLOBAL_SCOPE)).isEqualTo(Money.usd("0.5"));
        }
    }

    private static Map<String, CostWindow> latest(List<KeyValue<String, CostWindow>> records) {
        Map<String, CostWindow> latest = new LinkedHashMap<>();
        records.forEach(r -> latest.put(r.key, r.value));
        return latest;
    }

    private static List<CostWindow> closed(List<KeyValue<String, CostWindow>> records, WindowKind kind) {
        return records.stream()
                .map(r -> r.value)
                .filter(CostWindow::getClosed)
                .filter(w -> w.getWindowKind() == kind)
                .toList();
    }

    /** Money in = money out: published day windows, the day window store and the totals, per scope. */
    private static void assertExact(LedgerDriver ledger, Map<String, CostWindow> latest, BigDecimal sent) {
        for (String scope : List.of("ci-agents", Topics.GLOBAL_SCOPE)) {
            BigDecimal published = latest.values().stream()
                    .filter(w ->
                            w.getWindowKind() == WindowKind.DAY && w.getScope().equals(scope))
                    .map(CostWindow::getSpendUsd)
                    .reduce(Money.ZERO, Money::sum);
            assertThat(published).as("published daily windows of " + scope).isEqualTo(sent);
            assertThat(ledger.dailyWindowSpend(scope))
                    .as("daily window store of " + scope)
                    .isEqualTo(sent);
            assertThat(ledger.lifetimeSpend(scope))
                    .as("lifetime total of " + scope)
                    .isEqualTo(sent);
        }
    }
}
