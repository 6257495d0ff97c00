package io.tiergate.cli.capacity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * The analytic model: every stage is a set of M/M/c queues fed by Poisson arrivals at the request
 * rate. A partitioned stage is one single-server queue per consumer, fed with its partitions' share
 * of the traffic (a record waits for its partition's consumer even while another consumer idles); a
 * pool (gateway, broker, workers) is one M/M/c queue over all its threads. Stages that share cores
 * (the router's intake and decider in one process; every stage on a shared host) slow each other
 * down: a stage's threads get the cores the other stages on the pool leave free, at most one each.
 *
 * <p>Times in ms, rates in requests/s. Everything here is plain arithmetic: no Kafka, no clock.
 */
public final class CapacityModel {

    /** One queue of a stage: the share of the stage's traffic it gets and its servers. */
    public record Queue(double share, int servers) {}

    /**
     * One stage at one rate.
     *
     * @param servers consumers or threads working on the stage (after the partition and cost-center caps)
     * @param serviceMs mean service time after the slowdown from cores shared with other stages
     * @param utilisation the busiest queue's utilisation or, if higher, that of the cores the stage runs
     *     on (>= 1: saturated, the backlog grows without bound)
     * @param queueUtilisation the busiest queue's utilisation alone (what a simulation measures)
     * @param coresUtilisation CPU demand on the cores the stage runs on over those cores
     * @param limitRate the rate at which the stage saturates, everything else as deployed
     * @param p50Ms median time in the stage (waiting + service), NaN when saturated
     * @param p99Ms p99 of the same
     */
    public record StageLoad(
            Stage stage,
            int servers,
            double serviceMs,
            double utilisation,
            double queueUtilisation,
            double coresUtilisation,
            double limitRate,
            double p50Ms,
            double p99Ms) {

        public boolean saturated() {
            return !(utilisation < 1);
        }
    }

    /**
     * The whole path at one rate.
     *
     * @param bottleneck the stage that saturates first (lowest limit rate; of several that saturate
     *     together, as all do when the cores of a shared host run out, the one with the highest cost)
     * @param limitedBy what runs out at the bottleneck: its consumers or threads, or the cores it
     *     shares with other stages
     * @param maxRate the highest rate every stage sustains (utilisation below 1)
     * @param hostCeiling cores x 1000 / CPU per request over all stages: what the cores carry if every
     *     thread could use any core (the shared host's, or all cores of a dedicated deployment)
     * @param queueP50Ms median of the routing path's waiting + service time summed over its stages
     * @param routingP50Ms median of the same plus the Kafka hops' latency: what {@code ./tiergate bench}
     *     measures
     */
    public record Assessment(
            double rate,
            List<StageLoad> stages,
            Stage bottleneck,
            String limitedBy,
            double maxRate,
            double hostCeiling,
            double queueP50Ms,
            double queueP99Ms,
            double routingP50Ms,
            double routingP99Ms) {

        public StageLoad of(Stage stage) {
            return stages.stream().filter(s -> s.stage() == stage).findFirst().orElseThrow();
        }

        public boolean saturated() {
            return stages.stream().anyMatch(StageLoad::saturated);
        }
    }

    private static final int GRID_POINTS = 2000;

    private final Inputs inputs;
    private final Deployment deployment;

    public CapacityModel(Inputs inputs, Deployment deployment) {
        this.inputs = inputs;
        this.deployment = deployment;
    }

    public Inputs inputs() {
        return inputs;
    }

    public Deployment deployment() {
        return deployment;
    }

    public Assessment assess(double rate) {
        List<StageLoad> loads = new ArrayList<>();
        for (Stage stage : Stage.values()) {
            double utilisation = utilisation(stage, rate);
            boolean saturated = !(utilisation < 1);
            loads.add(new StageLoad(
                    stage,
                    deployment.servers(stage),
                    serviceMs(stage, rate),
                    utilisation,
                    inputs.costOf(stage) == 0 ? 0 : queueUtilisation(stage, rate),
                    inputs.costOf(stage) == 0 ? 0 : coresUtilisation(stage, rate),
                    limitRate(stage),
                    saturated ? Double.NaN : quantile(stage, rate, 0.50),
                    saturated ? Double.NaN : quantile(stage, rate, 0.99)));
        }
        // when several saturate together (the cores they share), the one that uses the most of them
        double lowest = loads.stream().mapToDouble(StageLoad::limitRate).min().orElseThrow();
        StageLoad first = loads.stream()
                .filter(l -> l.limitRate() <= lowest * (1 + 1e-6))
                .max(Comparator.comparingDouble(l -> inputs.costOf(l.stage())))
                .orElseThrow();
        boolean routingSaturated = loads.stream().anyMatch(l -> l.stage().onRoutingPath() && l.saturated());
        double[] routing = routingSaturated
                ? new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN}
                : routingQuantiles(rate);
        return new Assessment(
                rate,
                List.copyOf(loads),
                first.stage(),
                limitedBy(first.stage(), first.limitRate()),
                first.limitRate(),
                hostCeiling(),
                routing[0],
                routing[1],
                routing[2],
                routing[3]);
    }

    /**
     * At its limit rate, a stage is limited by its consumers or threads (partitions, cost centers,
     * instances x threads) when its busiest queue reaches 1 first or with its cores (one thread on one
     * core), by cores when the cores it shares with other stages are.
     */
    private String limitedBy(Stage stage, double limitRate) {
        if (Double.isInfinite(limitRate)) {
            return "nothing";
        }
        if (queueUtilisation(stage, limitRate) >= coresUtilisation(stage, limitRate) * (1 - 1e-9)) {
            return deployment.servers(stage) + (stage.partitioned() ? " consumer(s)" : " thread(s)");
        }
        return deployment.sharedHost()
                ? "the shared host's " + deployment.sharedHostCores() + " cores"
                : "the " + deployment.poolCores(stage) + " cores of " + stage.service();
    }

    /** The queues {@code stage}'s traffic is spread over (partition consumers, or one pool). */
    public List<Queue> queues(Stage stage) {
        if (!stage.partitioned()) {
            return List.of(new Queue(1, deployment.servers(stage)));
        }
        return Arrays.stream(deployment.consumerShares(stage))
                .mapToObj(share -> new Queue(share, 1))
                .toList();
    }

    /**
     * Mean service time at {@code rate}: the cost, stretched when the stage's running threads (its CPU
     * demand in cores, at least one, at most its threads) outnumber the cores the other stages on the
     * same cores (and, on a shared host, the background load) leave free on average; infinite when
     * they leave none.
     */
    public double serviceMs(Stage stage, double rate) {
        if (inputs.costOf(stage) == 0) {
            return 0;
        }
        double othersBusyCores = deployment.sharedHost() ? deployment.backgroundCores() : 0;
        for (Stage other : Stage.values()) {
            if (other != stage && sharesCores(stage, other)) {
                othersBusyCores += rate * inputs.costOf(other) / 1000;
            }
        }
        double freeCores = deployment.poolCores(stage) - othersBusyCores;
        if (freeCores <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        double running = Math.max(1, Math.min(deployment.servers(stage), rate * inputs.costOf(stage) / 1000));
        return inputs.costOf(stage) / Math.min(1, freeCores / running);
    }

    private boolean sharesCores(Stage stage, Stage other) {
        return deployment.sharedHost() || stage.service().equals(other.service());
    }

    /**
     * A stage's utilisation: its busiest queue's, or that of the cores it runs on if higher (when the
     * cores are saturated every stage on them backs up, however many threads it has).
     */
    public double utilisation(Stage stage, double rate) {
        if (inputs.costOf(stage) == 0) {
            return 0;
        }
        return Math.max(queueUtilisation(stage, rate), coresUtilisation(stage, rate));
    }

    /** The busiest queue's utilisation: arrivals x service time / servers. */
    public double queueUtilisation(Stage stage, double rate) {
        double serviceMs = serviceMs(stage, rate);
        double busiest = 0;
        for (Queue queue : queues(stage)) {
            busiest = Math.max(busiest, rate * queue.share() / 1000 * serviceMs / queue.servers());
        }
        return busiest;
    }

    /** CPU demand on the cores {@code stage} runs on (its own and the stages sharing them) over those cores. */
    public double coresUtilisation(Stage stage, double rate) {
        double busyCores = deployment.sharedHost() ? deployment.backgroundCores() : 0;
        for (Stage other : Stage.values()) {
            if (other == stage || sharesCores(stage, other)) {
                busyCores += rate * inputs.costOf(other) / 1000;
            }
        }
        return busyCores / deployment.poolCores(stage);
    }

    /** The rate at which {@code stage} saturates (utilisation reaches 1), by bisection. */
    public double limitRate(Stage stage) {
        if (inputs.costOf(stage) == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double low = 0;
        double high = 1000;
        while (utilisation(stage, high) < 1) {
            low = high;
            high *= 2;
        }
        for (int i = 0; i < 60 && high - low > 1e-6; i++) {
            double mid = (low + high) / 2;
            if (utilisation(stage, mid) < 1) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** Cores x 1000 / CPU per request, over all cores and all stages. */
    public double hostCeiling() {
        return deployment.totalCores() * 1000.0 / inputs.totalCostMs();
    }

    /** P(time in {@code stage} > t) at {@code rate}: a mixture of its queues' M/M/c sojourn times. */
    public double exceeds(Stage stage, double rate, double tMs) {
        double serviceMs = serviceMs(stage, rate);
        if (serviceMs == 0) {
            return tMs < 0 ? 1 : 0;
        }
        double p = 0;
        for (Queue queue : queues(stage)) {
            p += queue.share() * ErlangC.sojournExceeds(tMs, rate * queue.share() / 1000, queue.servers(), serviceMs);
        }
        return p;
    }

    /** The q-quantile of the time in {@code stage}, ms. */
    public double quantile(Stage stage, double rate, double q) {
        if (serviceMs(stage, rate) == 0) {
            return 0;
        }
        double low = 0;
        double high = serviceMs(stage, rate);
        while (1 - exceeds(stage, rate, high) < q) {
            low = high;
            high *= 2;
        }
        for (int i = 0; i < 60; i++) {
            double mid = (low + high) / 2;
            if (1 - exceeds(stage, rate, mid) < q) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return high;
    }

    /**
     * p50 and p99 of the sum of the times in the routing path's stages, each independent (exact for
     * single-server tandems, Reich's theorem; an approximation otherwise), without and with the Kafka
     * hops, by convolving their distributions on a grid.
     */
    private double[] routingQuantiles(double rate) {
        List<DoubleUnaryOperator> parts = new ArrayList<>();
        double span = 0;
        for (Stage stage : Stage.values()) {
            if (stage.onRoutingPath()) {
                parts.add(t -> exceeds(stage, rate, t));
                span += quantile(stage, rate, 0.99999);
            }
        }
        int stages = parts.size();
        for (int hop = 0; hop < inputs.routingHops(); hop++) {
            parts.add(inputs::hopExceeds);
            span += inputs.hopFloorMs() + inputs.hopTailMeanMs() * Math.log(1e5);
        }
        if (span == 0) {
            return new double[] {0, 0, 0, 0};
        }
        double step = span / GRID_POINTS;
        double[] sum = null;
        double[] queueing = null;
        for (int i = 0; i < parts.size(); i++) {
            // point k holds the mass within half a step of k step (an atom at 0, a stage that costs
            // nothing, stays at 0): sums of points are points, index m is m step
            double[] mass = new double[GRID_POINTS + 1];
            double previous = 0;
            for (int k = 0; k <= GRID_POINTS; k++) {
                double cdf = 1 - parts.get(i).applyAsDouble((k + 0.5) * step);
                mass[k] = cdf - previous;
                previous = cdf;
            }
            sum = sum == null ? mass : convolve(sum, mass);
            if (i == stages - 1) {
                queueing = sum;
            }
        }
        return new double[] {
            gridQuantile(queueing, step, 0.50),
            gridQuantile(queueing, step, 0.99),
            gridQuantile(sum, step, 0.50),
            gridQuantile(sum, step, 0.99)
        };
    }

    private static double[] convolve(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            if (a[i] == 0) {
                continue;
            }
            for (int j = 0; i + j < out.length; j++) {
                out[i + j] += a[i] * b[j];
            }
        }
        return out;
    }

    /** Point k stands for the mass within half a step of k step; the quantile interpolates across it. */
    private static double gridQuantile(double[] mass, double step, double q) {
        double cumulative = 0;
        for (int k = 0; k < mass.length; k++) {
            if (cumulative + mass[k] >= q) {
                double within = mass[k] == 0 ? 0 : (q - cumulative) / mass[k];
                return Math.max(0, (k - 0.5 + within) * step);
            }
            cumulative += mass[k];
        }
        return mass.length * step;
    }
}
