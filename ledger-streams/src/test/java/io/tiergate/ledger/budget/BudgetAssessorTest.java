package io.tiergate.ledger.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BudgetAssessorTest {

    private static final long NOW = Instant.parse("2026-11-22T20:00:00Z").toEpochMilli();
    private static final long EARLIER_TODAY =
            Instant.parse("2026-11-22T01:00:00Z").toEpochMilli();
    private final BudgetAssessor levels = new BudgetAssessor(new BigDecimal("3"), new BigDecimal("0.01"));

    @ParameterizedTest(name = "{0} of 100 USD with thresholds {1}/{2} → {3}")
    @CsvSource({
        "0, 0.8, 0.95, NORMAL",
        "79.999999999, 0.8, 0.95, NORMAL",
        "80, 0.8, 0.95, CONSERVE",
        "94.999999999, 0.8, 0.95, CONSERVE",
        "95, 0.8, 0.95, CRITICAL_ONLY",
        "99.999999999, 0.8, 0.95, CRITICAL_ONLY",
        "100, 0.8, 0.95, EXHAUSTED",
        "250, 0.8, 0.95, EXHAUSTED",
        "50, 0.5, 0.5, CRITICAL_ONLY",
        "49.999999999, 0.5, 0.6, NORMAL",
        "99.999999999, 1.0, 1.0, NORMAL"
    })
    void levelFromUtilizationOfTheDailyLimit(String spent, double conserve, double critical, BudgetLevel expected) {
        BudgetPolicy policy =
                new BudgetPolicy("s", Money.usd("100"), null, conserve, critical, OnExhausted.DEFER, ZoneOffset.UTC, 0);
        ScopeSpend spend = new ScopeSpend("s");
        spend.record(EARLIER_TODAY, Money.usd(spent), true, NOW, ZoneOffset.UTC);
        assertThat(levels.assess(policy, spend, NOW).level()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "day {0}/{1}, month {2}/{3} → {4}")
    @CsvSource({
        "1, 10, 95, 100, CRITICAL_ONLY",
        "10, 10, 11, 100, EXHAUSTED",
        "8, 10, 11, 100, CONSERVE",
        "1, , 1, , NORMAL"
    })
    void theMostRestrictivePeriodWins(
            String daySpend, String dayLimit, String monthSpend, String monthLimit, BudgetLevel expected) {
        BudgetPolicy policy = new BudgetPolicy(
                "s",
                dayLimit == null ? null : Money.usd(dayLimit),
                monthLimit == null ? null : Money.usd(monthLimit),
                0.8,
                0.95,
                OnExhausted.DEFER,
                ZoneOffset.UTC,
                0);
        ScopeSpend spend = new ScopeSpend("s");
        BigDecimal earlierInMonth = Money.usd(monthSpend).subtract(Money.usd(daySpend));
        spend.record(Instant.parse("2026-11-02T01:00:00Z").toEpochMilli(), earlierInMonth, true, NOW, ZoneOffset.UTC);
        spend.record(EARLIER_TODAY, Money.usd(daySpend), true, NOW, ZoneOffset.UTC);
        assertThat(levels.assess(policy, spend, NOW).level()).isEqualTo(expected);
    }
}
