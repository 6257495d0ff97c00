package io.tiergate.ledger.scope;

import io.tiergate.ledger.codec.Binary;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.topics.Topics;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * One counted cost event attributed to one scope. Every cost event is counted twice: for its cost
 * center and for the global scope (once when the cost center is itself named "global").
 */
public record ScopedCost(
        String scope,
        TaskType taskType,
        Tier tier,
        String model,
        CostReason reason,
        BigDecimal costUsd,
        long inputTokens,
        long outputTokens,
        long latencyMs,
        long occurredAtMs)
        implements ScopeInput {

    private static final CostDimensions.Format<ScopedCost> FORMAT = new CostDimensions.Format<>(
            "ScopedCost", 1, ScopedCost::dimensions, ScopedCost::writeFields, ScopedCost::readFields);

    public ScopedCost {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(costUsd, "costUsd");
    }

    /** The cost center's and the global scope's share of one event (the same full cost for each). */
    public static List<ScopedCost> of(CostEvent event) {
        ScopedCost own = forScope(event.getCostCenter(), event);
        if (Topics.GLOBAL_SCOPE.equals(event.getCostCenter())) {
            return List.of(own);
        }
        return List.of(own, forScope(Topics.GLOBAL_SCOPE, event));
    }

    private static ScopedCost forScope(String scope, CostEvent event) {
        return new ScopedCost(
                scope,
                event.getTaskType(),
                event.getTier(),
                event.getModel(),
                event.getReason(),
                event.getCostUsd(),
                event.getInputTokens(),
                event.getOutputTokens(),
                event.getLatencyMs(),
                event.getOccurredAt().toEpochMilli());
    }

    /** scope|taskType|tier|model: the analysts' dimensions, and the key windows are grouped by. */
    public String dimensionKey() {
        return scope + '|' + taskType + '|' + tier + '|' + model;
    }

    /** A RETRY, ESCALATION or FALLBACK attempt: spend on getting one answer again. */
    public boolean rework() {
        return reason == CostReason.RETRY || reason == CostReason.ESCALATION || reason == CostReason.FALLBACK;
    }

    /** A SHADOW or JUDGE call: spend on measuring answer quality (calibration), not rework. */
    public boolean calibration() {
        return reason == CostReason.SHADOW || reason == CostReason.JUDGE;
    }

    private CostDimensions dimensions() {
        return new CostDimensions(scope, taskType, tier, model);
    }

    public static byte[] toBytes(ScopedCost cost) {
        return FORMAT.toBytes(cost);
    }

    public static ScopedCost fromBytes(byte[] data) {
        return FORMAT.fromBytes(data);
    }

    void writeTo(DataOutput out) throws IOException {
        FORMAT.write(this, out);
    }

    static ScopedCost readFrom(DataInput in) throws IOException {
        return FORMAT.read(in);
    }

    private static void writeFields(ScopedCost cost, DataOutput out) throws IOException {
        Binary.writeEnum(out, cost.reason);
        Binary.writeDecimal(out, cost.costUsd);
        out.writeLong(cost.inputTokens);
        out.writeLong(cost.outputTokens);
        out.writeLong(cost.latencyMs);
        out.writeLong(cost.occurredAtMs);
    }

    private static ScopedCost readFields(CostDimensions d, DataInput in) throws IOException {
        return new ScopedCost(
                d.scope(),
                d.taskType(),
                d.tier(),
                d.model(),
                Binary.readEnum(in, CostReason.class, CostReason.UNKNOWN),
                Binary.readDecimal(in),
                in.readLong(),
                in.readLong(),
                in.readLong(),
                in.readLong());
    }
}
