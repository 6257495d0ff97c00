package io.tiergate.ledger.calibration;

import static io.tiergate.ledger.support.CalibrationSamples.sample;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.schemas.events.CalibrationJudge;
import io.tiergate.schemas.events.CalibrationSample;
import io.tiergate.schemas.events.CalibrationStat;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CalibrationTotalsTest {

    @Test
    void countsAgreementAndTheWilsonIntervalOfIt() {
        CalibrationTotals totals = CalibrationTotals.empty();
        for (int i = 0; i < 60; i++) {
            totals = totals.plus(sample(TaskType.EXTRACTION, i % 10 >= 3, "0.001", "2026-12-01T10:00:00Z"));
        }
        CalibrationStat stat = totals.toStat();
        assertThat(stat.getSamples()).isEqualTo(60);
        assertThat(stat.getAgreed()).isEqualTo(42);
        assertThat(stat.getAgreementRate()).isEqualTo(0.7);
        assertThat(stat.getLower95()).isEqualTo(Wilson.interval95(42, 60).lower());
        assertThat(stat.getUpper95()).isEqualTo(Wilson.interval95(42, 60).upper());
        assertThat(stat.getTaskType()).isEqualTo(TaskType.EXTRACTION);
        assertThat(stat.getLocalModel()).isEqualTo("qwen3:8b");
        assertThat(stat.getJudge()).isEqualTo(CalibrationJudge.FIELDS);
    }

    @Test
    void sampleCostIsTheExactSumOfShadowAndJudgeCosts() {
        Random random = new Random(17);
        CalibrationTotals totals = CalibrationTotals.empty();
        BigDecimal expected = BigDecimal.ZERO;
        for (int i = 0; i < 1000; i++) {
            BigDecimal shadow = BigDecimal.valueOf(random.nextInt(1_000_000), 9); // up to 0.000999999
            BigDecimal judge = BigDecimal.valueOf(random.nextInt(3), 9);
            CalibrationSample s = sample(TaskType.SUMMARIZATION, true, "0", "2026-12-01T10:00:00Z");
            s.setShadowCostUsd(Money.usd(shadow));
            s.setJudgeCostUsd(Money.usd(judge));
            totals = totals.plus(s);
            expected = expected.add(shadow).add(judge);
        }
        assertThat(totals.sampleCostUsd()).isEqualByComparingTo(expected);
        assertThat(totals.sampleCostUsd().scale()).isEqualTo(Money.SCALE);
    }

    @Test
    void theTrendKeepsOnlyTheLatestTwentyFourHoursOfEventTime() {
        CalibrationTotals totals = CalibrationTotals.empty()
                .plus(sample(TaskType.EXTRACTION, false, "0.001", "2026-12-01T00:10:00Z"))
                .plus(sample(TaskType.EXTRACTION, false, "0.001", "2026-12-01T12:00:00Z"))
                .plus(sample(TaskType.EXTRACTION, true, "0.001", "2026-12-01T23:59:00Z"));
        assertThat(totals.recentSamples()).isEqualTo(3);
        assertThat(totals.recentAgreed()).isEqualTo(1);

        // the hour of 00:xx on the 1st falls out once a sample of 00:xx on the 2nd arrives
        totals = totals.plus(sample(TaskType.EXTRACTION, true, "0.001", "2026-12-02T00:05:00Z"));
        assertThat(totals.recentSamples()).isEqualTo(3);
        assertThat(totals.recentAgreed()).isEqualTo(2);
        assertThat(totals.samples()).isEqualTo(4);

        // a day later only the new sample is recent; the totals keep everything
        totals = totals.plus(sample(TaskType.EXTRACTION, true, "0.001", "2026-12-03T06:00:00Z"));
        assertThat(totals.recentSamples()).isEqualTo(1);
        assertThat(totals.samples()).isEqualTo(5);
        assertThat(totals.agreed()).isEqualTo(3);
    }

    @Test
    void aLateSampleCountsInTheTotalsButNotInTheTrendNorTheLatestReference() {
        CalibrationSample late = sample(TaskType.EXTRACTION, true, "0.001", "2026-11-28T10:00:00Z");
        late.setReferenceModel("anthropic/claude-haiku-4.5");
        CalibrationTotals totals = CalibrationTotals.empty()
                .plus(sample(TaskType.EXTRACTION, false, "0.001", "2026-12-01T10:00:00Z"))
                .plus(late);
        CalibrationStat stat = totals.toStat();
        assertThat(stat.getSamples()).isEqualTo(2);
        assertThat(stat.getRecentSamples()).isEqualTo(1);
        assertThat(stat.getRecentAgreed()).isZero();
        assertThat(stat.getReferenceModel()).isEqualTo("deepseek/deepseek-chat");
        assertThat(stat.getFirstSampleAt()).isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
        assertThat(stat.getLastSampleAt()).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
    }

    @Test
    void survivesItsBinaryFormat() {
        CalibrationTotals totals = CalibrationTotals.empty()
                .plus(sample(TaskType.CODE_REVIEW, true, "0.012345678", "2026-12-01T10:00:00Z"))
                .plus(sample(TaskType.CODE_REVIEW, false, "0.000000001", "2026-12-01T11:30:00Z"));
        CalibrationTotals read = CalibrationTotals.fromBytes(CalibrationTotals.toBytes(totals));
        assertThat(read.toStat()).isEqualTo(totals.toStat());
        assertThat(CalibrationTotals.fromBytes(CalibrationTotals.toBytes(CalibrationTotals.empty()))
                        .samples())
                .isZero();
    }
}
