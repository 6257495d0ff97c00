package io.tiergate.worker.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.schemas.money.Money;
import io.tiergate.worker.Fixtures;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class CostCeilingTest {

    private static final CostCeiling TEN_CENTS = CostCeiling.ofUsd(new BigDecimal("0.10"));

    @Test
    void aCallThatEndsExactlyAtTheCeilingIsAllowed() {
        assertThat(TEN_CENTS.refusal(Money.usd("0.06"), Money.usd("0.04"), "attempt 2 on m"))
                .isEmpty();
    }

    @Test
    void aCallWhoseWorstCaseGoesOneNanoDollarOverIsRefusedSayingWhy() {
        assertThat(TEN_CENTS.refusal(Money.usd("0.06"), Money.usd("0.040000001"), "attempt 2 on m"))
                .contains("cost ceiling $0.100000000 of the request: spent $0.060000000 + worst case $0.040000001"
                        + " of attempt 2 on m = $0.100000001 would exceed it; not called");
    }

    @Test
    void noCeilingAllowsEveryCall() {
        assertThat(CostCeiling.none().refusal(Money.usd("1000"), Money.usd("1000"), "x"))
                .isEmpty();
        assertThat(CostCeiling.none().usd()).isEmpty();
    }

    @Test
    void aDecisionWithoutACeilingHasNoneAndOneWithACeilingHasIt() {
        var routed = Fixtures.cloud("c1", io.tiergate.schemas.events.TaskType.IMPLEMENTATION, "m", List.of());
        assertThat(CostCeiling.of(routed.getDecision()).usd()).isEmpty();
        assertThat(CostCeiling.of(Fixtures.withCeiling(routed, "0.25").getDecision())
                        .usd())
                .contains(Money.usd("0.25"));
    }

    @Test
    void aNegativeCeilingIsInvalid() {
        assertThatThrownBy(() -> CostCeiling.ofUsd(new BigDecimal("-0.01")))
                .hasMessage("a cost ceiling must be >= 0, was -0.01");
    }
}
