package io.tiergate.cli.whatif;

import io.tiergate.router.policy.BudgetView;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.policy.BudgetLevelRule;
import java.math.BigDecimal;

/**
 * The budget as a recorded decision saw it, for deciding that request again offline: the level the
 * decision recorded and every estimate admitted. A refused admission is recorded as level EXHAUSTED
 * by the policy, so replaying at the recorded level reproduces it; {@code onExhausted} is the policy
 * of the exhausted scope (what the decision did, when it deferred or rejected).
 */
public record RecordedLevel(BudgetLevel level, OnExhausted onExhausted) implements BudgetView {

    public RecordedLevel {
        level = BudgetLevelRule.known(level);
        onExhausted = onExhausted == null ? OnExhausted.DEGRADE_LOCAL : onExhausted;
    }

    @Override
    public BudgetState state(String costCenter) {
        return new BudgetState(level, "global", onExhausted, "level " + level + " (as seen by the recorded decision)");
    }

    @Override
    public Admission admit(String costCenter, BigDecimal estimatedUsd) {
        return Admission.ok();
    }
}
