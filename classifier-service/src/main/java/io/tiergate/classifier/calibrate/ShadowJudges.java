package io.tiergate.classifier.calibrate;

import io.tiergate.schemas.events.CalibrationSample;
import io.tiergate.schemas.events.ShadowAnswer;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.money.Money;
import java.time.Clock;

/**
 * One judge per task type (docs/calibration.md, "Judges"): CLASSIFICATION by {@link LabelJudge},
 * EXTRACTION by {@link FieldsJudge}, every other type by {@link EmbeddingJudge} (no LLM judge is
 * built: code and design answers are compared by embedding too, and {@code judgeCostUsd} is 0).
 * Turns a shadow answer into the {@link CalibrationSample} the ledger aggregates.
 */
public final class ShadowJudges {

    private final LabelJudge label = new LabelJudge();
    private final FieldsJudge fields;
    private final EmbeddingJudge embedding;
    private final Clock clock;

    public ShadowJudges(FieldsJudge fields, EmbeddingJudge embedding, Clock clock) {
        this.fields = fields;
        this.embedding = embedding;
        this.clock = clock;
    }

    public Verdict judge(TaskType type, String local, String reference) {
        return switch (type) {
            case CLASSIFICATION -> label.judge(local, reference);
            case EXTRACTION -> fields.judge(local, reference);
            default -> embedding.judge(local, reference);
        };
    }

    public CalibrationSample sample(ShadowAnswer answer) {
        Verdict v = judge(answer.getTaskType(), answer.getLocalAnswer(), answer.getReferenceAnswer());
        return CalibrationSample.newBuilder()
                .setRequestId(answer.getRequestId())
                .setCostCenter(answer.getCostCenter())
                .setTaskType(answer.getTaskType())
                .setLocalModel(answer.getLocalModel())
                .setReferenceModel(answer.getReferenceModel())
                .setJudge(v.judge())
                .setAgreement(v.agreement())
                .setAgreed(v.agreed())
                .setShadowCostUsd(Money.usd(answer.getShadowCostUsd()))
                .setJudgeCostUsd(Money.ZERO)
                .setSimulated(answer.getSimulated())
                .setOccurredAt(clock.instant())
                .build();
    }

    /** The key of a sample: {@code TASKTYPE|localModel} (Topics.CALIBRATION_SAMPLES). */
    public static String key(CalibrationSample sample) {
        return sample.getTaskType().name() + "|" + sample.getLocalModel();
    }
}
