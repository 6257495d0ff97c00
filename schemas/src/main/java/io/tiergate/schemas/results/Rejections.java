package io.tiergate.schemas.results;

import io.tiergate.schemas.events.CapabilityClass;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import java.time.Instant;
import java.util.List;

/**
 * The one final result of a request refused without calling a model (budget exhausted, a deferral
 * given up, a dead-lettered request): status REJECTED, tier NONE, no model, no tokens, no cost.
 */
public final class Rejections {

    private Rejections() {}

    /**
     * @param provider the service that refused it ({@code router}, {@code classifier-service}, …)
     * @param reason the short machine-readable reason recorded in {@code reasons}
     */
    public static InferenceResult rejected(
            String requestId,
            String costCenter,
            TaskType taskType,
            String provider,
            String errorCode,
            String message,
            String reason,
            long latencyMs,
            Instant completedAt) {
        return InferenceResult.newBuilder()
                .setRequestId(requestId)
                .setCostCenter(costCenter)
                .setTaskType(taskType)
                .setStatus(ResultStatus.REJECTED)
                .setTier(Tier.NONE)
                .setModel("none")
                .setCapabilityClass(CapabilityClass.UNKNOWN)
                .setProvider(provider)
                .setSimulated(false)
                .setOutput(null)
                .setErrorCode(errorCode)
                .setErrorMessage(message)
                .setAttempts(0)
                .setReasons(List.of(reason))
                .setInputTokens(0)
                .setOutputTokens(0)
                .setTotalCostUsd(Money.ZERO)
                .setLatencyMs(latencyMs)
                .setTtftMs(null)
                .setCompletedAt(completedAt)
                .build();
    }
}
