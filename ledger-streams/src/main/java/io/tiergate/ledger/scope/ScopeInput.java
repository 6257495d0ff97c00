package io.tiergate.ledger.scope;

import io.tiergate.ledger.budget.BudgetPolicy;
import io.tiergate.ledger.codec.Binary;
import io.tiergate.schemas.events.OnExhausted;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.ZoneId;

/**
 * What reaches a scope's budget, in order, through the one {@code by-scope} repartition topic:
 * a counted cost, a budget change, or a change of open spend ({@link OpenAttempt}), or a cost that settles an open attempt ({@link
 * SettledCost}). One topic for both means costs and budgets of a scope are
 * always co-partitioned, whatever the partition counts of {@code inference.costs} and {@code
 * budget.config}. {@link CostsProgress} markers, sent to every partition, say how far the cost
 * topic has been processed.
 */
public sealed interface ScopeInput permits ScopedCost, BudgetChange, CostsProgress, OpenAttempt, SettledCost {

    byte COST = 1;
    byte BUDGET = 2;
    byte PROGRESS = 3;
    byte OPEN_ATTEMPT = 4;
    byte SETTLED_COST = 5;

    String scope();

    static byte[] toBytes(ScopeInput input) {
        return Binary.write(out -> {
            if (input instanceof ScopedCost cost) {
                out.writeByte(COST);
                cost.writeTo(out);
            } else if (input instanceof BudgetChange change) {
                out.writeByte(BUDGET);
                change.writeTo(out);
            } else if (input instanceof CostsProgress progress) {
                out.writeByte(PROGRESS);
                progress.writeTo(out);
            } else if (input instanceof OpenAttempt open) {
                out.writeByte(OPEN_ATTEMPT);
                open.writeTo(out);
            } else if (input instanceof SettledCost settled) {
                out.writeByte(SETTLED_COST);
                settled.writeTo(out);
            }
        });
    }

    static ScopeInput fromBytes(byte[] data) {
        return Binary.read(data, ScopeInput::readFrom);
    }

    private static ScopeInput readFrom(DataInput in) throws IOException {
        byte tag = in.readByte();
        return switch (tag) {
            case COST -> ScopedCost.readFrom(in);
            case BUDGET -> BudgetChange.readFrom(in);
            case PROGRESS -> CostsProgress.readFrom(in);
            case OPEN_ATTEMPT -> OpenAttempt.readFrom(in);
            case SETTLED_COST -> SettledCost.readFrom(in);
            default -> throw new IOException("Unknown ScopeInput tag " + tag);
        };
    }

    /** Encodes a {@link BudgetPolicy} (shared by the store of budgets). */
    static void writePolicy(DataOutput out, BudgetPolicy policy) throws IOException {
        out.writeByte(1);
        Binary.writeString(out, policy.scope());
        Binary.writeDecimal(out, policy.dailyLimitUsd());
        Binary.writeDecimal(out, policy.monthlyLimitUsd());
        out.writeDouble(policy.conserveThreshold());
        out.writeDouble(policy.criticalThreshold());
        Binary.writeEnum(out, policy.onExhausted());
        Binary.writeString(out, policy.zone().getId());
        out.writeLong(policy.updatedAtMs());
    }

    static BudgetPolicy readPolicy(DataInput in) throws IOException {
        Binary.checkVersion(in, 1, "BudgetPolicy");
        return new BudgetPolicy(
                Binary.readString(in),
                Binary.readDecimal(in),
                Binary.readDecimal(in),
                in.readDouble(),
                in.readDouble(),
                Binary.readEnum(in, OnExhausted.class, OnExhausted.DEGRADE_LOCAL),
                ZoneId.of(Binary.readString(in)),
                in.readLong());
    }
}
