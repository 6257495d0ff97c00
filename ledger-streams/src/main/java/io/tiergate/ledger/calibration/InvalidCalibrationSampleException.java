package io.tiergate.ledger.calibration;

import io.tiergate.platform.kafka.InvalidInputException;

/** A calibration sample the ledger cannot count; it goes to routing.calibration.samples.dlq with the field named. */
public final class InvalidCalibrationSampleException extends InvalidInputException {

    private final String field;

    public InvalidCalibrationSampleException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
