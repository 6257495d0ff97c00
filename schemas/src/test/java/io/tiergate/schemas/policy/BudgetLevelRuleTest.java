package io.tiergate.schemas.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.money.Money;
import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.quicktheories.core.Gen;

/** The budget-level rule the ledger and the router share (docs/architecture.md, "Budget levels"). */
class BudgetLevelRuleTest {

    private static final long SEED = Long.getLong("tiergate.qt.seed", 0xB0D6_E7L);

    @ParameterizedTest(name = "{0} of {1} USD with thresholds {2}/{3} → {4}")
    @CsvSource({
        "0, 100, 0.8, 0.95, NORMAL",
        "79.999999999, 100, 0.8, 0.95, NORMAL",
        "80, 100, 0.8, 0.95, CONSERVE",
        "94.999999999, 100, 0.8, 0.95, CONSERVE",
        "95, 100, 0.8, 0.95, CRITICAL_ONLY",
        "99.999999999, 100, 0.8, 0.95, CRITICAL_ONLY",
        "100, 100, 0.8, 0.95, EXHAUSTED",
        "250, 100, 0.8, 0.95, EXHAUSTED",
        "50, 100, 0.5, 0.5, CRITICAL_ONLY",
        "49.999999999, 100, 0.5, 0.6, NORMAL",
        "99.999999999, 100, 1.0, 1.0, NORMAL",
        "0, 0, 0.8, 0.95, EXHAUSTED",
        "0.000000001, 0.000000001, 0.8, 0.95, EXHAUSTED",
        "0, 0.000000001, 0.8, 0.95, NORMAL",
        // 3 × 0.1 is 0.30000000000000004 in binary: the threshold is read as the decimal 0.3
        "0.3, 1, 0.3, 0.95, CONSERVE"
    })
    void theLevelOfASpendAgainstALimit(
            String spent, String limit, double conserve, double critical, BudgetLevel expected) {
        assertThat(BudgetLevelRule.levelOf(Money.usd(spent), Money.usd(limit), conserve, critical))
                .isEqualTo(expected);
    }

    @Test
    void aPeriodWithoutALimitNeverThrottles() {
        assertThat(BudgetLevelRule.levelOf(Money.usd("1000000"), null, 0.8, 0.95))
                .isEqualTo(BudgetLevel.NORMAL);
    }

    @Test
    void theSpendIsComparedWithTheThresholdExactlyNotThroughARoundedQuotient() {
        // 24,000,000 / 30,000,000.000000001 = 0.79999999999999997333…, which a 16-digit quotient rounds to 0.8
        BigDecimal limit = Money.usd("30000000.000000001");
        assertThat(BudgetLevelRule.levelOf(Money.usd("24000000"), limit, 0.8, 0.95))
                .isEqualTo(BudgetLevel.NORMAL);
        assertThat(BudgetLevelRule.levelOf(Money.usd("24000000.000000001"), limit, 0.8, 0.95))
                .isEqualTo(BudgetLevel.CONSERVE);
    }

    @ParameterizedTest(name = "{0} ∨ {1} → {2}")
    @CsvSource({
        "NORMAL, NORMAL, NORMAL",
        "NORMAL, CONSERVE, CONSERVE",
        "CRITICAL_ONLY, CONSERVE, CRITICAL_ONLY",
        "EXHAUSTED, NORMAL, EXHAUSTED",
        "NORMAL, UNKNOWN, EXHAUSTED",
        "UNKNOWN, CRITICAL_ONLY, EXHAUSTED",
        "UNKNOWN, UNKNOWN, EXHAUSTED"
    })
    void theMostRestrictiveLevelWinsAndUnknownCountsAsExhausted(BudgetLevel a, BudgetLevel b, BudgetLevel expected) {
        assertThat(BudgetLevelRule.mostRestrictive(a, b)).isEqualTo(expected);
        assertThat(BudgetLevelRule.mostRestrictive(b, a)).isEqualTo(expected);
    }

    @Test
    void aMissingOrUnknownLevelIsReadAsExhausted() {
        assertThat(BudgetLevelRule.known(null)).isEqualTo(BudgetLevel.EXHAUSTED);
        assertThat(BudgetLevelRule.known(BudgetLevel.UNKNOWN)).isEqualTo(BudgetLevel.EXHAUSTED);
        for (BudgetLevel level : EnumSet.complementOf(EnumSet.of(BudgetLevel.UNKNOWN))) {
            assertThat(BudgetLevelRule.known(level)).isEqualTo(level);
        }
    }

    /**
     * More spend never lowers the level, and the level is exactly the threshold spend has reached:
     * over limits from one nano-dollar to the ledger's maximum (10^9 USD), spends around each
     * threshold, and thresholds in hundredths.
     */
    @Test
    void theLevelRisesWithSpendAndOnlyAtTheThresholds() {
        Set<BudgetLevel> seen = EnumSet.noneOf(BudgetLevel.class);
        Gen<Long> nanoLimits =
                longs().between(1L, 1_000_000_000L * 1_000_000_000L).mix(longs().between(1L, 1_000L), 30);
        qt().withFixedSeed(SEED)
                .withExamples(5_000)
                .forAll(nanoLimits, integers().between(1, 100), integers().between(0, 100), longs().between(-2L, 2L))
                .checkAssert((limitNanos, conserveHundredths, criticalExtra, offsetNanos) -> {
                    double conserve = conserveHundredths / 100.0;
                    double critical = Math.min(100, conserveHundredths + criticalExtra) / 100.0;
                    BigDecimal limit = BigDecimal.valueOf(limitNanos, 9);
                    for (double threshold : new double[] {conserve, critical, 1.0}) {
                        BigDecimal at = limit.multiply(BigDecimal.valueOf(threshold))
                                .setScale(9, java.math.RoundingMode.CEILING);
                        BigDecimal spent =
                                at.add(BigDecimal.valueOf(offsetNanos, 9)).max(BigDecimal.ZERO);
                        BudgetLevel level = BudgetLevelRule.levelOf(spent, limit, conserve, critical);
                        BudgetLevel oneMore =
                                BudgetLevelRule.levelOf(spent.add(BigDecimal.valueOf(1, 9)), limit, conserve, critical);
                        assertThat(oneMore.ordinal()).isGreaterThanOrEqualTo(level.ordinal());
                        assertThat(level).isEqualTo(expected(spent, limit, conserve, critical));
                        seen.add(level);
                    }
                });
        assertThat(seen)
                .as("every level reached")
                .containsExactlyInAnyOrder(
                        BudgetLevel.NORMAL, BudgetLevel.CONSERVE, BudgetLevel.CRITICAL_ONLY, BudgetLevel.EXHAUSTED);
    }

    /** The table of docs/architecture.md, written out independently: spend × 100 against limit × threshold × 100. */
    private static BudgetLevel expected(BigDecimal spent, BigDecimal limit, double conserve, double critical) {
        BigDecimal hundredTimesSpent = spent.scaleByPowerOfTen(2);
        if (spent.compareTo(limit) >= 0) {
            return BudgetLevel.EXHAUSTED;
        }
        if (hundredTimesSpent.compareTo(limit.multiply(BigDecimal.valueOf(Math.round(critical * 100)))) >= 0) {
            return BudgetLevel.CRITICAL_ONLY;
        }
        if (hundredTimesSpent.compareTo(limit.multiply(BigDecimal.valueOf(Math.round(conserve * 100)))) >= 0) {
            return BudgetLevel.CONSERVE;
        }
        return BudgetLevel.NORMAL;
    }
}
