package io.tiergate.cli.capacity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A seeded discrete-event simulation of the same deployment, to check the analytic model against:
 * Poisson arrivals at the rate; every request visits every stage in path order (gateway, broker,
 * classifier, router intake, router decider, workers, ledger), entering a stage when it leaves the
 * previous one. A partitioned stage sends it to the consumer of a partition drawn uniformly (for the
 * decider: of a cost center drawn uniformly, its partition, that partition's consumer), which serves
 * its records one at a time in arrival order; a pool serves in arrival order on whichever thread is
 * free first. Service times are drawn around each stage's mean service time from the model (the
 * cost, stretched by cores shared with other stages: the one approximation both share), exponential,
 * lognormal with a given coefficient of variation, or the classifier's measured mix ({@link ServiceTimes}). Each Kafka hop of the routing path adds a delay
 * drawn from {@link Inputs#hopExceeds}'s distribution. Same seed, same numbers.
 */
public final class Simulation {

    /**
     * How service times spread around their mean: exponential (what the analytic model assumes),
     * lognormal with a coefficient of variation, or "measured": the classifier's two kinds of request
     * as measured (22% consult MiniLM at ~3.7 ms, the rest take ~0.2 ms; each kind lognormal with CV
     * 0.3, scaled to the classifier's mean), every other stage exponential. The measured mix has a CV
     * of about 1.5: it queues more than an exponential of the same mean.
     */
    public record ServiceTimes(String shape, double cv) {

        public static final ServiceTimes EXPONENTIAL = new ServiceTimes("exponential", 1);
        public static final ServiceTimes MEASURED = new ServiceTimes("measured", 1);

        // share of classified requests that run the embedding model, and the two kinds' CPU, ms
        // (docs/benchmarks/classifier-service.md)
        static final double EMBEDDED_SHARE = 0.22;
        static final double EMBEDDED_MS = 3.7;
        static final double FAST_MS = 0.2;

        public static ServiceTimes lognormal(double cv) {
            if (!(cv > 0)) {
                throw new IllegalArgumentException("the coefficient of variation must be > 0, was " + cv);
            }
            return new ServiceTimes("lognormal", cv);
        }

        double draw(SplittableRandom random, Stage stage, double mean) {
            switch (shape) {
                case "lognormal":
                    return lognormal(random, mean, cv);
                case "measured":
                    if (stage == Stage.CLASSIFIER) {
                        double mixMean = EMBEDDED_SHARE * EMBEDDED_MS + (1 - EMBEDDED_SHARE) * FAST_MS;
                        double kind = random.nextDouble() < EMBEDDED_SHARE ? EMBEDDED_MS : FAST_MS;
                        return lognormal(random, kind * mean / mixMean, 0.3);
                    }
                    return -mean * Math.log(1 - random.nextDouble());
                default:
                    return -mean * Math.log(1 - random.nextDouble());
            }
        }

        private static double lognormal(SplittableRandom random, double mean, double cv) {
            double sigma2 = Math.log(1 + cv * cv);
            double mu = Math.log(mean) - sigma2 / 2;
            return Math.exp(mu + Math.sqrt(sigma2) * gaussian(random));
        }

        private static double gaussian(SplittableRandom random) {
            double u = 1 - random.nextDouble();
            double v = random.nextDouble();
            return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
        }
    }

    /** One stage as simulated: its busiest queue's utilisation and the time requests spent in it. */
    public record StageResult(Stage stage, double utilisation, double p50Ms, double p99Ms) {}

    /** The simulated run: the routing path's waiting + service time, without and with the Kafka hops. */
    public record Result(
            double rate,
            int requests,
            long seed,
            List<StageResult> stages,
            double queueP50Ms,
            double queueP99Ms,
            double routingP50Ms,
            double routingP99Ms) {

        public StageResult of(Stage stage) {
            return stages.stream().filter(s -> s.stage() == stage).findFirst().orElseThrow();
        }
    }

    /** Path order. */
    private static final List<Stage> ORDER = List.of(
            Stage.GATEWAY,
            Stage.BROKER,
            Stage.CLASSIFIER,
            Stage.ROUTER_INTAKE,
            Stage.ROUTER_DECIDER,
            Stage.WORKERS,
            Stage.LEDGER);

    private final CapacityModel model;
    private final ServiceTimes serviceTimes;

    public Simulation(CapacityModel model, ServiceTimes serviceTimes) {
        this.model = model;
        this.serviceTimes = serviceTimes;
    }

    /**
     * Simulates {@code requests} requests at {@code rate}; the first tenth warms the queues up and is
     * not counted. A stage the model finds without any free core cannot be simulated and is refused.
     */
    public Result run(double rate, int requests, long seed) {
        if (requests < 100) {
            throw new IllegalArgumentException("simulate at least 100 requests, was " + requests);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] at = new double[requests];
        double clock = 0;
        double meanGapMs = 1000 / rate;
        for (int i = 0; i < requests; i++) {
            clock += -meanGapMs * Math.log(1 - random.nextDouble());
            at[i] = clock;
        }
        int warmUp = requests / 10;
        double[] routing = new double[requests];
        List<StageResult> results = new ArrayList<>();
        for (Stage stage : ORDER) {
            double meanMs = model.serviceMs(stage, rate);
            if (Double.isInfinite(meanMs)) {
                throw new IllegalStateException(
                        stage.key() + " gets no core at " + rate + " req/s: nothing to simulate");
            }
            double[] left = new double[requests];
            double busiest = serve(stage, at, left, meanMs, random, warmUp);
            double[] sojourn = new double[requests - warmUp];
            for (int i = warmUp; i < requests; i++) {
                sojourn[i - warmUp] = left[i] - at[i];
                if (stage.onRoutingPath()) {
                    routing[i] += left[i] - at[i];
                }
            }
            Arrays.sort(sojourn);
            results.add(new StageResult(stage, busiest, percentile(sojourn, 0.50), percentile(sojourn, 0.99)));
            at = left;
        }
        double[] queueing = Arrays.copyOfRange(routing, warmUp, requests);
        double[] withHops = queueing.clone();
        Inputs inputs = model.inputs();
        for (int i = 0; i < withHops.length; i++) {
            for (int hop = 0; hop < inputs.routingHops(); hop++) {
                withHops[i] += inputs.hopFloorMs() - inputs.hopTailMeanMs() * Math.log(1 - random.nextDouble());
            }
        }
        Arrays.sort(queueing);
        Arrays.sort(withHops);
        return new Result(
                rate,
                requests,
                seed,
                List.copyOf(results),
                percentile(queueing, 0.50),
                percentile(queueing, 0.99),
                percentile(withHops, 0.50),
                percentile(withHops, 0.99));
    }

    /**
     * Serves every request at one stage in order of arrival; fills {@code left} with when each leaves.
     * Returns the busiest queue's busy time over its servers and the measured span.
     */
    private double serve(
            Stage stage, double[] arrivals, double[] left, double meanMs, SplittableRandom random, int warmUp) {
        Deployment deployment = model.deployment();
        List<CapacityModel.Queue> queues = model.queues(stage);
        int consumers = queues.size();
        // key -> queue, as the deployment maps them: cost centers (decider) or partitions round robin
        int partitions = deployment.partitionsOf(stage);
        int keys = stage == Stage.ROUTER_DECIDER ? deployment.activeCostCenters() : partitions;
        int allConsumers = stage.partitioned()
                ? Math.min(deployment.instancesOf(stage.service()) * deployment.threadsOf(stage), partitions)
                : 1;
        int[] queueOfConsumer = new int[allConsumers];
        Arrays.fill(queueOfConsumer, -1);
        int[] queueOfKey = new int[keys];
        int next = 0;
        for (int key = 0; key < keys; key++) {
            int consumer = stage.partitioned() ? (key % partitions) % allConsumers : 0;
            if (queueOfConsumer[consumer] < 0) {
                queueOfConsumer[consumer] = next++;
            }
            queueOfKey[key] = queueOfConsumer[consumer];
        }
        List<PriorityQueue<double[]>> free = new ArrayList<>();
        for (CapacityModel.Queue queue : queues) {
            PriorityQueue<double[]> servers = new PriorityQueue<>(Comparator.comparingDouble(s -> s[0]));
            for (int s = 0; s < queue.servers(); s++) {
                servers.add(new double[] {0});
            }
            free.add(servers);
        }
        Integer[] order = new Integer[arrivals.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> arrivals[i]));
        double[] busy = new double[consumers];
        double from = arrivals[warmUp];
        double to = 0;
        for (int i : order) {
            int queue = stage.partitioned() ? queueOfKey[random.nextInt(keys)] : 0;
            double[] server = free.get(queue).poll();
            double start = Math.max(arrivals[i], server[0]);
            double service = meanMs == 0 ? 0 : serviceTimes.draw(random, stage, meanMs);
            left[i] = start + service;
            server[0] = left[i];
            free.get(queue).add(server);
            if (i >= warmUp) {
                busy[queue] += service;
            }
            to = Math.max(to, left[i]);
        }
        double busiest = 0;
        for (int q = 0; q < consumers; q++) {
            busiest = Math.max(busiest, busy[q] / queues.get(q).servers() / (to - from));
        }
        return busiest;
    }

    private static double percentile(double[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
