package io.tiergate.cli.capacity;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The smallest deployment the model finds for a rate: every stage's busiest queue at or below a
 * utilisation ceiling (headroom for bursts, rebalances and the costs the model leaves out), and the
 * routing overhead's p99 within a target. Starts from enough instances for the ceiling, partitions
 * equal to the consumers they need (so no consumer gets more than its share), and the minimum number
 * of brokers, then adds one instance at a time to the stage that is furthest over its ceiling or, once
 * none is, to the routing stage that waits longest, until the target holds or nothing more helps.
 */
public final class Planner {

    /**
     * What was planned.
     *
     * @param deployment the deployment found (the last one tried when infeasible)
     * @param assessment the model's view of it at the rate
     * @param infeasible why no deployment meets the target, or empty when this one does
     */
    public record Plan(Deployment deployment, CapacityModel.Assessment assessment, Optional<String> infeasible) {}

    private static final int MAX_STEPS = 10_000;

    private final Inputs inputs;
    private final double maxUtilisation;
    private final double p99TargetMs;
    private final int minBrokers;

    public Planner(Inputs inputs, double maxUtilisation, double p99TargetMs, int minBrokers) {
        if (!(maxUtilisation > 0 && maxUtilisation < 1)) {
            throw new IllegalArgumentException("the utilisation ceiling must be in (0, 1), was " + maxUtilisation);
        }
        if (!(p99TargetMs > 0)) {
            throw new IllegalArgumentException("the p99 target must be > 0 ms, was " + p99TargetMs);
        }
        if (minBrokers < 1) {
            throw new IllegalArgumentException("at least 1 broker, was " + minBrokers);
        }
        this.inputs = inputs;
        this.maxUtilisation = maxUtilisation;
        this.p99TargetMs = p99TargetMs;
        this.minBrokers = minBrokers;
    }

    /**
     * Plans for {@code rate} on dedicated instances with {@code shape}'s cores and threads per instance
     * and active cost centers (its instance and partition counts are only a lower bound).
     */
    public Plan plan(double rate, Deployment shape) {
        if (shape.sharedHost()) {
            throw new IllegalArgumentException("plan a deployment of dedicated instances, not a shared host");
        }
        Deployment deployment = shape.withInstances("broker", Math.max(minBrokers, shape.instancesOf("broker")));
        // first guess: per service, instances for the ceiling of its most demanding stage
        for (String service : Deployment.SERVICES) {
            int needed = deployment.instancesOf(service);
            for (Stage stage : Stage.values()) {
                if (stage.service().equals(service)) {
                    double busyServers = rate * inputs.costOf(stage) / 1000 / maxUtilisation;
                    needed = Math.max(needed, (int) Math.ceil(busyServers / deployment.threadsOf(stage)));
                }
            }
            deployment = withEnoughPartitions(deployment.withInstances(service, needed), service);
        }
        for (int step = 0; step < MAX_STEPS; step++) {
            CapacityModel model = new CapacityModel(inputs, deployment);
            CapacityModel.Assessment assessment = model.assess(rate);
            Optional<CapacityModel.StageLoad> over = assessment.stages().stream()
                    .filter(l -> l.utilisation() > maxUtilisation)
                    .max(Comparator.comparingDouble(CapacityModel.StageLoad::utilisation));
            CapacityModel.StageLoad grow;
            if (over.isPresent()) {
                grow = over.get();
            } else if (assessment.routingP99Ms() > p99TargetMs) {
                // the routing stage whose waiting (p99 beyond its service time's own p99) is largest
                grow = assessment.stages().stream()
                        .filter(l -> l.stage().onRoutingPath())
                        .max(Comparator.comparingDouble(l -> l.p99Ms() - l.serviceMs() * Math.log(100)))
                        .orElseThrow();
                if (grow.p99Ms() - grow.serviceMs() * Math.log(100) < 0.01 * p99TargetMs) {
                    return new Plan(
                            deployment,
                            assessment,
                            Optional.of(String.format(
                                    "routing p99 %.1f ms > %.1f ms with no stage waiting: service times and %d Kafka hops"
                                            + " at %.1f ms p99 are the floor",
                                    assessment.routingP99Ms(), p99TargetMs, inputs.routingHops(), inputs.hopP99Ms())));
                }
            } else {
                return new Plan(deployment, assessment, Optional.empty());
            }
            Deployment grown = grow(deployment, grow.stage());
            if (new CapacityModel(inputs, grown).utilisation(grow.stage(), rate) >= grow.utilisation()) {
                return new Plan(deployment, assessment, Optional.of(capped(deployment, grow, rate)));
            }
            deployment = grown;
        }
        CapacityModel.Assessment last = new CapacityModel(inputs, deployment).assess(rate);
        return new Plan(deployment, last, Optional.of("no plan within " + MAX_STEPS + " steps"));
    }

    private String capped(Deployment deployment, CapacityModel.StageLoad load, double rate) {
        Stage stage = load.stage();
        if (stage == Stage.ROUTER_DECIDER && deployment.servers(stage) >= deployment.activeCostCenters()) {
            return String.format(
                    "%s: each of %d active cost centers is decided on one consumer, in order: at %.0f req/s each"
                            + " takes %.0f%% of a core (%.2f ms per decision); the ceiling is %.0f req/s."
                            + " More cost centers, or a cheaper decision, raise it",
                    stage.key(),
                    deployment.activeCostCenters(),
                    rate,
                    100 * load.utilisation(),
                    inputs.costOf(stage),
                    deployment.activeCostCenters() * 1000 / inputs.costOf(stage));
        }
        return String.format(
                "%s at utilisation %.2f does not get faster with more instances or partitions",
                stage.key(), load.utilisation());
    }

    /** One more instance of the stage's service (one more broker), with partitions for its consumers. */
    private static Deployment grow(Deployment deployment, Stage stage) {
        String service = stage.service();
        return withEnoughPartitions(deployment.withInstances(service, deployment.instancesOf(service) + 1), service);
    }

    /** Partitions of the service's topics raised to its consumers, so each consumer owns one. */
    private static Deployment withEnoughPartitions(Deployment deployment, String service) {
        Map<Stage, Integer> wanted = new LinkedHashMap<>();
        for (Stage stage : Stage.values()) {
            if (stage.service().equals(service) && stage.topic() != null) {
                int consumers = stage == Stage.WORKERS
                        ? deployment.instancesOf(service)
                        : deployment.instancesOf(service) * deployment.threadsOf(stage);
                wanted.put(stage, Math.max(deployment.partitionsOf(stage), consumers));
            }
        }
        for (Map.Entry<Stage, Integer> e : wanted.entrySet()) {
            deployment = deployment.withPartitions(e.getKey(), e.getValue());
        }
        return deployment;
    }
}
