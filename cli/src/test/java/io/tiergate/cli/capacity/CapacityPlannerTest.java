package io.tiergate.cli.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link Planner}: the deployment it finds meets its constraints, and it says why when none can. */
class CapacityPlannerTest {

    private static final Planner PLANNER = new Planner(Inputs.measured(), 0.7, 100, 3);

    @Test
    void tenThousandPerSecondFitsWithEveryQueueBelowTheCeiling() {
        Planner.Plan plan = PLANNER.plan(10_000, Deployment.dedicated(Deployment.DEDICATED_CORES, 5));
        assertThat(plan.infeasible()).isEmpty();
        CapacityModel.Assessment a = plan.assessment();
        assertThat(a.stages()).allSatisfy(l -> assertThat(l.utilisation()).isLessThanOrEqualTo(0.7));
        assertThat(a.routingP99Ms()).isLessThanOrEqualTo(100);
        Deployment d = plan.deployment();
        assertThat(d.instancesOf("broker")).isGreaterThanOrEqualTo(3);
        // every classifier consumes: partitions keep up with the instances
        assertThat(d.servers(Stage.CLASSIFIER)).isEqualTo(d.instancesOf("classifier"));
        // and no fewer would do: one classifier less goes over the ceiling
        Deployment fewer = d.withInstances("classifier", d.instancesOf("classifier") - 1);
        assertThat(new CapacityModel(Inputs.measured(), fewer).utilisation(Stage.CLASSIFIER, 10_000))
                .isGreaterThan(0.7);
    }

    @Test
    void fiveCostCentersCapTheDeciderBelowOneHundredTimesTodaysLoad() {
        Planner.Plan five = PLANNER.plan(40_000, Deployment.dedicated(Deployment.DEDICATED_CORES, 5));
        assertThat(five.infeasible())
                .hasValueSatisfying(
                        why -> assertThat(why).startsWith("router-decider").contains("5 active cost centers"));
        Planner.Plan fifty = PLANNER.plan(40_000, Deployment.dedicated(Deployment.DEDICATED_CORES, 50));
        assertThat(fifty.infeasible()).isEmpty();
    }

    @Test
    void aTargetBelowTheHopsFloorIsInfeasible() {
        Planner.Plan plan = new Planner(Inputs.measured(), 0.7, 5, 3)
                .plan(1000, Deployment.dedicated(Deployment.DEDICATED_CORES, 5));
        assertThat(plan.infeasible()).hasValueSatisfying(why -> assertThat(why).contains("floor"));
    }
}
