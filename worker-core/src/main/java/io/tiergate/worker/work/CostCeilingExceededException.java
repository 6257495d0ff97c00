package io.tiergate.worker.work;

/**
 * {@link Work#call} refused a call whose worst case does not fit the request's {@link CostCeiling}: no
 * call was made. Handlers check {@link Work#ceilingRefusal} first and finish with {@link
 * CostCeiling#ERROR_CODE}; this is the backstop for one that did not.
 */
public final class CostCeilingExceededException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public CostCeilingExceededException(String message) {
        super(message);
    }
}
