package io.tiergate.cli.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Simulation} agrees with {@link CapacityModel} where both apply; seeded, so deterministic. */
class CapacitySimulationTest {

    static Stream<Arguments> configurations() {
        Inputs routingOnly = Inputs.measured()
                .withCost(Stage.GATEWAY, 0)
                .withCost(Stage.WORKERS, 0)
                .withCost(Stage.LEDGER, 0);
        Deployment tenThousand = Deployment.dedicated(Deployment.DEDICATED_CORES, 5)
                .withInstances("gateway", 2)
                .withInstances("broker", 3)
                .withInstances("classifier", 15)
                .withPartitions(Stage.CLASSIFIER, 15)
                .withInstances("router", 3)
                .withPartitions(Stage.ROUTER_INTAKE, 3)
                .withPartitions(Stage.ROUTER_DECIDER, 3)
                .withInstances("workers", 15)
                .withPartitions(Stage.WORKERS, 15)
                .withInstances("ledger", 5)
                .withPartitions(Stage.LEDGER, 5);
        return Stream.of(
                Arguments.of("this machine, bench's services, 400 req/s", routingOnly, Deployment.thisMachine(), 400.0),
                Arguments.of(
                        "this machine, every service, 350 req/s", Inputs.measured(), Deployment.thisMachine(), 350.0),
                Arguments.of("dedicated, 10,000 req/s", Inputs.measured(), tenThousand, 10_000.0),
                Arguments.of(
                        "3 partitions on 2 classifiers, 1,000 req/s",
                        routingOnly,
                        Deployment.dedicated(Deployment.DEDICATED_CORES, 5)
                                .withInstances("classifier", 2)
                                .withPartitions(Stage.CLASSIFIER, 3),
                        1000.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void theSimulationAgreesWithTheAnalyticModel(String name, Inputs inputs, Deployment deployment, double rate) {
        CapacityModel model = new CapacityModel(inputs, deployment);
        CapacityModel.Assessment analytic = model.assess(rate);
        Simulation.Result simulated = new Simulation(model, Simulation.ServiceTimes.EXPONENTIAL).run(rate, 200_000, 7);
        assertThat(analytic.saturated()).isFalse();
        for (CapacityModel.StageLoad load : analytic.stages()) {
            Simulation.StageResult s = simulated.of(load.stage());
            assertThat(s.utilisation())
                    .as("%s utilisation", load.stage())
                    .isCloseTo(load.queueUtilisation(), within(0.03));
            if (load.p50Ms() > 0) {
                assertThat(s.p50Ms()).as("%s p50", load.stage()).isCloseTo(load.p50Ms(), Percentage.withPercentage(8));
                assertThat(s.p99Ms()).as("%s p99", load.stage()).isCloseTo(load.p99Ms(), Percentage.withPercentage(10));
            }
        }
        assertThat(simulated.queueP50Ms()).isCloseTo(analytic.queueP50Ms(), Percentage.withPercentage(8));
        assertThat(simulated.queueP99Ms()).isCloseTo(analytic.queueP99Ms(), Percentage.withPercentage(10));
        assertThat(simulated.routingP50Ms()).isCloseTo(analytic.routingP50Ms(), Percentage.withPercentage(5));
        assertThat(simulated.routingP99Ms()).isCloseTo(analytic.routingP99Ms(), Percentage.withPercentage(8));
    }

    @Test
    void theSameSeedGivesTheSameNumbers() {
        CapacityModel model = new CapacityModel(Inputs.measured(), Deployment.thisMachine());
        Simulation simulation = new Simulation(model, Simulation.ServiceTimes.EXPONENTIAL);
        assertThat(simulation.run(300, 5_000, 42)).isEqualTo(simulation.run(300, 5_000, 42));
        assertThat(simulation.run(300, 5_000, 43)).isNotEqualTo(simulation.run(300, 5_000, 42));
    }

    @Test
    void lessVariableServiceTimesWaitLessAtTheSameUtilisation() {
        // the analytic model assumes exponential service (CV 1); a CV of 0.3 queues less
        CapacityModel model = new CapacityModel(Inputs.measured(), Deployment.thisMachine());
        Simulation.Result exponential = new Simulation(model, Simulation.ServiceTimes.EXPONENTIAL).run(400, 50_000, 3);
        Simulation.Result steady = new Simulation(model, Simulation.ServiceTimes.lognormal(0.3)).run(400, 50_000, 3);
        assertThat(steady.of(Stage.CLASSIFIER).utilisation())
                .isCloseTo(exponential.of(Stage.CLASSIFIER).utilisation(), within(0.03));
        assertThat(steady.queueP99Ms()).isLessThan(exponential.queueP99Ms());
    }

    @Test
    void theClassifiersMeasuredMixQueuesMoreThanAnExponentialOfTheSameMean() {
        // 22% at 3.7 ms, 78% at 0.2 ms: CV about 1.5 against the exponential's 1
        CapacityModel model = new CapacityModel(Inputs.measured(), Deployment.thisMachine());
        Simulation.Result exponential = new Simulation(model, Simulation.ServiceTimes.EXPONENTIAL).run(400, 50_000, 5);
        Simulation.Result measured = new Simulation(model, Simulation.ServiceTimes.MEASURED).run(400, 50_000, 5);
        assertThat(measured.of(Stage.CLASSIFIER).utilisation())
                .isCloseTo(exponential.of(Stage.CLASSIFIER).utilisation(), within(0.03));
        assertThat(measured.of(Stage.CLASSIFIER).p99Ms())
                .isGreaterThan(exponential.of(Stage.CLASSIFIER).p99Ms());
        // the other stages draw as before
        assertThat(measured.of(Stage.LEDGER).p99Ms())
                .isCloseTo(exponential.of(Stage.LEDGER).p99Ms(), Percentage.withPercentage(15));
    }

    @Test
    void aStageWithoutAnyFreeCoreIsNotSimulated() {
        CapacityModel model = new CapacityModel(Inputs.measured(), Deployment.thisMachine());
        assertThatThrownBy(() -> new Simulation(model, Simulation.ServiceTimes.EXPONENTIAL).run(5000, 1000, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gets no core");
    }
}
