package io.tiergate.ledger.support;

import io.tiergate.schemas.events.CostBreakdown;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.CostSource;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import java.math.BigDecimal;
import java.time.Instant;

/** Cost events for tests: a builder with sensible defaults (cloud, CODE_REVIEW, PRIMARY). */
public final class CostEvents {

    private String requestId = "r-1";
    private int attempt = 1;
    private String costCenter = "ci-agents";
    private TaskType taskType = TaskType.CODE_REVIEW;
    private Tier tier = Tier.CLOUD;
    private String model = "anthropic/claude-sonnet-4.6";
    private CostReason reason = CostReason.PRIMARY;
    private BigDecimal costUsd = Money.usd("0.010000000");
    private long inputTokens = 1000;
    private long outputTokens = 200;
    private long latencyMs = 1500;
    private Instant occurredAt = Instant.parse("2026-11-22T10:00:00Z");

    public static CostEvents cost(String requestId) {
        CostEvents builder = new CostEvents();
        builder.requestId = requestId;
        return builder;
    }

    public CostEvents attempt(int value) {
        attempt = value;
        return this;
    }

    public CostEvents costCenter(String value) {
        costCenter = value;
        return this;
    }

    public CostEvents taskType(TaskType value) {
        taskType = value;
        return this;
    }

    public CostEvents tier(Tier value) {
        tier = value;
        return this;
    }

    public CostEvents model(String value) {
        model = value;
        return this;
    }

    public CostEvents reason(CostReason value) {
        reason = value;
        return this;
    }

    public CostEvents usd(String value) {
        costUsd = Money.usd(value);
        return this;
    }

    public CostEvents usd(BigDecimal value) {
        costUsd = Money.usd(value);
        return this;
    }

    public CostEvents latencyMs(long value) {
        latencyMs = value;
        return this;
    }

    public CostEvents tokens(long input, long output) {
        inputTokens = input;
        outputTokens = output;
        return this;
    }

    public CostEvents at(String isoInstant) {
        occurredAt = Instant.parse(isoInstant);
        return this;
    }

    public CostEvents at(Instant value) {
        occurredAt = value;
        return this;
    }

    public String requestId() {
        return requestId;
    }

    public CostEvent build() {
        return CostEvent.newBuilder()
                .setRequestId(requestId)
                .setAttempt(attempt)
                .setCostCenter(costCenter)
                .setTaskType(taskType)
                .setTier(tier)
                .setModel(model)
                .setProvider(tier == Tier.LOCAL ? "ollama" : "openrouter")
                .setReason(reason)
                .setInputTokens(inputTokens)
                .setOutputTokens(outputTokens)
                .setCostUsd(costUsd)
                .setBreakdown(CostBreakdown.newBuilder()
                        .setSource(tier == Tier.LOCAL ? CostSource.LOCAL_TCO : CostSource.PRICE_TABLE)
                        .setInputUsd(costUsd)
                        .setOutputUsd(Money.ZERO)
                        .setCachedReadUsd(Money.ZERO)
                        .setCacheWriteUsd(Money.ZERO)
                        .setEnergyUsd(Money.ZERO)
                        .setDepreciationUsd(Money.ZERO)
                        .setMaintenanceUsd(Money.ZERO)
                        .build())
                .setLatencyMs(latencyMs)
                .setOccurredAt(occurredAt)
                .build();
    }
}
