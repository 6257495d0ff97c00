package io.tiergate.ledger.scope;

import io.tiergate.schemas.events.AttemptStarted;

/**
 * Accepts or rejects an {@code inference.attempts} record before its worst case counts as open
 * spend. Its worst case must be a cost event the ledger would count ({@link CostEventValidator},
 * fields named {@code worstCase.<field>}) of the same {@code (requestId, attempt)}, and the record
 * must be keyed by its request id: an attempt on another partition than its cost event would never
 * be settled and would count twice. Rejected records go to {@code inference.attempts.dlq}.
 */
public final class AttemptStartedValidator {

    private final CostEventValidator costRules;

    public AttemptStartedValidator(CostEventValidator costRules) {
        this.costRules = costRules;
    }

    /** @throws InvalidCostEventException naming the first offending field */
    public AttemptStarted validate(String key, AttemptStarted started, long wallClockMs) {
        if (started == null) {
            throw new InvalidCostEventException("value", "a tombstone is not an attempt");
        }
        if (started.getRequestId() == null || started.getRequestId().isEmpty()) {
            throw new InvalidCostEventException("requestId", "must not be empty");
        }
        if (!started.getRequestId().equals(key)) {
            throw new InvalidCostEventException("key", "must be the request id " + started.getRequestId());
        }
        if (started.getWorstCase() == null) {
            throw new InvalidCostEventException("worstCase", "missing");
        }
        try {
            costRules.validate(started.getWorstCase(), wallClockMs);
        } catch (InvalidCostEventException invalid) {
            String problem = invalid.getMessage().substring(invalid.field().length() + 2);
            throw new InvalidCostEventException("worstCase." + invalid.field(), problem);
        }
        if (!started.getRequestId().equals(started.getWorstCase().getRequestId())
                || started.getAttempt() != started.getWorstCase().getAttempt()) {
            throw new InvalidCostEventException(
                    "worstCase.attempt",
                    "(" + started.getWorstCase().getRequestId() + ", "
                            + started.getWorstCase().getAttempt() + ") is not the attempt (" + started.getRequestId()
                            + ", " + started.getAttempt() + ")");
        }
        if (started.getStartedAt() == null) {
            throw new InvalidCostEventException("startedAt", "missing");
        }
        return started;
    }
}
