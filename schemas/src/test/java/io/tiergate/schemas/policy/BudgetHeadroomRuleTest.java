package io.tiergate.schemas.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.money.Money;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BudgetHeadroomRuleTest {

    static BudgetStatus status(
            BudgetLevel level, String dailySpend, String dailyLimit, String monthlySpend, String monthlyLimit) {
        Instant t = Instant.parse("2026-12-05T10:00:00Z");
        return BudgetStatus.newBuilder()
                .setScope("team-a")
                .setLevel(level)
                .setOnExhausted(OnExhausted.REJECT)
                .setDailySpendUsd(Money.usd(dailySpend))
                .setDailyLimitUsd(dailyLimit == null ? null : Money.usd(dailyLimit))
                .setMonthlySpendUsd(Money.usd(monthlySpend))
                .setMonthlyLimitUsd(monthlyLimit == null ? null : Money.usd(monthlyLimit))
                .setUtilization(0)
                .setBurnRateUsdPerHour(Money.ZERO)
                .setPeriodDayStart(t)
                .setPeriodMonthStart(t)
                .setUpdatedAt(t)
                .setCountedCostOffsets(Map.of())
                .build();
    }

    @Test
    void aSpendThatReachesTheLimitExactlyIsAdmittedOneNanoDollarMoreIsNot() {
        BudgetStatus s = status(BudgetLevel.CRITICAL_ONLY, "0.9", "1", "0.9", null);
        assertThat(BudgetHeadroomRule.refusal(s, Money.usd("0.05"), Money.usd("0.05"), 1))
                .isEmpty();
        assertThat(BudgetHeadroomRule.refusal(s, Money.usd("0.05"), Money.usd("0.050000001"), 1))
                .contains("budget 'team-a' has no daily headroom for $0.050000001: spent $0.90 + held $0.05 of $1.00");
    }

    @Test
    void theMonthlyLimitIsCheckedToo() {
        BudgetStatus s = status(BudgetLevel.NORMAL, "0", "100", "9.99", "10");
        assertThat(BudgetHeadroomRule.refusal(s, Money.ZERO, Money.usd("0.02"), 1))
                .contains("budget 'team-a' has no monthly headroom for $0.02: spent $9.99 + held $0.00 of $10.00");
    }

    @Test
    void anExhaustedOrUnknownBudgetAdmitsNothingEvenWithRoomLeft() {
        assertThat(BudgetHeadroomRule.refusal(
                        status(BudgetLevel.EXHAUSTED, "0", "1", "0", null), Money.ZERO, Money.usd("0.01"), 1))
                .contains("budget 'team-a' is EXHAUSTED");
        assertThat(BudgetHeadroomRule.refusal(
                        status(BudgetLevel.UNKNOWN, "0", "1", "0", null), Money.ZERO, Money.usd("0.01"), 1))
                .contains("budget 'team-a' is UNKNOWN");
    }

    @Test
    void aBudgetWithoutLimitsAdmitsAnything() {
        assertThat(BudgetHeadroomRule.refusal(
                        status(BudgetLevel.NORMAL, "1000", null, "1000", null), Money.ZERO, Money.usd("1000"), 1))
                .isEmpty();
    }

    @Test
    void aPartitionShareMultipliesWhatIsHeldAndTheNewSpend() {
        // 0 + 4 × (0.2 + 0.05) = 1.0 ≤ 1 fits; 4 × (0.2 + 0.06) = 1.04 does not
        assertThat(BudgetHeadroomRule.refusal(
                        "daily", Money.ZERO, Money.usd("0.2"), Money.usd("0.05"), Money.usd("1"), 4))
                .isEmpty();
        assertThat(BudgetHeadroomRule.refusal(
                        "daily", Money.ZERO, Money.usd("0.2"), Money.usd("0.06"), Money.usd("1"), 4))
                .contains("has no daily headroom for $0.06: spent $0.00 + held $0.20 in this partition (× 4 partition"
                        + " shares) of $1.00");
        assertThatThrownBy(() -> BudgetHeadroomRule.refusal("daily", Money.ZERO, Money.ZERO, Money.ZERO, null, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shareFactor");
    }

    @Test
    void amountsReadAsPeopleWriteThem() {
        assertThat(BudgetHeadroomRule.usd(Money.usd("0.019500000"))).isEqualTo("$0.0195");
        assertThat(BudgetHeadroomRule.usd(Money.usd("10"))).isEqualTo("$10.00");
        assertThat(BudgetHeadroomRule.usd(Money.usd("0.000000001"))).isEqualTo("$0.000000001");
    }
}
