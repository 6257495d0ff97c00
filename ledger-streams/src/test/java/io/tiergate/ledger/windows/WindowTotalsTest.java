package io.tiergate.ledger.windows;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.ledger.scope.ScopedCost;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.CostWindow;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.events.WindowKind;
import io.tiergate.schemas.money.Money;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Which column a cost counts in: spend always; rework for RETRY/ESCALATION/FALLBACK; calibration for SHADOW/JUDGE. */
class WindowTotalsTest {

    private static ScopedCost cost(CostReason reason, String usd) {
        return new ScopedCost(
                "shadow",
                TaskType.EXTRACTION,
                Tier.CLOUD,
                "anthropic/claude-sonnet-4.6",
                reason,
                Money.usd(usd),
                900,
                120,
                1500,
                1_764_921_600_000L);
    }

    @ParameterizedTest
    @EnumSource(
            value = CostReason.class,
            names = {"SHADOW", "JUDGE"})
    void aCalibrationCallCountsInSpendAndCalibrationNotInRework(CostReason reason) {
        WindowTotals totals = WindowTotals.empty().plus(cost(reason, "0.008"));

        assertThat(totals.spendUsd()).isEqualTo(Money.usd("0.008"));
        assertThat(totals.calibrationUsd()).isEqualTo(Money.usd("0.008"));
        assertThat(totals.reworkUsd()).isEqualTo(Money.ZERO);
        assertThat(totals.retryUsd()).isEqualTo(Money.ZERO);
        assertThat(totals.escalationUsd()).isEqualTo(Money.ZERO);
        assertThat(totals.fallbackUsd()).isEqualTo(Money.ZERO);
        assertThat(totals.requestCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(
            value = CostReason.class,
            names = {"PRIMARY", "RETRY", "ESCALATION", "FALLBACK", "UNKNOWN"})
    void everyOtherReasonLeavesCalibrationAtZero(CostReason reason) {
        WindowTotals totals = WindowTotals.empty().plus(cost(reason, "0.5"));

        assertThat(totals.spendUsd()).isEqualTo(Money.usd("0.5"));
        assertThat(totals.calibrationUsd()).isEqualTo(Money.ZERO);
        boolean rework = reason == CostReason.RETRY || reason == CostReason.ESCALATION || reason == CostReason.FALLBACK;
        assertThat(totals.reworkUsd()).isEqualTo(rework ? Money.usd("0.5") : Money.ZERO);
    }

    @Test
    void spendIsPrimaryPlusReworkPlusCalibrationExactly() {
        WindowTotals totals = WindowTotals.empty()
                .plus(cost(CostReason.PRIMARY, "0.000431505"))
                .plus(cost(CostReason.RETRY, "0.010"))
                .plus(cost(CostReason.SHADOW, "0.008"))
                .plus(cost(CostReason.JUDGE, "0.000000001"));

        assertThat(totals.spendUsd()).isEqualTo(Money.usd("0.018431506"));
        assertThat(totals.reworkUsd()).isEqualTo(Money.usd("0.010"));
        assertThat(totals.calibrationUsd()).isEqualTo(Money.usd("0.008000001"));
    }

    @Test
    void summedTotalsAddTheirCalibration() {
        WindowTotals day1 = WindowTotals.empty().plus(cost(CostReason.SHADOW, "0.008"));
        WindowTotals day2 = WindowTotals.empty().plus(cost(CostReason.JUDGE, "0.0005"));

        assertThat(day1.plus(day2).calibrationUsd()).isEqualTo(Money.usd("0.0085"));
        assertThat(day1.plus(day2).spendUsd()).isEqualTo(Money.usd("0.0085"));
    }

    @Test
    void theCostWindowCarriesCalibrationNextToRework() {
        WindowTotals totals =
                WindowTotals.empty().plus(cost(CostReason.ESCALATION, "0.03")).plus(cost(CostReason.SHADOW, "0.008"));

        CostWindow window = totals.toCostWindow(WindowKind.DAY, 0L, 86_400_000L, false, 1L);

        assertThat(window.getSpendUsd()).isEqualTo(new BigDecimal("0.038000000"));
        assertThat(window.getReworkSpendUsd()).isEqualTo(new BigDecimal("0.030000000"));
        assertThat(window.getCalibrationSpendUsd()).isEqualTo(new BigDecimal("0.008000000"));
    }
}
