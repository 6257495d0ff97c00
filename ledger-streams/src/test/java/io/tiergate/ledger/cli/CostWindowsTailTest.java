package io.tiergate.ledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.schemas.events.CostWindow;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.events.WindowKind;
import io.tiergate.schemas.money.Money;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CostWindowsTailTest {

    @Test
    void aLineShowsCalibrationNextToRework() {
        CostWindow window = CostWindow.newBuilder()
                .setScope("global")
                .setTaskType(TaskType.EXTRACTION)
                .setTier(Tier.CLOUD)
                .setModel("anthropic/claude-sonnet-4.6")
                .setWindowKind(WindowKind.DAY)
                .setWindowStart(Instant.parse("2026-12-05T00:00:00Z"))
                .setWindowEnd(Instant.parse("2026-12-06T00:00:00Z"))
                .setSpendUsd(Money.usd("0.0385"))
                .setReworkSpendUsd(Money.usd("0.03"))
                .setCalibrationSpendUsd(Money.usd("0.0085"))
                .setInputTokens(900)
                .setOutputTokens(120)
                .setRequestCount(3)
                .setAvgLatencyMs(1500)
                .setUpdatedAt(Instant.parse("2026-12-05T08:00:00Z"))
                .build();

        assertThat(CostWindowsTail.format(window))
                .contains(" spend=0.038500000 rework=0.030000000 calibration=0.008500000 requests=3 ");
    }
}
