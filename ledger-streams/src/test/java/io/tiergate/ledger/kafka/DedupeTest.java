package io.tiergate.ledger.kafka;

import static io.tiergate.ledger.support.CostEvents.cost;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tiergate.ledger.LedgerSettings;
import io.tiergate.ledger.metrics.MicrometerLedgerMetrics;
import io.tiergate.ledger.support.LedgerDriver;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.topics.Topics;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DedupeTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:30:00Z");

    @Test
    void redeliveredCostEventIsCountedOnce() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (LedgerDriver ledger =
                new LedgerDriver(LedgerSettings.defaults(), NOW, new MicrometerLedgerMetrics(meters))) {
            ledger.send(cost("r-1").usd("0.123456789").at("2026-11-22T10:00:00Z"));
            ledger.send(cost("r-1").usd("0.123456789").at("2026-11-22T10:00:00Z")); // same record again
            // a worker that crashed and re-ran attempt 1 reports it with another time and cost: still attempt 1
            ledger.send(cost("r-1").usd("0.200000000").at("2026-11-22T10:05:00Z"));

            assertThat(ledger.lifetimeSpend("ci-agents")).isEqualTo(Money.usd("0.123456789"));
            assertThat(ledger.lifetimeSpend(Topics.GLOBAL_SCOPE)).isEqualTo(Money.usd("0.123456789"));
            assertThat(ledger.lifetimeEvents(Topics.GLOBAL_SCOPE)).isEqualTo(1);
            assertThat(ledger.dailyWindowSpend(Topics.GLOBAL_SCOPE)).isEqualTo(Money.usd("0.123456789"));
            assertThat(meters.counter("tiergate.ledger.duplicates").count()).isEqualTo(2.0);
        }
    }

    @Test
    void eachAttemptOfARequestCounts() {
        try (LedgerDriver ledger = new LedgerDriver(LedgerSettings.defaults(), NOW)) {
            ledger.send(cost("r-1").attempt(1).usd("0.000000001"));
            ledger.send(cost("r-1").attempt(2).usd("0.000000002"));
            ledger.send(cost("r-1").attempt(3).usd("0.000000004"));
            ledger.send(cost("r-1").attempt(2).usd("0.000000002")); // redelivery of attempt 2

            assertThat(ledger.lifetimeSpend(Topics.GLOBAL_SCOPE)).isEqualTo(Money.usd("0.000000007"));
            assertThat(ledger.lifetimeEvents("ci-agents")).isEqualTo(3);
        }
    }

    @Test
    void duplicatesAcrossManyRequestsLeaveTotalsExactToTheNanoDollar() {
        try (LedgerDriver ledger = new LedgerDriver(LedgerSettings.defaults(), NOW)) {
            BigDecimal expected = Money.ZERO;
            for (int i = 0; i < 200; i++) {
                String amount = "0.00" + (1000 + i * 37) + "0001"; // 9 decimals, distinct amounts
                ledger.send(cost("req-" + i)
                        .costCenter(i % 2 == 0 ? "support-bot" : "docs-team")
                        .usd(amount)
                        .at(NOW.minusSeconds(i)));
                if (i % 3 == 0) {
                    ledger.send(cost("req-" + i)
                            .costCenter(i % 2 == 0 ? "support-bot" : "docs-team")
                            .usd(amount)
                            .at(NOW.minusSeconds(i)));
                }
                expected = Money.sum(expected, Money.usd(amount));
            }
            assertThat(ledger.lifetimeSpend(Topics.GLOBAL_SCOPE)).isEqualTo(expected);
            assertThat(Money.sum(ledger.lifetimeSpend("support-bot"), ledger.lifetimeSpend("docs-team")))
                    .isEqualTo(expected);
            assertThat(ledger.dailyWindowSpend(Topics.GLOBAL_SCOPE)).isEqualTo(expected);
            assertThat(ledger.lifetimeEvents(Topics.GLOBAL_SCOPE)).isEqualTo(200);
        }
    }
}
