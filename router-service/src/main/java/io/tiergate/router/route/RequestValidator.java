package io.tiergate.router.route;

import io.tiergate.platform.kafka.InvalidInputException;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.topics.Topics;

/** What a classified request needs before it can be routed; anything else goes to the dead letters. */
public final class RequestValidator {

    private RequestValidator() {}

    /**
     * @param maxOutputTokensLimit the largest {@code maxOutputTokens} a request may ask for ({@code
     *     tiergate.router.max-output-tokens})
     * @throws InvalidInputException naming the problem
     */
    public static void validate(ClassifiedRequest classified, int maxOutputTokensLimit) {
        if (classified.getRequest() == null || classified.getClassification() == null) {
            throw new InvalidInputException("a classified request needs its request and its classification");
        }
        String id = classified.getRequest().getRequestId();
        if (id == null || id.isBlank()) {
            throw new InvalidInputException("requestId is blank");
        }
        String costCenter = classified.getRequest().getCostCenter();
        if (costCenter == null || costCenter.isBlank()) {
            throw new InvalidInputException("request " + id + ": costCenter is blank");
        }
        if (Topics.GLOBAL_SCOPE.equals(costCenter)) {
            throw new InvalidInputException("request " + id + ": costCenter '" + Topics.GLOBAL_SCOPE
                    + "' is reserved for the global budget scope");
        }
        if (classified.getClassification().getEstimatedInputTokens() < 0) {
            throw new InvalidInputException("request " + id + ": estimatedInputTokens is negative");
        }
        double complexity = classified.getClassification().getComplexity();
        if (Double.isNaN(complexity) || complexity < 0 || complexity > 1) {
            throw new InvalidInputException("request " + id + ": complexity must be within [0, 1], was " + complexity);
        }
        Integer maxOutputTokens = classified.getRequest().getMaxOutputTokens();
        if (maxOutputTokens != null && (maxOutputTokens < 1 || maxOutputTokens > maxOutputTokensLimit)) {
            throw new InvalidInputException("request " + id + ": maxOutputTokens must be within [1, "
                    + maxOutputTokensLimit + "] (tiergate.router.max-output-tokens), was " + maxOutputTokens);
        }
    }
}
