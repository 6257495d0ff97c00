package io.tiergate.localworker.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.schemas.cost.Cost;
import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.events.CostSource;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Cost fixtures: the expected TCO bill of each protocol fixture's busy time, to the nano-dollar,
 * worked out by hand from the default {@code localTco} of the price table (2026-11-01.1):
 * 350 W under load, $0.30/kWh, $2,500 of hardware over 3 years at 50 % utilisation, $100/year
 * maintenance. A year is 31,536,000 s. Each component is rounded half-even to 9 decimals, then summed.
 */
class LocalCostPricerTest {

    private final PriceTable table = PriceTable.loadDefault();

    @Test
    void ollamaStreamFixtureIsPricedFromItsTotalDuration() {
        // fixtures/ollama/chat-stream.ndjson: total_duration 4883583458 ns = 4.883583458 s
        // energy       = 350 × 4.883583458 × 0.30 / 3,600,000 = 512.7762631 / 3,600,000
        //              = 0.000142437850858…            → 0.000142438
        // depreciation = 2500 × 4.883583458 / (3 × 31,536,000 × 0.5) = 12,208.958645 / 47,304,000
        //              = 0.000258095692647…            → 0.000258096
        // maintenance  = 100 × 4.883583458 / (31,536,000 × 0.5) = 488.3583458 / 15,768,000
        //              = 0.000030971483117…            → 0.000030971
        // total        = 0.000142438 + 0.000258096 + 0.000030971 = 0.000431505
        Cost cost = new LocalCostPricer(table, Map.of()).price("ollama", Duration.ofNanos(4_883_583_458L));

        assertThat(cost.totalUsd()).isEqualTo(new BigDecimal("0.000431505"));
        assertThat(cost.breakdown().getEnergyUsd()).isEqualTo(new BigDecimal("0.000142438"));
        assertThat(cost.breakdown().getDepreciationUsd()).isEqualTo(new BigDecimal("0.000258096"));
        assertThat(cost.breakdown().getMaintenanceUsd()).isEqualTo(new BigDecimal("0.000030971"));
        assertThat(cost.breakdown().getSource()).isEqualTo(CostSource.LOCAL_TCO);
        assertThat(cost.breakdown().getPriceTableVersion()).isEqualTo(table.version());
    }

    @Test
    void ollamaNonStreamFixtureIsPricedFromItsTotalDuration() {
        // fixtures/ollama/chat.json: total_duration 1250000000 ns = 1.25 s
        // energy       = 350 × 1.25 × 0.30 / 3,600,000 = 131.25 / 3,600,000 = 0.0000364583… → 0.000036458
        // depreciation = 2500 × 1.25 / 47,304,000 = 3,125 / 47,304,000 = 0.0000660620666… → 0.000066062
        // maintenance  = 100 × 1.25 / 15,768,000 = 125 / 15,768,000 = 0.00000792744799… → 0.000007927
        // total        = 0.000036458 + 0.000066062 + 0.000007927 = 0.000110447
        Cost cost = new LocalCostPricer(table, Map.of()).price("ollama", Duration.ofMillis(1250));

        assertThat(cost.totalUsd()).isEqualTo(new BigDecimal("0.000110447"));
    }

    @Test
    void llamaCppFixtureIsPricedFromItsTimings() {
        // fixtures/openai/chat-completion.json: timings.prompt_ms 118.204 + predicted_ms 431.796 = 0.55 s
        // energy       = 350 × 0.55 × 0.30 / 3,600,000 = 57.75 / 3,600,000 = 0.0000160416… → 0.000016042
        // depreciation = 2500 × 0.55 / 47,304,000 = 1,375 / 47,304,000 = 0.0000290673093… → 0.000029067
        // maintenance  = 100 × 0.55 / 15,768,000 = 55 / 15,768,000 = 0.00000348807711… → 0.000003488
        // total        = 0.000016042 + 0.000029067 + 0.000003488 = 0.000048597
        Cost cost = new LocalCostPricer(table, Map.of()).price("llama-cpp", Duration.ofMillis(550));

        assertThat(cost.totalUsd()).isEqualTo(new BigDecimal("0.000048597"));
    }

    @Test
    void endpointOverrideReplacesOnlyTheFiguresItSets() {
        // a small box: 120 W, $0.12/kWh, $1,800 over 4 years at 25 % utilisation; maintenance stays $100/year
        // for 4.883583458 s:
        // energy       = 120 × 4.883583458 × 0.12 / 3,600,000 = 70.32360180 / 3,600,000
        //              = 0.0000195343338…              → 0.000019534
        // depreciation = 1800 × 4.883583458 / (4 × 31,536,000 × 0.25) = 8,790.4502244 / 31,536,000
        //              = 0.000278743348…               → 0.000278743
        // maintenance  = 100 × 4.883583458 / (31,536,000 × 0.25) = 488.3583458 / 7,884,000
        //              = 0.0000619429662…              → 0.000061943
        // total        = 0.000019534 + 0.000278743 + 0.000061943 = 0.000360220
        TcoOverride smallBox = new TcoOverride(
                new BigDecimal("120"),
                new BigDecimal("0.12"),
                new BigDecimal("1800"),
                new BigDecimal("4"),
                new BigDecimal("0.25"),
                null);
        LocalCostPricer pricer = new LocalCostPricer(table, Map.of("mini", smallBox));

        Cost cost = pricer.price("mini", Duration.ofNanos(4_883_583_458L));

        assertThat(cost.breakdown().getEnergyUsd()).isEqualTo(new BigDecimal("0.000019534"));
        assertThat(cost.breakdown().getDepreciationUsd()).isEqualTo(new BigDecimal("0.000278743"));
        assertThat(cost.breakdown().getMaintenanceUsd()).isEqualTo(new BigDecimal("0.000061943"));
        assertThat(cost.totalUsd()).isEqualTo(new BigDecimal("0.000360220"));
        assertThat(pricer.tco("mini").maintenanceUsdPerYear())
                .isEqualTo(table.localTco().maintenanceUsdPerYear());
        assertThat(pricer.price("other", Duration.ofNanos(4_883_583_458L)).totalUsd())
                .isEqualTo(new BigDecimal("0.000431505"));
    }

    @Test
    void invalidOverrideFailsNamingTheEndpoint() {
        TcoOverride broken = new TcoOverride(null, null, null, null, new BigDecimal("1.5"), null);

        assertThatThrownBy(() -> new LocalCostPricer(table, Map.of("gpu-box", broken)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tiergate.local-worker.endpoints.gpu-box")
                .hasMessageContaining("utilization");
    }
}
