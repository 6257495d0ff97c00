package io.tiergate.cli.capacity;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How many of everything: instances and cores per service (the broker's instances are brokers),
 * threads per instance per stage, partitions per topic, the number of cost centers sending traffic,
 * and whether everything shares one host.
 *
 * @param instances instances per service ({@link Stage#service()}), brokers for "broker"
 * @param coresPerInstance cores of one instance of each service
 * @param threads threads of one instance working on each stage (listener threads, stream threads,
 *     HTTP threads, a worker's CPU threads, a broker's cores)
 * @param partitions partitions of each partitioned stage's topic ({@link Stage#topic()})
 * @param activeCostCenters cost centers sending traffic: the router decides each cost center on one
 *     consumer, in order, so the decider cannot use more consumers than this
 * @param sharedHostCores 0 when every instance has its own cores; otherwise every stage runs on one
 *     host of this many cores (this machine: 2), and the cores per instance only bound threads
 * @param backgroundCores cores of a shared host busy with work outside the model (a load generator,
 *     an observer, other builds)
 */
public record Deployment(
        Map<String, Integer> instances,
        Map<String, Integer> coresPerInstance,
        Map<Stage, Integer> threads,
        Map<Stage, Integer> partitions,
        int activeCostCenters,
        int sharedHostCores,
        double backgroundCores) {

    /** The services, in path order. */
    public static final Set<String> SERVICES =
            Arrays.stream(Stage.values()).map(Stage::service).collect(Collectors.toCollection(LinkedHashSet::new));

    public Deployment {
        instances = complete(instances, "instances");
        coresPerInstance = complete(coresPerInstance, "cores");
        threads = Map.copyOf(threads);
        partitions = Map.copyOf(partitions);
        for (Stage stage : Stage.values()) {
            if (threads.getOrDefault(stage, 1) < 1) {
                throw new IllegalArgumentException("threads of " + stage.key() + " must be >= 1");
            }
            if (stage.topic() != null && partitions.getOrDefault(stage, 1) < 1) {
                throw new IllegalArgumentException("partitions of " + stage.topic() + " must be >= 1");
            }
        }
        if (activeCostCenters < 1) {
            throw new IllegalArgumentException("active cost centers must be >= 1, was " + activeCostCenters);
        }
        if (sharedHostCores < 0) {
            throw new IllegalArgumentException("shared host cores must be >= 0, was " + sharedHostCores);
        }
        if (!(backgroundCores >= 0) || (sharedHostCores > 0 && backgroundCores >= sharedHostCores)) {
            throw new IllegalArgumentException(
                    "background cores must be >= 0 and below the shared host's cores, was " + backgroundCores);
        }
    }

    private static Map<String, Integer> complete(Map<String, Integer> values, String what) {
        Map<String, Integer> copy = new LinkedHashMap<>();
        for (String service : SERVICES) {
            int value = values.getOrDefault(service, 1);
            if (value < 1) {
                throw new IllegalArgumentException(what + " of " + service + " must be >= 1, was " + value);
            }
            copy.put(service, value);
        }
        values.keySet().stream().filter(s -> !SERVICES.contains(s)).findFirst().ifPresent(s -> {
            throw new IllegalArgumentException("unknown service '" + s + "', expected one of " + SERVICES);
        });
        return Map.copyOf(copy);
    }

    /**
     * This machine as {@code ./tiergate bench} and the demo run it: one instance of everything and one
     * broker on 2 shared cores, 3 partitions per topic, the reference workload's 5 cost centers.
     */
    public static Deployment thisMachine() {
        Map<String, Integer> one = Map.of();
        Map<String, Integer> twoCores = SERVICES.stream().collect(Collectors.toMap(s -> s, s -> 2));
        return new Deployment(one, twoCores, defaultThreads(twoCores), uniformPartitions(3), 5, 2, 0);
    }

    /**
     * Cores per instance the planner starts from: one per single-threaded consumer (classifier, router,
     * ledger), two for the gateway's HTTP threads and the workers' in-flight pools, four per broker.
     */
    public static final Map<String, Integer> DEDICATED_CORES =
            Map.of("gateway", 2, "broker", 4, "classifier", 1, "router", 1, "workers", 2, "ledger", 1);

    /** One instance of every service on its own cores, one partition per topic: the planner's start. */
    public static Deployment dedicated(Map<String, Integer> coresPerInstance, int activeCostCenters) {
        return new Deployment(
                Map.of(),
                coresPerInstance,
                defaultThreads(coresPerInstance),
                uniformPartitions(1),
                activeCostCenters,
                0,
                0);
    }

    /** Threads per instance: one listener or stream thread per consuming stage, one per core for pools. */
    public static Map<Stage, Integer> defaultThreads(Map<String, Integer> coresPerInstance) {
        Map<Stage, Integer> threads = new LinkedHashMap<>();
        for (Stage stage : Stage.values()) {
            boolean pool = stage.topic() == null || stage == Stage.WORKERS;
            threads.put(stage, pool ? coresPerInstance.getOrDefault(stage.service(), 1) : 1);
        }
        return threads;
    }

    /** {@code count} partitions on every partitioned stage's topic. */
    public static Map<Stage, Integer> uniformPartitions(int count) {
        Map<Stage, Integer> partitions = new LinkedHashMap<>();
        for (Stage stage : Stage.values()) {
            if (stage.topic() != null) {
                partitions.put(stage, count);
            }
        }
        return partitions;
    }

    public int instancesOf(String service) {
        return instances.get(service);
    }

    public int coresOf(String service) {
        return coresPerInstance.get(service);
    }

    public int threadsOf(Stage stage) {
        return threads.getOrDefault(stage, 1);
    }

    public int partitionsOf(Stage stage) {
        return partitions.getOrDefault(stage, 1);
    }

    public boolean sharedHost() {
        return sharedHostCores > 0;
    }

    /** Cores of the pool {@code stage} runs on: the shared host, or its service's instances' cores. */
    public int poolCores(Stage stage) {
        return sharedHost() ? sharedHostCores : instancesOf(stage.service()) * coresOf(stage.service());
    }

    /** All cores: the shared host's, or every instance's and broker's. */
    public int totalCores() {
        return sharedHost()
                ? sharedHostCores
                : SERVICES.stream().mapToInt(s -> instancesOf(s) * coresOf(s)).sum();
    }

    public Deployment withInstances(String service, int count) {
        Map<String, Integer> copy = new LinkedHashMap<>(instances);
        copy.put(service, count);
        return new Deployment(
                copy, coresPerInstance, threads, partitions, activeCostCenters, sharedHostCores, backgroundCores);
    }

    public Deployment withPartitions(Stage stage, int count) {
        Map<Stage, Integer> copy = new LinkedHashMap<>(partitions);
        copy.put(stage, count);
        return new Deployment(
                instances, coresPerInstance, threads, copy, activeCostCenters, sharedHostCores, backgroundCores);
    }

    /**
     * The consumers (for a partitioned stage) or threads (for a pool) that work on {@code stage}:
     * instances x threads, capped by the topic's partitions (a partition has one consumer in a group),
     * and for the decider also by the active cost centers (each decided on one consumer). The workers
     * take one consumer per instance, capped by the partitions, and spread a partition's requests
     * over their threads (the in-flight pool).
     */
    public int servers(Stage stage) {
        int instancesOfStage = instancesOf(stage.service());
        int perInstance = threadsOf(stage);
        if (stage.topic() == null) {
            return instancesOfStage * perInstance;
        }
        if (stage == Stage.WORKERS) {
            return Math.min(instancesOfStage, partitionsOf(stage)) * perInstance;
        }
        return consumerShares(stage).length;
    }

    /**
     * A partitioned stage's share of the traffic per consumer that has any, assuming every key carries
     * the same traffic: partitions are assigned to consumers round robin, and for the decider the
     * active cost centers to partitions round robin (a cost center is one key). 3 partitions on 2
     * consumers give shares 2/3 and 1/3: the busier consumer saturates at 3/4 of what 2 balanced ones
     * would take.
     */
    public double[] consumerShares(Stage stage) {
        int partitionCount = partitionsOf(stage);
        int consumers = Math.min(instancesOf(stage.service()) * threadsOf(stage), partitionCount);
        int keys = stage == Stage.ROUTER_DECIDER ? activeCostCenters : partitionCount;
        int[] keysPerConsumer = new int[consumers];
        for (int key = 0; key < keys; key++) {
            int partition = key % partitionCount;
            keysPerConsumer[partition % consumers]++;
        }
        return Arrays.stream(keysPerConsumer)
                .filter(k -> k > 0)
                .mapToDouble(k -> (double) k / keys)
                .toArray();
    }
}
