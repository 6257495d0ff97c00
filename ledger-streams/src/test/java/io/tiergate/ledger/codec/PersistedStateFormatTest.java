package io.tiergate.ledger.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.ledger.calibration.CalibrationTotals;
import io.tiergate.ledger.scope.ScopeInput;
import io.tiergate.ledger.scope.ScopedCost;
import io.tiergate.ledger.windows.WindowTotals;
import io.tiergate.schemas.events.CalibrationJudge;
import io.tiergate.schemas.events.CalibrationSample;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HexFormat;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The bytes of the ledger's internal state as each format version wrote them (state stores,
 * changelogs, repartition topics). They are on disk and in Kafka: a change that alters them leaves
 * old state unreadable, so it needs a new format version, not an edit of these constants; the
 * bytes of an older version stay here and must still read.
 */
class PersistedStateFormatTest {

    private static final ScopedCost COST = new ScopedCost(
            "cc-eu",
            TaskType.CODE_REVIEW,
            Tier.CLOUD,
            "claude-x",
            CostReason.RETRY,
            new BigDecimal("0.012345678"),
            1200L,
            340L,
            875L,
            1700000000123L);
    private static final String COST_V1 =
            "01" + "0000000563632d6575" + "0000000b434f44455f524556494557" + "00000005434c4f5544"
                    + "00000008636c617564652d78" + "000000055245545259" + "0000000400bc614e00000009"
                    + "00000000000004b0" + "0000000000000154" + "000000000000036b" + "0000018bcfe5687b";

    /** As version 1 read it: no calibration column yet. */
    private static final WindowTotals TOTALS = new WindowTotals(
            "global",
            TaskType.SUMMARIZATION,
            Tier.LOCAL,
            "llama",
            new BigDecimal("12.500000000"),
            new BigDecimal("0.250000000"),
            new BigDecimal("1.000000001"),
            new BigDecimal("0E-9"),
            new BigDecimal("0E-9"),
            5000L,
            600L,
            7L,
            2100L);
    /** Version 1: spend, retry, escalation, fallback, tokens in/out, requests, latency sum. */
    private static final String TOTALS_V1 =
            "01" + "00000006676c6f62616c" + "0000000d53554d4d4152495a4154494f4e" + "000000054c4f43414c"
                    + "000000056c6c616d61" + "0000000502e90edd0000000009" + "000000040ee6b28000000009"
                    + "000000043b9aca0100000009" + "000000010000000009" + "0000000000001388" + "0000000000000258"
                    + "0000000000000007" + "0000000000000834";

    /** Before the first cost: no dimensions yet (null strings and enums are length -1). */
    private static final String EMPTY_TOTALS_V1 =
            "01" + "ffffffff".repeat(4) + "000000010000000009".repeat(4) + "0000000000000000".repeat(4);

    /** Version 2 appends calibrationUsd (SHADOW/JUDGE spend), here 0.0085 (unscaled 8500000 = 0x81b320). */
    private static final WindowTotals TOTALS_WITH_CALIBRATION = new WindowTotals(
            "global",
            TaskType.SUMMARIZATION,
            Tier.LOCAL,
            "llama",
            new BigDecimal("12.500000000"),
            new BigDecimal("0.250000000"),
            new BigDecimal("1.000000001"),
            new BigDecimal("0E-9"),
            new BigDecimal("0.008500000"),
            5000L,
            600L,
            7L,
            2100L);

    private static final String TOTALS_V2 = "02" + TOTALS_V1.substring(2) + "000000040081b32000000009";

    private static final String EMPTY_TOTALS_V2 = "02" + EMPTY_TOTALS_V1.substring(2) + "000000010000000009";

    /** {@code value} writes exactly {@code hex}, and {@code hex} reads back as {@code value}. */
    private static <T> void assertBytes(
            T value, String hex, Function<T, byte[]> toBytes, Function<byte[], T> fromBytes) {
        assertThat(HexFormat.of().formatHex(toBytes.apply(value))).isEqualTo(hex);
        assertThat(fromBytes.apply(HexFormat.of().parseHex(hex))).isEqualTo(value);
    }

    @Test
    void scopedCostKeepsItsVersion1Bytes() {
        assertBytes(COST, COST_V1, ScopedCost::toBytes, ScopedCost::fromBytes);
    }

    @Test
    void aCostOnTheByScopeTopicIsTaggedThenKeepsItsVersion1Bytes() {
        assertBytes(COST, "01" + COST_V1, ScopeInput::toBytes, ScopeInput::fromBytes);
    }

    @Test
    void windowTotalsKeepTheirVersion2Bytes() {
        assertBytes(TOTALS_WITH_CALIBRATION, TOTALS_V2, WindowTotals::toBytes, WindowTotals::fromBytes);
    }

    @Test
    void emptyWindowTotalsKeepTheirVersion2Bytes() {
        assertBytes(WindowTotals.empty(), EMPTY_TOTALS_V2, WindowTotals::toBytes, WindowTotals::fromBytes);
    }

    @Test
    void windowTotalsWrittenAsVersion1ReadWithZeroCalibration() {
        assertThat(WindowTotals.fromBytes(HexFormat.of().parseHex(TOTALS_V1))).isEqualTo(TOTALS);
        assertThat(WindowTotals.fromBytes(HexFormat.of().parseHex(EMPTY_TOTALS_V1)))
                .isEqualTo(WindowTotals.empty());
        // and they are written back as version 2
        assertThat(HexFormat.of().formatHex(WindowTotals.toBytes(TOTALS)))
                .isEqualTo("02" + TOTALS_V1.substring(2) + "000000010000000009");
    }

    @Test
    void windowTotalsOfAnUnknownVersionAreRefusedNamingIt() {
        assertThatThrownBy(() -> WindowTotals.fromBytes(HexFormat.of().parseHex("03" + TOTALS_V2.substring(2))))
                .hasRootCauseMessage("Unsupported WindowTotals format version 3 (expected 1 to 2)");
    }

    /** Two samples of one key, 90 minutes apart: totals, exact cost and two hourly buckets. */
    private static final String CALIBRATION_V1 =
            "01" + "01" + "0000000a45585452414354494f4e" + "000000087177656e333a3862"
                    + "00000016646565707365656b2f646565707365656b2d63686174" + "000000064649454c4453"
                    + "0000000000000002" + "0000000000000001" + "000000030acda000000009"
                    + "0000018bcfe5687b" + "0000018bd037ce3b" + "00000002"
                    + "0000018bcfd93300" + "0000000000000001" + "0000000000000001"
                    + "0000018bd0102180" + "0000000000000001" + "0000000000000000";

    @Test
    void calibrationTotalsKeepTheirVersion1Bytes() {
        CalibrationSample first = CalibrationSample.newBuilder()
                .setRequestId("r-1")
                .setCostCenter("cc-eu")
                .setTaskType(TaskType.EXTRACTION)
                .setLocalModel("qwen3:8b")
                .setReferenceModel("deepseek/deepseek-chat")
                .setJudge(CalibrationJudge.FIELDS)
                .setAgreement(0.95)
                .setAgreed(true)
                .setShadowCostUsd(new BigDecimal("0.000354000"))
                .setJudgeCostUsd(new BigDecimal("0E-9"))
                .setOccurredAt(Instant.ofEpochMilli(1700000000123L))
                .build();
        CalibrationSample second = CalibrationSample.newBuilder(first)
                .setRequestId("r-2")
                .setAgreement(0.2)
                .setAgreed(false)
                .setOccurredAt(Instant.ofEpochMilli(1700000000123L + 90 * 60_000L))
                .build();
        CalibrationTotals totals = CalibrationTotals.empty().plus(first).plus(second);
        assertThat(HexFormat.of().formatHex(CalibrationTotals.toBytes(totals))).isEqualTo(CALIBRATION_V1);
        CalibrationTotals read = CalibrationTotals.fromBytes(HexFormat.of().parseHex(CALIBRATION_V1));
        assertThat(read.toStat()).isEqualTo(totals.toStat());
        assertThat(read.toStat().getRecentSamples()).isEqualTo(2);
        assertThat(read.sampleCostUsd()).isEqualTo(new BigDecimal("0.000708000"));
    }
}
