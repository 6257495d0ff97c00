package io.tiergate.schemas.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.schemas.events.CapabilityClass;
import io.tiergate.schemas.events.CostSource;
import io.tiergate.schemas.events.TaskType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CostCalculatorTest {

    private final PriceTable table = PriceTable.loadDefault();
    private final CostCalculator calculator = new CostCalculator(table);

    @Test
    void cloudCallIsPricedFromTheTableToTheNanoDollar() {
        // sonnet: $3/M input, $15/M output, $0.30/M cached read, $3.75/M cache write
        // 1,234 uncached in  = 1234 * 3 / 1e6      = 0.003702
        //   567 out          =  567 * 15 / 1e6     = 0.008505
        // 2,000 cached read  = 2000 * 0.30 / 1e6   = 0.0006
        //   100 cache write  =  100 * 3.75 / 1e6   = 0.000375
        // total                                    = 0.013182
        Cost cost = calculator.cloud(
                table.require("anthropic/claude-sonnet-4.6"), new TokenUsage(1234, 567, 2000, 100), Optional.empty());
        assertThat(cost.totalUsd()).isEqualTo(new BigDecimal("0.013182000"));
        assertThat(cost.breakdown().getSource()).isEqualTo(CostSource.PRICE_TABLE);
        assertThat(cost.breakdown().getInputUsd()).isEqualTo(new BigDecimal("0.003702000"));
        assertThat(cost.breakdown().getCachedReadUsd()).isEqualTo(new BigDecimal("0.000600000"));
        assertThat(cost.breakdown().getPriceTableVersion()).isEqualTo(table.version());
    }

    @Test
    void subNanoDollarComponentsRoundHalfEven() {
        // deepseek input $0.27/M: 1 token = 0.00000027 -> 0.000000270 (exact); 7 cached at $0.07/M = 0.00000049
        Cost cost =
                calculator.cloud(table.require("deepseek/deepseek-chat"), new TokenUsage(1, 0, 7, 0), Optional.empty());
        assertThat(cost.totalUsd()).isEqualTo(new BigDecimal("0.000000760"));
    }

    @Test
    void providerReportedCostWins() {
        Cost cost = calculator.cloud(
                table.require("anthropic/claude-haiku-4.5"),
                TokenUsage.of(1000, 100),
                Optional.of(new BigDecimal("0.0012345")));
        assertThat(cost.totalUsd()).isEqualTo(new BigDecimal("0.001234500"));
        assertThat(cost.breakdown().getSource()).isEqualTo(CostSource.PROVIDER_REPORTED);
    }

    @Test
    void localCallIsPricedByTotalCostOfOwnership() {
        // defaults: 350 W, $0.30/kWh, $2500 over 3 years at 50% utilisation, $100/year maintenance; 10 s busy
        // energy       = 350 * 10 * 0.30 / 3,600,000             = 0.000291666... -> 0.000291667
        // depreciation = 2500 * 10 / (3 * 31,536,000 * 0.5)       = 0.000528496... -> 0.000528497
        // maintenance  = 100 * 10 / (31,536,000 * 0.5)            = 0.000063419... -> 0.000063420
        Cost cost = calculator.local(Duration.ofSeconds(10));
        assertThat(cost.breakdown().getEnergyUsd()).isEqualTo(new BigDecimal("0.000291667"));
        assertThat(cost.breakdown().getDepreciationUsd()).isEqualTo(new BigDecimal("0.000528497"));
        assertThat(cost.breakdown().getMaintenanceUsd()).isEqualTo(new BigDecimal("0.000063420"));
        assertThat(cost.totalUsd()).isEqualTo(new BigDecimal("0.000883584"));
        assertThat(cost.breakdown().getSource()).isEqualTo(CostSource.LOCAL_TCO);
    }

    @Test
    void estimateUsesTheExpectedOutputOfTheTaskType() {
        // haiku: 500 in at $1/M + 1200 out (IMPLEMENTATION) at $5/M = 0.0005 + 0.006
        assertThat(calculator.estimate(table.require("anthropic/claude-haiku-4.5"), TaskType.IMPLEMENTATION, 500))
                .isEqualTo(new BigDecimal("0.006500000"));
        assertThat(calculator.estimate(table.require("qwen3:8b"), TaskType.CLASSIFICATION, 100))
                .isPositive();
    }

    @Test
    void strongestCloudModelIsTheFrontierOne() {
        assertThat(table.strongestCloudModel().capabilityClass()).isEqualTo(CapabilityClass.FRONTIER);
    }

    @Test
    void invalidTableIsRejectedNamingTheField() {
        String json = new String(resource(), StandardCharsets.UTF_8)
                .replace("\"usdPerKwh\": \"0.30\"", "\"usdPerKwh\": \"-1\"");
        assertThatThrownBy(() -> PriceTable.parse(json.getBytes(StandardCharsets.UTF_8), "test"))
                .hasMessageContaining("localTco.usdPerKwh");
        String noOutput =
                new String(resource(), StandardCharsets.UTF_8).replaceFirst("\"outputPerMTok\": \"1.10\", ", "");
        assertThatThrownBy(() -> PriceTable.parse(noOutput.getBytes(StandardCharsets.UTF_8), "test"))
                .hasMessageContaining("models[1].outputPerMTok is missing");
    }

    @Test
    void everyModelHasTheOutputCapOfTheTable() {
        assertThat(table.require("deepseek/deepseek-chat").maxOutputTokens()).isEqualTo(8192);
        assertThat(table.require("anthropic/claude-haiku-4.5").maxOutputTokens())
                .isEqualTo(64000);
        assertThat(table.require("anthropic/claude-opus-4.6").maxOutputTokens()).isEqualTo(128000);
        assertThat(table.require("qwen3:8b").maxOutputTokens()).isEqualTo(32768);
    }

    @Test
    void aModelWithoutAnOutputCapIsRejectedNamingTheField() {
        String noCap = new String(resource(), StandardCharsets.UTF_8).replaceFirst("\"maxOutputTokens\": 8192, ", "");
        assertThatThrownBy(() -> PriceTable.parse(noCap.getBytes(StandardCharsets.UTF_8), "test"))
                .hasMessageContaining("models[1].maxOutputTokens is missing");
        String zero = new String(resource(), StandardCharsets.UTF_8)
                .replaceFirst("\"maxOutputTokens\": 8192, ", "\"maxOutputTokens\": 0, ");
        assertThatThrownBy(() -> PriceTable.parse(zero.getBytes(StandardCharsets.UTF_8), "test"))
                .hasMessageContaining("models[1].maxOutputTokens must be a positive whole number, was 0");
    }

    @Test
    void theEstimateUsesTheRequestsMaxOutputTokensWhenSetNeverAboveTheModelsCap() {
        ModelPrice deepseek = table.require("deepseek/deepseek-chat");
        // no request limit: IMPLEMENTATION's expected 1,200
        assertThat(calculator.estimatedOutputTokens(deepseek, TaskType.IMPLEMENTATION, null))
                .isEqualTo(1200);
        // the request's limit, below or above the expectation
        assertThat(calculator.estimatedOutputTokens(deepseek, TaskType.IMPLEMENTATION, 100))
                .isEqualTo(100);
        assertThat(calculator.estimatedOutputTokens(deepseek, TaskType.IMPLEMENTATION, 5000))
                .isEqualTo(5000);
        // never above deepseek's 8,192
        assertThat(calculator.estimatedOutputTokens(deepseek, TaskType.IMPLEMENTATION, 100_000))
                .isEqualTo(8192);
        // 1,000 in at $0.27/M + 8,192 out at $1.10/M = 0.00027 + 0.0090112
        assertThat(calculator.estimate(deepseek, TaskType.IMPLEMENTATION, 1000, 100_000))
                .isEqualByComparingTo("0.0092812");
    }

    @Test
    void theWorstCaseOfACallPricesItsOutputLimitCappedByTheModel() {
        ModelPrice haiku = table.require("anthropic/claude-haiku-4.5");
        // 2,000 in at $1/M + 4,096 out at $5/M = 0.002 + 0.02048
        assertThat(calculator.worstCase(haiku, 2000, 4096)).isEqualTo(new BigDecimal("0.022480000"));
        // asking for more than 64,000 prices 64,000: 0.002 + 0.32
        assertThat(calculator.worstCase(haiku, 2000, 1_000_000)).isEqualTo(new BigDecimal("0.322000000"));
        // local: TCO of the time the profile gives (350 ms + 0 s prompt + 40 tok/s × 400 tokens = 10.35 s)
        ModelPrice qwen = table.require("qwen3:8b");
        assertThat(calculator.worstCase(qwen, 0, 400))
                .isEqualTo(calculator.local(Duration.ofMillis(10_350)).totalUsd());
    }

    private static byte[] resource() {
        try (var in = PriceTable.class.getResourceAsStream(PriceTable.DEFAULT_RESOURCE)) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
