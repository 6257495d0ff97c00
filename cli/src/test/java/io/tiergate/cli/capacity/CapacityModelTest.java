package io.tiergate.cli.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link CapacityModel}: utilisation, caps, saturation and latency, analytically. */
class CapacityModelTest {

    /** Only the classifier costs anything, and no hop adds latency: the path is one queue. */
    static Inputs classifierOnly(double costMs) {
        Map<Stage, Double> costs = new EnumMap<>(Stage.class);
        for (Stage stage : Stage.values()) {
            costs.put(stage, stage == Stage.CLASSIFIER ? costMs : 0.0);
        }
        return new Inputs(costs, 0, 0, 3);
    }

    static Deployment dedicated() {
        return Deployment.dedicated(Deployment.DEDICATED_CORES, 5);
    }

    @Test
    void oneConsumerIsAnMm1Queue() {
        CapacityModel model = new CapacityModel(classifierOnly(1.0), dedicated());
        CapacityModel.Assessment a = model.assess(500);
        CapacityModel.StageLoad classifier = a.of(Stage.CLASSIFIER);
        assertThat(classifier.servers()).isEqualTo(1);
        assertThat(classifier.utilisation()).isCloseTo(0.5, within(1e-12));
        // sojourn ~ Exp(μ - λ) = Exp(0.5 per ms)
        assertThat(classifier.p50Ms()).isCloseTo(Math.log(2) / 0.5, within(1e-6));
        assertThat(classifier.p99Ms()).isCloseTo(Math.log(100) / 0.5, within(1e-6));
        assertThat(classifier.limitRate()).isCloseTo(1000, within(0.01));
        // the routing path is that one queue: the convolution returns its quantiles
        assertThat(a.routingP50Ms()).isCloseTo(classifier.p50Ms(), within(0.02));
        assertThat(a.routingP99Ms()).isCloseTo(classifier.p99Ms(), within(0.05));
    }

    @Test
    void aPoolOfThreadsIsOneMmcQueue() {
        Inputs inputs = classifierOnly(1.0).withCost(Stage.GATEWAY, 1.0);
        Deployment threeThreads = dedicated().withInstances("gateway", 3).withInstances("broker", 1);
        Map<String, Integer> cores = new java.util.HashMap<>(Deployment.DEDICATED_CORES);
        cores.put("gateway", 1);
        Deployment oneCoreEach = new Deployment(
                threeThreads.instances(),
                cores,
                Deployment.defaultThreads(cores),
                Deployment.uniformPartitions(1),
                5,
                0,
                0);
        CapacityModel model = new CapacityModel(inputs, oneCoreEach);
        // 3 threads, 2 Erlangs: P(sojourn > t) as M/M/3
        assertThat(model.deployment().servers(Stage.GATEWAY)).isEqualTo(3);
        assertThat(model.exceeds(Stage.GATEWAY, 2000, 1.5))
                .isCloseTo(ErlangC.sojournExceeds(1.5, 2, 3, 1), within(1e-12));
        assertThat(model.utilisation(Stage.GATEWAY, 2000)).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void aStageSaturatesAtItsConsumersCapacityAndHasNoLatencyThere() {
        CapacityModel model = new CapacityModel(classifierOnly(1.0), dedicated());
        CapacityModel.Assessment a = model.assess(1000);
        assertThat(a.saturated()).isTrue();
        assertThat(a.of(Stage.CLASSIFIER).saturated()).isTrue();
        assertThat(a.of(Stage.CLASSIFIER).p99Ms()).isNaN();
        assertThat(a.routingP99Ms()).isNaN();
        assertThat(a.bottleneck()).isEqualTo(Stage.CLASSIFIER);
        assertThat(a.limitedBy()).isEqualTo("1 consumer(s)");
        assertThat(a.maxRate()).isCloseTo(1000, within(0.01));
        assertThat(model.assess(999).saturated()).isFalse();
    }

    @Test
    void partitionsCapTheConsumers() {
        Deployment fourInstancesTwoPartitions =
                dedicated().withInstances("classifier", 4).withPartitions(Stage.CLASSIFIER, 2);
        CapacityModel model = new CapacityModel(classifierOnly(1.0), fourInstancesTwoPartitions);
        assertThat(fourInstancesTwoPartitions.servers(Stage.CLASSIFIER)).isEqualTo(2);
        assertThat(model.limitRate(Stage.CLASSIFIER)).isCloseTo(2000, within(0.01));
        // more partitions let all four consume
        CapacityModel more =
                new CapacityModel(classifierOnly(1.0), fourInstancesTwoPartitions.withPartitions(Stage.CLASSIFIER, 8));
        assertThat(more.limitRate(Stage.CLASSIFIER)).isCloseTo(4000, within(0.01));
    }

    @Test
    void partitionsThatDoNotDivideAmongTheConsumersOverloadOne() {
        // 3 partitions on 2 consumers: one consumer takes 2/3 of the traffic
        Deployment d = dedicated().withInstances("classifier", 2).withPartitions(Stage.CLASSIFIER, 3);
        CapacityModel model = new CapacityModel(classifierOnly(1.0), d);
        assertThat(d.consumerShares(Stage.CLASSIFIER)).containsExactly(2.0 / 3, 1.0 / 3);
        assertThat(model.limitRate(Stage.CLASSIFIER)).isCloseTo(1500, within(0.01));
    }

    @Test
    void theDeciderCannotUseMoreConsumersThanActiveCostCenters() {
        Inputs inputs = classifierOnly(1.0).withCost(Stage.ROUTER_DECIDER, 0.1);
        Deployment oneCostCenter = new Deployment(
                Map.of("router", 10),
                Map.of("router", 4),
                Deployment.defaultThreads(Map.of()),
                Deployment.uniformPartitions(12),
                1,
                0,
                0);
        CapacityModel model = new CapacityModel(inputs, oneCostCenter);
        assertThat(oneCostCenter.servers(Stage.ROUTER_DECIDER)).isEqualTo(1);
        assertThat(model.limitRate(Stage.ROUTER_DECIDER)).isCloseTo(10_000, within(0.01));
        Deployment fiveCostCenters = new Deployment(
                oneCostCenter.instances(),
                oneCostCenter.coresPerInstance(),
                oneCostCenter.threads(),
                oneCostCenter.partitions(),
                5,
                0,
                0);
        assertThat(fiveCostCenters.servers(Stage.ROUTER_DECIDER)).isEqualTo(5);
        assertThat(new CapacityModel(inputs, fiveCostCenters).limitRate(Stage.ROUTER_DECIDER))
                .isCloseTo(50_000, within(0.01));
    }

    @Test
    void aSharedHostCarriesItsCoresOverTheCpuPerRequest() {
        Inputs measured = Inputs.measured();
        CapacityModel model = new CapacityModel(measured, Deployment.thisMachine());
        double ceiling = 2 * 1000 / measured.totalCostMs();
        assertThat(model.hostCeiling()).isCloseTo(ceiling, within(1e-9));
        CapacityModel.Assessment a = model.assess(400);
        assertThat(a.maxRate()).isCloseTo(ceiling, within(0.01));
        assertThat(a.limitedBy()).isEqualTo("the shared host's 2 cores");
        // at the ceiling every stage on the host saturates together
        assertThat(model.assess(ceiling * 1.01).stages()).allMatch(CapacityModel.StageLoad::saturated);
    }

    @Test
    void theIssuesThreeThousandPerSecondDoNotFitTwoCoresAtTheMeasuredCosts() {
        // only what ./tiergate bench runs: broker, classifier, router
        Inputs routing = Inputs.measured()
                .withCost(Stage.GATEWAY, 0)
                .withCost(Stage.WORKERS, 0)
                .withCost(Stage.LEDGER, 0);
        Deployment threeClassifiers = Deployment.thisMachine().withInstances("classifier", 3);
        CapacityModel model = new CapacityModel(routing, threeClassifiers);
        assertThat(model.hostCeiling()).isCloseTo(2000 / 1.42, within(1e-6));
        assertThat(model.assess(3000).saturated()).isTrue();
        assertThat(model.assess(3000).maxRate()).isLessThanOrEqualTo(2000 / 1.42 + 1e-6);
        // one classifier thread is the limit before the cores are
        CapacityModel one = new CapacityModel(routing, Deployment.thisMachine());
        assertThat(one.assess(400).bottleneck()).isEqualTo(Stage.CLASSIFIER);
        assertThat(one.assess(400).maxRate()).isCloseTo(1000 / 0.84, within(0.01));
    }

    @Test
    void backgroundLoadOnTheHostLowersTheLimit() {
        Deployment d = Deployment.thisMachine();
        Deployment busy = new Deployment(
                d.instances(), d.coresPerInstance(), d.threads(), d.partitions(), d.activeCostCenters(), 2, 0.5);
        double idle = new CapacityModel(Inputs.measured(), d).assess(100).maxRate();
        double loaded = new CapacityModel(Inputs.measured(), busy).assess(100).maxRate();
        assertThat(loaded).isCloseTo(idle * 1.5 / 2, within(0.01));
    }

    @Test
    void stagesOfOneServiceShareItsCores() {
        // router: intake 0.5 ms and decider 0.5 ms, one instance of one core, one thread each
        Inputs inputs = classifierOnly(0.1).withCost(Stage.ROUTER_INTAKE, 0.5).withCost(Stage.ROUTER_DECIDER, 0.5);
        CapacityModel model = new CapacityModel(inputs, dedicated());
        // alone each would take 2,000/s; together they have one core: 1,000/s
        assertThat(model.limitRate(Stage.ROUTER_INTAKE)).isCloseTo(1000, within(0.01));
        assertThat(model.serviceMs(Stage.ROUTER_DECIDER, 500)).isCloseTo(0.5 / 0.75, within(1e-12));
    }

    @Test
    void hopsAddTheirFittedLatency() {
        Inputs hops = new Inputs(classifierOnly(1.0).costMs(), 2.5, 5, 3);
        assertThat(hops.hopExceeds(hops.hopFloorMs() - 1e-9)).isEqualTo(1);
        assertThat(hops.hopExceeds(2.5)).isCloseTo(0.5, within(1e-12));
        assertThat(hops.hopExceeds(5)).isCloseTo(0.01, within(1e-12));
        CapacityModel.Assessment a = new CapacityModel(hops, dedicated()).assess(500);
        // three hops: above 3 floors, below the sum of p99s
        assertThat(a.routingP50Ms()).isGreaterThan(a.queueP50Ms() + 3 * hops.hopFloorMs());
        assertThat(a.routingP99Ms()).isLessThan(a.queueP99Ms() + 3 * 5);
    }
}
