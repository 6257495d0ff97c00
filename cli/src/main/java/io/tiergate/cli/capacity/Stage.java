package io.tiergate.cli.capacity;

import io.tiergate.schemas.topics.Topics;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A stage of a request's path that spends CPU per request, the service (process) it runs in, and how
 * its work is spread: over the partitions of a topic its consumer group reads (a partition has one
 * consumer, and a record waits behind the records of its partition), or over a pool any thread can
 * take the next request from (HTTP threads, broker cores, a worker's in-flight pool).
 *
 * <p>The default costs are the measured or provisional inputs of docs/capacity.md, "Inputs": ms of
 * CPU per request (per cost event for the ledger, per request's records for the broker).
 */
public enum Stage {
    /** HTTP in and out: 0.2 ms, provisional (its latency was measured, its CPU not). */
    GATEWAY("gateway", "gateway", null, false, 0.2),
    /**
     * Produce and fetch of a request's records: 0.34 ms measured by {@code ./tiergate bench} at 1,000
     * req/s for the routing path (request, classified, by-cost-center, tier, audit; median of 3 runs);
     * the result and cost records are not in it.
     */
    BROKER("broker", "broker", null, true, 0.34),
    /**
     * The classifier process per request at 1,000 req/s: 0.84 ms measured by {@code ./tiergate bench}
     * (median of 3 runs; 0.65 in saturated batches, 1.24 at 250 req/s). 22% of requests run MiniLM.
     */
    CLASSIFIER("classifier", "classifier", Topics.Names.INFERENCE_REQUESTS, true, 0.84),
    /**
     * The router's re-keying hop onto routing.by-cost-center: a third of the router process's 0.24 ms
     * per request measured by {@code ./tiergate bench} at 1,000 req/s (the split between its hops is
     * assumed).
     */
    ROUTER_INTAKE("router-intake", "router", Topics.Names.INFERENCE_CLASSIFIED, true, 0.08),
    /** The router's decider (policy, dedupe, reservation, two produces): two thirds of the measured 0.24 ms. */
    ROUTER_DECIDER("router-decider", "router", Topics.Names.ROUTING_BY_COST_CENTER, true, 0.16),
    /** The workers' own overhead around a model call (not the call): 2.0 ms, provisional, not measured. */
    WORKERS("workers", "workers", "inference.tier.*", false, 2.0),
    /**
     * The ledger's exactly-once stream thread: 20,017 events per stream-thread CPU second measured by
     * {@code ./tiergate bench --ledger} (median of 3, session 10; 20,642 in an earlier sitting), 0.05 ms
     * per event.
     */
    LEDGER("ledger", "ledger", Topics.Names.INFERENCE_COSTS, false, 0.05);

    private final String key;
    private final String service;
    private final String topic;
    private final boolean onRoutingPath;
    private final double defaultCostMs;

    Stage(String key, String service, String topic, boolean onRoutingPath, double defaultCostMs) {
        this.key = key;
        this.service = service;
        this.topic = topic;
        this.onRoutingPath = onRoutingPath;
        this.defaultCostMs = defaultCostMs;
    }

    /** The name used on the command line and in JSON. */
    public String key() {
        return key;
    }

    /** The process this stage runs in: stages of one service share its instances and cores. */
    public String service() {
        return service;
    }

    /** The topic whose partitions cap this stage's consumers, or null when nothing partitions its work. */
    public String topic() {
        return topic;
    }

    /**
     * Whether the stage is part of the routing overhead {@code ./tiergate bench} measures (request
     * produced to decision on a tier topic): classifier, router intake, router decider and the broker.
     */
    public boolean onRoutingPath() {
        return onRoutingPath;
    }

    /** Whether a record waits for the one consumer of its partition (true) or for any free thread (false). */
    public boolean partitioned() {
        return topic != null && this != WORKERS;
    }

    public double defaultCostMs() {
        return defaultCostMs;
    }

    /** The stage named {@code key} (as printed by {@link #key()}). */
    public static Stage of(String key) {
        String wanted = key.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(s -> s.key.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown stage '" + key + "', expected one of "
                        + Arrays.stream(values()).map(Stage::key).collect(Collectors.joining(", "))));
    }
}
