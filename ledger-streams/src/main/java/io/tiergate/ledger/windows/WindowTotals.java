package io.tiergate.ledger.windows;

import io.tiergate.ledger.codec.Binary;
import io.tiergate.ledger.scope.CostDimensions;
import io.tiergate.ledger.scope.ScopedCost;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.CostWindow;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.events.WindowKind;
import io.tiergate.schemas.money.Money;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Running totals of one scope × task type × tier × model in one window (or over all time). Spend
 * is exact (scale 9); latency is kept as a sum so the average is computed once, at the edge.
 * Rework is split by reason so ops see which kind of rework a task type causes; calibration
 * (SHADOW and JUDGE calls) is a column of its own, part of spend but not of rework.
 */
public record WindowTotals(
        String scope,
        TaskType taskType,
        Tier tier,
        String model,
        BigDecimal spendUsd,
        BigDecimal retryUsd,
        BigDecimal escalationUsd,
        BigDecimal fallbackUsd,
        BigDecimal calibrationUsd,
        long inputTokens,
        long outputTokens,
        long requestCount,
        long latencySumMs) {

    /**
     * Version 2 appends calibrationUsd; version 1 (written before it) still reads, with calibration
     * zero (its SHADOW/JUDGE spend is in spendUsd only).
     */
    private static final CostDimensions.Format<WindowTotals> FORMAT = new CostDimensions.Format<>(
            "WindowTotals", 2, 1, WindowTotals::dimensions, WindowTotals::writeFields, WindowTotals::readFields);

    /** Before the first cost: the aggregator fills the dimensions from it. */
    public static WindowTotals empty() {
        return new WindowTotals(
                null, null, null, null, Money.ZERO, Money.ZERO, Money.ZERO, Money.ZERO, Money.ZERO, 0, 0, 0, 0);
    }

    public WindowTotals plus(ScopedCost cost) {
        BigDecimal amount = cost.costUsd();
        CostReason reason = cost.reason();
        return new WindowTotals(
                cost.scope(),
                cost.taskType(),
                cost.tier(),
                cost.model(),
                Money.sum(spendUsd, amount),
                reason == CostReason.RETRY ? Money.sum(retryUsd, amount) : retryUsd,
                reason == CostReason.ESCALATION ? Money.sum(escalationUsd, amount) : escalationUsd,
                reason == CostReason.FALLBACK ? Money.sum(fallbackUsd, amount) : fallbackUsd,
                cost.calibration() ? Money.sum(calibrationUsd, amount) : calibrationUsd,
                inputTokens + cost.inputTokens(),
                outputTokens + cost.outputTokens(),
                requestCount + 1,
                latencySumMs + cost.latencyMs());
    }

    /** Adds another set of totals (the HTTP API sums windows); dimensions are this one's. */
    public WindowTotals plus(WindowTotals other) {
        return new WindowTotals(
                scope != null ? scope : other.scope,
                taskType != null ? taskType : other.taskType,
                tier != null ? tier : other.tier,
                model != null ? model : other.model,
                Money.sum(spendUsd, other.spendUsd),
                Money.sum(retryUsd, other.retryUsd),
                Money.sum(escalationUsd, other.escalationUsd),
                Money.sum(fallbackUsd, other.fallbackUsd),
                Money.sum(calibrationUsd, other.calibrationUsd),
                inputTokens + other.inputTokens,
                outputTokens + other.outputTokens,
                requestCount + other.requestCount,
                latencySumMs + other.latencySumMs);
    }

    /** Spend on RETRY, ESCALATION and FALLBACK attempts. */
    public BigDecimal reworkUsd() {
        return Money.sum(Money.sum(retryUsd, escalationUsd), fallbackUsd);
    }

    public double avgLatencyMs() {
        return requestCount == 0 ? 0.0 : (double) latencySumMs / requestCount;
    }

    public CostWindow toCostWindow(WindowKind kind, long start, long end, boolean closed, long updatedAt) {
        return CostWindow.newBuilder()
                .setScope(scope)
                .setTaskType(taskType)
                .setTier(tier)
                .setModel(model)
                .setWindowKind(kind)
                .setWindowStart(Instant.ofEpochMilli(start))
                .setWindowEnd(Instant.ofEpochMilli(end))
                .setSpendUsd(spendUsd)
                .setReworkSpendUsd(reworkUsd())
                .setCalibrationSpendUsd(calibrationUsd)
                .setInputTokens(inputTokens)
                .setOutputTokens(outputTokens)
                .setRequestCount(requestCount)
                .setAvgLatencyMs(avgLatencyMs())
                .setClosed(closed)
                .setUpdatedAt(Instant.ofEpochMilli(updatedAt))
                .build();
    }

    private CostDimensions dimensions() {
        return new CostDimensions(scope, taskType, tier, model);
    }

    public static byte[] toBytes(WindowTotals totals) {
        return FORMAT.toBytes(totals);
    }

    public static WindowTotals fromBytes(byte[] data) {
        return FORMAT.fromBytes(data);
    }

    private static void writeFields(WindowTotals totals, DataOutput out) throws IOException {
        Binary.writeDecimal(out, totals.spendUsd);
        Binary.writeDecimal(out, totals.retryUsd);
        Binary.writeDecimal(out, totals.escalationUsd);
        Binary.writeDecimal(out, totals.fallbackUsd);
        out.writeLong(totals.inputTokens);
        out.writeLong(totals.outputTokens);
        out.writeLong(totals.requestCount);
        out.writeLong(totals.latencySumMs);
        Binary.writeDecimal(out, totals.calibrationUsd);
    }

    private static WindowTotals readFields(int version, CostDimensions d, DataInput in) throws IOException {
        BigDecimal spend = Binary.readDecimal(in);
        BigDecimal retry = Binary.readDecimal(in);
        BigDecimal escalation = Binary.readDecimal(in);
        BigDecimal fallback = Binary.readDecimal(in);
        long inputTokens = in.readLong();
        long outputTokens = in.readLong();
        long requestCount = in.readLong();
        long latencySumMs = in.readLong();
        BigDecimal calibration = version >= 2 ? Binary.readDecimal(in) : Money.ZERO;
        return new WindowTotals(
                d.scope(),
                d.taskType(),
                d.tier(),
                d.model(),
                spend,
                retry,
                escalation,
                fallback,
                calibration,
                inputTokens,
                outputTokens,
                requestCount,
                latencySumMs);
    }
}
