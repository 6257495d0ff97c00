package io.tiergate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.cli.demo.PipelineTracker;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.topics.Topics;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The demo's progress and summary lines say what the numbers are. */
class DemoProgressTest {

    private static PipelineTracker.Snapshot snapshot(String spend, String cloud, Map<String, BudgetStatus> statuses) {
        return new PipelineTracker.Snapshot(
                10,
                10,
                8,
                0,
                Money.usd(new BigDecimal(spend)),
                Money.usd(new BigDecimal(cloud)),
                statuses,
                Set.of(),
                0);
    }

    @Test
    void theBudgetShareIsTheLiveCloudSpendOverTheLimitAndLocalSpendIsApart() {
        Instant now = Instant.parse("2026-12-05T10:00:00Z");
        BudgetStatus ledgerSaid = BudgetStatus.newBuilder()
                .setScope(Topics.GLOBAL_SCOPE)
                .setLevel(BudgetLevel.NORMAL)
                .setDailySpendUsd(Money.usd(new BigDecimal("0.20")))
                .setMonthlySpendUsd(Money.usd(new BigDecimal("0.20")))
                .setUtilization(0.20)
                .setBurnRateUsdPerHour(Money.usd(BigDecimal.ZERO))
                .setPeriodDayStart(now)
                .setPeriodMonthStart(now)
                .setUpdatedAt(now.minusSeconds(3))
                .build();

        String line = DemoCommand.spendLine(
                snapshot("0.45", "0.40", Map.of(Topics.GLOBAL_SCOPE, ledgerSaid)),
                new BigDecimal("1.00"),
                now.toEpochMilli());

        assertThat(line)
                .isEqualTo("spend $0.45: cloud $0.4 = 40% of the global $1 budget, local $0.05 (not budgeted)"
                        + " | level NORMAL (3 s ago)");
    }

    @Test
    void beforeTheLedgerSpeaksTheLevelSaysSo() {
        assertThat(DemoCommand.spendLine(snapshot("0", "0", Map.of()), new BigDecimal("1.00"), 0L))
                .isEqualTo("spend $0: cloud $0 = 0% of the global $1 budget, local $0 (not budgeted)"
                        + " | level NORMAL (no ledger status yet)");
    }

    @Test
    void aSimulatedBackendIsNamedWithWhy() throws Exception {
        var backends = new ObjectMapper().readTree("{\"CLOUD\":\"simulated:simulated\",\"LOCAL\":\"ollama\"}");
        assertThat(DemoCommand.backendsLine(backends))
                .startsWith(
                        "CLOUD simulated (no OPENROUTER_API_KEY, OPENAI_API_KEY or ANTHROPIC_API_KEY), LOCAL ollama")
                .contains("simulated=true");
        var real = new ObjectMapper().readTree("{\"LOCAL\":\"ollama\"}");
        assertThat(DemoCommand.backendsLine(real)).isEqualTo("LOCAL ollama");
    }
}
