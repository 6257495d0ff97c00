package io.tiergate.worker.work;

import io.tiergate.schemas.cost.Cost;
import io.tiergate.schemas.cost.TokenUsage;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.worker.backend.ModelCallException;
import io.tiergate.worker.backend.ModelResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One call of one model for one request, priced: becomes exactly one {@code CostEvent}.
 *
 * @param number the request-wide attempt number (1 = the router's primary call)
 * @param response present when the model answered
 * @param failure present when it did not
 */
public record Attempt(
        int number,
        String model,
        String provider,
        CostReason reason,
        boolean simulated,
        TokenUsage usage,
        Cost cost,
        Duration latency,
        Instant occurredAt,
        Optional<ModelResponse> response,
        Optional<ModelCallException> failure) {

    public boolean success() {
        return response.isPresent();
    }

    /** The failure's error code, or "ok". */
    public String outcomeCode() {
        return failure.map(ModelCallException::errorCode).orElse("ok");
    }
}
