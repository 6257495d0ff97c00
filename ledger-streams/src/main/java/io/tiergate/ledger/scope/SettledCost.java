package io.tiergate.ledger.scope;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A counted cost whose attempt was open: one record, so its scope's budget takes the worst case out
 * and the real cost in within one step, and no status ever shows both or neither.
 */
public record SettledCost(ScopedCost cost, OpenAttempt settlement) implements ScopeInput {

    public SettledCost {
        if (!cost.scope().equals(settlement.scope())) {
            throw new IllegalArgumentException(
                    "settlement of " + settlement.scope() + " paired with a cost of " + cost.scope());
        }
    }

    @Override
    public String scope() {
        return cost.scope();
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeByte(1);
        cost.writeTo(out);
        settlement.writeTo(out);
    }

    static SettledCost readFrom(DataInput in) throws IOException {
        byte version = in.readByte();
        if (version != 1) {
            throw new IOException("Unknown SettledCost version " + version);
        }
        return new SettledCost(ScopedCost.readFrom(in), OpenAttempt.readFrom(in));
    }
}
