package io.tiergate.ledger.scope;

import io.tiergate.schemas.events.CostEvent;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * Accepts or rejects an {@code inference.costs} record before it is counted. Rejected records go
 * to {@code inference.costs.dlq} with the field named: nothing is counted from them, nothing is
 * silently dropped.
 *
 * <p>A cost event dated further into the future than the allowed clock skew is rejected: it would
 * advance stream time and close every open window early. A cost above {@code maxCostUsdPerEvent}
 * or a token count above {@code maxTokensPerEvent} is rejected as absurd: counted, it would push a
 * total past what {@code decimal(20,9)} (or a long) can hold, the ledger's outputs would no longer
 * serialize and its transaction would be retried forever (docs/ledger.md, "Cost event validation").
 */
public final class CostEventValidator {

    private final long maxClockSkewMs;
    private final BigDecimal maxCostUsdPerEvent;
    private final long maxTokensPerEvent;

    public CostEventValidator(Duration maxClockSkew, BigDecimal maxCostUsdPerEvent, long maxTokensPerEvent) {
        this.maxClockSkewMs = maxClockSkew.toMillis();
        this.maxCostUsdPerEvent = maxCostUsdPerEvent;
        this.maxTokensPerEvent = maxTokensPerEvent;
    }

    /** @throws InvalidCostEventException naming the first offending field */
    public CostEvent validate(CostEvent event, long wallClockMs) {
        if (event == null) {
            throw new InvalidCostEventException("value", "a tombstone is not a cost event");
        }
        if (blank(event.getRequestId())) {
            throw new InvalidCostEventException("requestId", "must not be empty");
        }
        if (event.getAttempt() < 0) {
            throw new InvalidCostEventException("attempt", "must not be negative (was " + event.getAttempt() + ")");
        }
        if (blank(event.getCostCenter())) {
            throw new InvalidCostEventException("costCenter", "must not be empty");
        }
        if (event.getModel() == null) {
            throw new InvalidCostEventException("model", "missing");
        }
        if (event.getCostUsd() == null) {
            throw new InvalidCostEventException("costUsd", "missing");
        }
        if (event.getCostUsd().signum() < 0) {
            throw new InvalidCostEventException(
                    "costUsd", "must not be negative (was " + event.getCostUsd().toPlainString() + ")");
        }
        if (event.getCostUsd().compareTo(maxCostUsdPerEvent) > 0) {
            throw new InvalidCostEventException(
                    "costUsd",
                    "absurd: " + event.getCostUsd().toPlainString() + " USD is above the maximum of "
                            + maxCostUsdPerEvent.toPlainString() + " USD per event");
        }
        tokens("inputTokens", event.getInputTokens());
        tokens("outputTokens", event.getOutputTokens());
        tokens("cachedReadTokens", event.getCachedReadTokens());
        tokens("cacheWriteTokens", event.getCacheWriteTokens());
        if (event.getLatencyMs() < 0) {
            throw new InvalidCostEventException("latencyMs", "must not be negative (was " + event.getLatencyMs() + ")");
        }
        if (event.getOccurredAt() == null || event.getOccurredAt().toEpochMilli() <= 0) {
            throw new InvalidCostEventException("occurredAt", "missing");
        }
        long occurredAt = event.getOccurredAt().toEpochMilli();
        if (occurredAt > wallClockMs + maxClockSkewMs) {
            throw new InvalidCostEventException(
                    "occurredAt",
                    "in the future: " + event.getOccurredAt() + " is more than " + Duration.ofMillis(maxClockSkewMs)
                            + " ahead of the ledger's clock");
        }
        return event;
    }

    private void tokens(String field, long count) {
        if (count < 0) {
            throw new InvalidCostEventException(field, "must not be negative (was " + count + ")");
        }
        if (count > maxTokensPerEvent) {
            throw new InvalidCostEventException(
                    field, "absurd: " + count + " is above the maximum of " + maxTokensPerEvent + " per event");
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
