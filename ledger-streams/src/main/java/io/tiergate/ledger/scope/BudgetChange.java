package io.tiergate.ledger.scope;

import io.tiergate.ledger.budget.BudgetPolicy;
import io.tiergate.ledger.codec.Binary;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Objects;

/**
 * A validated budget.config change for a scope: a new policy, or {@code policy == null} for a
 * tombstone (the scope no longer has a budget).
 */
public record BudgetChange(String scope, BudgetPolicy policy) implements ScopeInput {

    public BudgetChange {
        Objects.requireNonNull(scope, "scope");
    }

    public boolean removal() {
        return policy == null;
    }

    void writeTo(DataOutput out) throws IOException {
        Binary.writeString(out, scope);
        out.writeBoolean(policy != null);
        if (policy != null) {
            ScopeInput.writePolicy(out, policy);
        }
    }

    static BudgetChange readFrom(DataInput in) throws IOException {
        String scope = Binary.readString(in);
        BudgetPolicy policy = in.readBoolean() ? ScopeInput.readPolicy(in) : null;
        return new BudgetChange(scope, policy);
    }
}
