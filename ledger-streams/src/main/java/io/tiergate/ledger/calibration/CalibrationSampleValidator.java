package io.tiergate.ledger.calibration;

import io.tiergate.schemas.events.CalibrationSample;
import java.time.Duration;

/**
 * Checks one {@code routing.calibration.samples} record before it counts. Rejected (to the
 * {@code .dlq} twin, field named): a tombstone; a key other than {@code TASKTYPE|localModel} of the
 * sample itself (the aggregate is per key, so a mis-keyed sample would count under the wrong
 * type); an empty requestId, localModel or referenceModel; an agreement that is not a number in
 * [0, 1]; a missing or negative shadow or judge cost; an occurredAt missing or further than the
 * clock skew into the future.
 */
public final class CalibrationSampleValidator {

    private final long maxClockSkewMs;

    public CalibrationSampleValidator(Duration maxClockSkew) {
        this.maxClockSkewMs = maxClockSkew.toMillis();
    }

    /** The key a sample must have: {@code TASKTYPE|localModel}. */
    public static String keyOf(CalibrationSample sample) {
        return sample.getTaskType().name() + "|" + sample.getLocalModel();
    }

    /** @throws InvalidCalibrationSampleException naming the first offending field */
    public CalibrationSample validate(String key, CalibrationSample sample, long wallClockMs) {
        if (sample == null) {
            throw new InvalidCalibrationSampleException("value", "a tombstone is not a calibration sample");
        }
        if (blank(sample.getRequestId())) {
            throw new InvalidCalibrationSampleException("requestId", "must not be empty");
        }
        if (blank(sample.getLocalModel())) {
            throw new InvalidCalibrationSampleException("localModel", "must not be empty");
        }
        if (blank(sample.getReferenceModel())) {
            throw new InvalidCalibrationSampleException("referenceModel", "must not be empty");
        }
        if (!keyOf(sample).equals(key)) {
            throw new InvalidCalibrationSampleException(
                    "key", "must be taskType|localModel '" + keyOf(sample) + "', was '" + key + "'");
        }
        double agreement = sample.getAgreement();
        if (Double.isNaN(agreement) || agreement < 0.0 || agreement > 1.0) {
            throw new InvalidCalibrationSampleException("agreement", "must be in [0, 1] (was " + agreement + ")");
        }
        if (sample.getShadowCostUsd() == null || sample.getShadowCostUsd().signum() < 0) {
            throw new InvalidCalibrationSampleException("shadowCostUsd", "missing or negative");
        }
        if (sample.getJudgeCostUsd() == null || sample.getJudgeCostUsd().signum() < 0) {
            throw new InvalidCalibrationSampleException("judgeCostUsd", "missing or negative");
        }
        if (sample.getOccurredAt() == null || sample.getOccurredAt().toEpochMilli() <= 0) {
            throw new InvalidCalibrationSampleException("occurredAt", "missing");
        }
        if (sample.getOccurredAt().toEpochMilli() > wallClockMs + maxClockSkewMs) {
            throw new InvalidCalibrationSampleException(
                    "occurredAt", "in the future: " + sample.getOccurredAt() + " is ahead of the ledger's clock");
        }
        return sample;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
