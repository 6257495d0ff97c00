package io.tiergate.ledger.calibration;

import io.tiergate.ledger.codec.Binary;
import io.tiergate.schemas.events.CalibrationJudge;
import io.tiergate.schemas.events.CalibrationSample;
import io.tiergate.schemas.events.CalibrationStat;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.money.Money;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The running calibration of one local model on one task type (one {@code TASKTYPE|localModel}
 * key): every sample counted, exact sample cost, and hourly buckets of the latest 24 hours for the
 * trend. Immutable; {@link #plus} returns the next state.
 *
 * <p>"Latest 24 hours" is event time: the 24 hourly buckets up to the hour of the newest sample
 * seen ({@code lastSampleAt}). Older buckets age out as newer samples arrive; a sample older than
 * that counts in the totals but not in the trend. The trend only moves when samples arrive: a key
 * that stops receiving samples keeps its last published trend (docs/calibration.md, "Aggregation").
 */
public final class CalibrationTotals {

    static final Duration RECENT = Duration.ofHours(24);
    private static final long HOUR_MS = Duration.ofHours(1).toMillis();
    private static final int FORMAT_VERSION = 1;

    private final TaskType taskType;
    private final String localModel;
    private final String referenceModel;
    private final CalibrationJudge judge;
    private final long samples;
    private final long agreed;
    private final BigDecimal sampleCostUsd;
    private final long firstSampleAtMs;
    private final long lastSampleAtMs;
    /** hour start (epoch ms) → {samples, agreed}; only the hours of the latest 24 h. */
    private final NavigableMap<Long, long[]> hours;

    private CalibrationTotals(
            TaskType taskType,
            String localModel,
            String referenceModel,
            CalibrationJudge judge,
            long samples,
            long agreed,
            BigDecimal sampleCostUsd,
            long firstSampleAtMs,
            long lastSampleAtMs,
            NavigableMap<Long, long[]> hours) {
        this.taskType = taskType;
        this.localModel = localModel;
        this.referenceModel = referenceModel;
        this.judge = judge;
        this.samples = samples;
        this.agreed = agreed;
        this.sampleCostUsd = sampleCostUsd;
        this.firstSampleAtMs = firstSampleAtMs;
        this.lastSampleAtMs = lastSampleAtMs;
        this.hours = hours;
    }

    /** Nothing counted yet (the aggregate's initial value). */
    public static CalibrationTotals empty() {
        return new CalibrationTotals(
                null,
                null,
                null,
                CalibrationJudge.UNKNOWN,
                0,
                0,
                Money.ZERO,
                Long.MAX_VALUE,
                Long.MIN_VALUE,
                Collections.emptyNavigableMap());
    }

    /** The totals with one more (validated) sample counted. */
    public CalibrationTotals plus(CalibrationSample sample) {
        long at = sample.getOccurredAt().toEpochMilli();
        long newest = Math.max(lastSampleAtMs, at);
        boolean latest = at >= lastSampleAtMs;
        TreeMap<Long, long[]> next = new TreeMap<>();
        long oldestHour = hourOf(newest) - (RECENT.toMillis() - HOUR_MS);
        for (Map.Entry<Long, long[]> e : hours.tailMap(oldestHour, true).entrySet()) {
            next.put(e.getKey(), e.getValue().clone());
        }
        if (hourOf(at) >= oldestHour) {
            long[] bucket = next.computeIfAbsent(hourOf(at), h -> new long[2]);
            bucket[0]++;
            bucket[1] += sample.getAgreed() ? 1 : 0;
        }
        return new CalibrationTotals(
                sample.getTaskType(),
                sample.getLocalModel(),
                latest || referenceModel == null ? sample.getReferenceModel() : referenceModel,
                latest || referenceModel == null ? sample.getJudge() : judge,
                samples + 1,
                agreed + (sample.getAgreed() ? 1 : 0),
                Money.sum(Money.sum(sampleCostUsd, sample.getShadowCostUsd()), sample.getJudgeCostUsd()),
                Math.min(firstSampleAtMs, at),
                newest,
                Collections.unmodifiableNavigableMap(next));
    }

    public long samples() {
        return samples;
    }

    public long agreed() {
        return agreed;
    }

    public BigDecimal sampleCostUsd() {
        return sampleCostUsd;
    }

    public long recentSamples() {
        return hours.values().stream().mapToLong(b -> b[0]).sum();
    }

    public long recentAgreed() {
        return hours.values().stream().mapToLong(b -> b[1]).sum();
    }

    /** The public record (routing.calibration); only for totals with at least one sample. */
    public CalibrationStat toStat() {
        if (samples == 0) {
            throw new IllegalStateException("no samples counted");
        }
        Wilson interval = Wilson.interval95(agreed, samples);
        return CalibrationStat.newBuilder()
                .setTaskType(taskType)
                .setLocalModel(localModel)
                .setReferenceModel(referenceModel)
                .setJudge(judge)
                .setSamples(samples)
                .setAgreed(agreed)
                .setAgreementRate((double) agreed / samples)
                .setLower95(interval.lower())
                .setUpper95(interval.upper())
                .setSampleCostUsd(sampleCostUsd)
                .setRecentSamples(recentSamples())
                .setRecentAgreed(recentAgreed())
                .setFirstSampleAt(Instant.ofEpochMilli(firstSampleAtMs))
                .setLastSampleAt(Instant.ofEpochMilli(lastSampleAtMs))
                .build();
    }

    private static long hourOf(long epochMs) {
        return Math.floorDiv(epochMs, HOUR_MS) * HOUR_MS;
    }

    public static byte[] toBytes(CalibrationTotals totals) {
        return Binary.write(out -> totals.writeTo(out));
    }

    public static CalibrationTotals fromBytes(byte[] data) {
        return Binary.read(data, CalibrationTotals::readFrom);
    }

    private void writeTo(DataOutput out) throws IOException {
        out.writeByte(FORMAT_VERSION);
        out.writeBoolean(taskType != null);
        if (taskType != null) {
            Binary.writeEnum(out, taskType);
            Binary.writeString(out, localModel);
            Binary.writeString(out, referenceModel);
        }
        Binary.writeEnum(out, judge);
        out.writeLong(samples);
        out.writeLong(agreed);
        Binary.writeDecimal(out, sampleCostUsd);
        out.writeLong(firstSampleAtMs);
        out.writeLong(lastSampleAtMs);
        out.writeInt(hours.size());
        for (Map.Entry<Long, long[]> e : hours.entrySet()) {
            out.writeLong(e.getKey());
            out.writeLong(e.getValue()[0]);
            out.writeLong(e.getValue()[1]);
        }
    }

    private static CalibrationTotals readFrom(DataInput in) throws IOException {
        Binary.checkVersion(in, FORMAT_VERSION, "CalibrationTotals");
        TaskType type = null;
        String local = null;
        String reference = null;
        if (in.readBoolean()) {
            type = Binary.readEnum(in, TaskType.class, TaskType.UNKNOWN);
            local = Binary.readString(in);
            reference = Binary.readString(in);
        }
        CalibrationJudge judge = Binary.readEnum(in, CalibrationJudge.class, CalibrationJudge.UNKNOWN);
        long samples = in.readLong();
        long agreed = in.readLong();
        BigDecimal cost = Binary.readDecimal(in);
        long first = in.readLong();
        long last = in.readLong();
        int count = in.readInt();
        TreeMap<Long, long[]> hours = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            long hour = in.readLong();
            hours.put(hour, new long[] {in.readLong(), in.readLong()});
        }
        return new CalibrationTotals(
                type,
                local,
                reference,
                judge,
                samples,
                agreed,
                cost,
                first,
                last,
                Collections.unmodifiableNavigableMap(hours));
    }
}
