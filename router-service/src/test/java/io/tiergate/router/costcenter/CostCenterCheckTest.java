package io.tiergate.router.costcenter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.router.config.CostCenterConfiguration;
import io.tiergate.router.costcenter.CostCenterCheck.Charge;
import io.tiergate.router.costcenter.CostCenterCheck.Refuse;
import io.tiergate.router.costcenter.CostCenterCheck.Unknown;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CostCenterCheckTest {

    private final CostCenterCheck chargeDefault = new CostCenterCheck(Unknown.CHARGE_DEFAULT, "default");
    private final CostCenterCheck reject = new CostCenterCheck(Unknown.REJECT, "default");

    @Test
    void withNothingRegisteredEveryNameStandsAsAsked() {
        assertThat(chargeDefault.check("anything-goes", Set.of())).isEqualTo(new Charge("anything-goes", false));
        assertThat(reject.check("anything-goes", Set.of())).isEqualTo(new Charge("anything-goes", false));
    }

    @Test
    void aRegisteredNameIsChargedAsAsked() {
        assertThat(reject.check("team-a", Set.of("team-a", "team-b"))).isEqualTo(new Charge("team-a", false));
    }

    @Test
    void anUnknownNameIsChargedToTheDefault() {
        assertThat(chargeDefault.check("team-typo", Set.of("team-a"))).isEqualTo(new Charge("default", true));
    }

    @Test
    void anUnknownNameIsRefusedWithAReasonNamingIt() {
        assertThat(reject.check("team-typo", Set.of("team-a")))
                .isInstanceOfSatisfying(
                        Refuse.class,
                        r -> assertThat(r.message())
                                .contains("cost center 'team-typo' is not registered")
                                .contains("./tiergate cost-centers add"));
    }

    @Test
    void namesAreASmallAlphabetAndGlobalIsNotOne() {
        assertThat(CostCenterCheck.problemWith("team-a.ci_2")).isNull();
        assertThat(CostCenterCheck.problemWith("Team A")).startsWith("must be 1-64 characters");
        assertThat(CostCenterCheck.problemWith("x".repeat(65))).startsWith("must be 1-64 characters");
        assertThat(CostCenterCheck.problemWith("global")).contains("global budget's scope");
    }

    @Test
    void theConfigurationDefaultsToChargingTheDefaultCostCenterAndNamesABadValue() {
        assertThat(CostCenterConfiguration.DEFAULTS.check().check("x", Set.of("y")))
                .isEqualTo(new Charge("default", true));
        assertThat(new CostCenterConfiguration("reject", "default").check().check("x", Set.of("y")))
                .isInstanceOf(Refuse.class);
        assertThatThrownBy(() -> new CostCenterConfiguration("drop", "default"))
                .hasMessageContaining("tiergate.router.cost-centers.unknown must be one of charge-default, reject");
        assertThatThrownBy(() -> new CostCenterConfiguration("reject", "Not Valid"))
                .hasMessageStartingWith("tiergate.router.cost-centers.default-name must be 1-64 characters");
    }
}
