package io.tiergate.classifier.calibrate;

import io.tiergate.schemas.events.CalibrationJudge;

/**
 * A judge's verdict on a local answer against the reference answer.
 *
 * @param agreement 0..1, how far the local answer agrees with the reference
 * @param agreed agreement at or above the judge's threshold: the local answer counts as good enough
 */
public record Verdict(CalibrationJudge judge, double agreement, boolean agreed) {

    public Verdict {
        if (!(agreement >= 0 && agreement <= 1)) {
            throw new IllegalArgumentException("agreement must be in [0, 1], was " + agreement);
        }
    }

    static Verdict of(CalibrationJudge judge, double agreement, double threshold) {
        double clamped = Math.max(0, Math.min(1, agreement));
        return new Verdict(judge, clamped, clamped >= threshold);
    }
}
