package io.tiergate.cli.capacity;

import java.util.EnumMap;
import java.util.Map;

/**
 * The per-request costs the model starts from (docs/capacity.md, "Inputs").
 *
 * @param costMs ms of CPU per request per stage; 0 for a stage that is not deployed (e.g. what
 *     {@code ./tiergate bench} leaves out: gateway, workers, ledger)
 * @param hopP50Ms latency of one Kafka hop (produce to fetch) at the median; a hop's latency is a
 *     floor plus an exponential tail fitted to this and hopP99Ms (see {@link #hopFloorMs()})
 * @param hopP99Ms the same at p99 (Kafka's produce to consume p99 is ~5 ms on a quiet machine)
 * @param routingHops hops between request produced and decision on a tier topic: request to
 *     classifier, classified to router intake, by-cost-center to decider
 */
public record Inputs(Map<Stage, Double> costMs, double hopP50Ms, double hopP99Ms, int routingHops) {

    public Inputs {
        EnumMap<Stage, Double> complete = new EnumMap<>(Stage.class);
        for (Stage stage : Stage.values()) {
            double cost = costMs.getOrDefault(stage, stage.defaultCostMs());
            if (!(cost >= 0) || Double.isInfinite(cost)) {
                throw new IllegalArgumentException("cost of " + stage.key() + " must be >= 0 ms, was " + cost);
            }
            complete.put(stage, cost);
        }
        costMs = Map.copyOf(complete);
        if (hopP50Ms < 0 || hopP99Ms < hopP50Ms || routingHops < 0) {
            throw new IllegalArgumentException("hop latencies must satisfy 0 <= p50 <= p99, hops >= 0");
        }
    }

    /** The measured (and provisional) defaults: each stage's {@link Stage#defaultCostMs()}, 2.5 / 5 ms per hop. */
    public static Inputs measured() {
        return new Inputs(Map.of(), 2.5, 5.0, 3);
    }

    /**
     * A hop's latency is {@code floor + Exp(mean tail)}, with p50 and p99 as given: tail mean =
     * (p99 - p50) / ln(50), floor = p50 - tail mean x ln 2. 2.5 / 5 ms: floor 2.06 ms, tail mean 0.64 ms.
     */
    public double hopTailMeanMs() {
        return (hopP99Ms - hopP50Ms) / Math.log(50);
    }

    /** See {@link #hopTailMeanMs()}. */
    public double hopFloorMs() {
        return Math.max(0, hopP50Ms - hopTailMeanMs() * Math.log(2));
    }

    /** P(one hop takes longer than t ms). */
    public double hopExceeds(double tMs) {
        if (tMs < hopFloorMs()) {
            return 1;
        }
        double tail = hopTailMeanMs();
        return tail == 0 ? 0 : Math.exp(-(tMs - hopFloorMs()) / tail);
    }

    public double costOf(Stage stage) {
        return costMs.get(stage);
    }

    public Inputs withCost(Stage stage, double ms) {
        EnumMap<Stage, Double> copy = new EnumMap<>(costMs);
        copy.put(stage, ms);
        return new Inputs(copy, hopP50Ms, hopP99Ms, routingHops);
    }

    /** CPU per request over every stage: a host of n cores carries at most n x 1000 / this req/s. */
    public double totalCostMs() {
        return costMs.values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
