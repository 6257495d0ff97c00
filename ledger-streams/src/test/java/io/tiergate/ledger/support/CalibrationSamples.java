package io.tiergate.ledger.support;

import io.tiergate.schemas.events.CalibrationJudge;
import io.tiergate.schemas.events.CalibrationSample;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.money.Money;
import java.time.Instant;
import java.util.UUID;

/** Calibration samples for tests: a judged shadow comparison of qwen3:8b with deepseek-chat. */
public final class CalibrationSamples {

    private CalibrationSamples() {}

    public static CalibrationSample sample(TaskType type, boolean agreed, String shadowUsd, String occurredAtIso) {
        return CalibrationSample.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setCostCenter("cc-test")
                .setTaskType(type)
                .setLocalModel("qwen3:8b")
                .setReferenceModel("deepseek/deepseek-chat")
                .setJudge(type == TaskType.EXTRACTION ? CalibrationJudge.FIELDS : CalibrationJudge.EMBEDDING)
                .setAgreement(agreed ? 0.97 : 0.4)
                .setAgreed(agreed)
                .setShadowCostUsd(Money.usd(shadowUsd))
                .setJudgeCostUsd(Money.ZERO)
                .setSimulated(true)
                .setOccurredAt(Instant.parse(occurredAtIso))
                .build();
    }

    public static String keyOf(CalibrationSample sample) {
        return sample.getTaskType().name() + "|" + sample.getLocalModel();
    }
}
