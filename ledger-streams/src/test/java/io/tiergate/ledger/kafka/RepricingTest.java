package io.tiergate.ledger.kafka;

import static io.tiergate.ledger.support.CostEvents.cost;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.ledger.LedgerSettings;
import io.tiergate.ledger.support.LedgerDriver;
import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.events.CostBreakdown;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostSource;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.topics.Topics;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A replay after a price-table fix: price-table costs are recomputed from their tokens, the rest kept. */
class RepricingTest {

    private static final Instant NOW = Instant.parse("2026-11-22T20:00:00Z");

    @Test
    void priceTableCostsAreRepricedFromTheirTokensAndTheRestIsKept() {
        LedgerSettings settings = LedgerSettings.defaults().withRepricing(PriceTable.loadDefault());
        try (LedgerDriver ledger = new LedgerDriver(settings, NOW)) {
            // sonnet 4.6 at 3.00 / 15.00 USD per million: 1,000 in + 200 out = 0.003 + 0.003
            ledger.send(cost("table")
                    .model("anthropic/claude-sonnet-4.6")
                    .tokens(1000, 200)
                    .usd("0.5")
                    .at("2026-11-22T10:00:00Z"));
            CostEvent reported = cost("provider")
                    .model("anthropic/claude-sonnet-4.6")
                    .tokens(1000, 200)
                    .usd("0.7")
                    .at("2026-11-22T10:00:00Z")
                    .build();
            reported.setBreakdown(CostBreakdown.newBuilder(reported.getBreakdown())
                    .setSource(CostSource.PROVIDER_REPORTED)
                    .build());
            ledger.send(reported);
            ledger.send(cost("local")
                    .tier(Tier.LOCAL)
                    .model("qwen3:8b")
                    .usd("0.000123456")
                    .at("2026-11-22T10:00:00Z"));
            ledger.send(
                    cost("unknown-model").model("someone/new-model").usd("0.25").at("2026-11-22T10:00:00Z"));

            assertThat(ledger.lifetimeSpend(Topics.GLOBAL_SCOPE)).isEqualTo(Money.usd("0.956123456"));
            assertThat(ledger.dailyWindowSpend(Topics.GLOBAL_SCOPE)).isEqualTo(Money.usd("0.956123456"));
        }
    }

    @Test
    void withoutRepricingCostsCountAsReported() {
        try (LedgerDriver ledger = new LedgerDriver(LedgerSettings.defaults(), NOW)) {
            ledger.send(cost("table")
                    .model("anthropic/claude-sonnet-4.6")
                    .tokens(1000, 200)
                    .usd("0.5")
                    .at("2026-11-22T10:00:00Z"));
            assertThat(ledger.lifetimeSpend(Topics.GLOBAL_SCOPE)).isEqualTo(Money.usd("0.5"));
        }
    }
}
