package io.tiergate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.cli.capacity.CapacityModel;
import io.tiergate.cli.capacity.Deployment;
import io.tiergate.cli.capacity.Inputs;
import io.tiergate.cli.capacity.Planner;
import io.tiergate.cli.capacity.Simulation;
import io.tiergate.cli.capacity.Stage;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code capacity}: the scale-out model of docs/capacity.md. For each rate it prints every stage's
 * utilisation, the rate at which it saturates and its latency, analytically (M/M/c per queue) and by
 * a seeded simulation, and the routing overhead's p50/p99; {@code --plan RATE} finds the smallest
 * deployment of dedicated instances that carries RATE within the p99 target. Nothing runs: no broker,
 * no service; {@link CapacityModel}, {@link Simulation} and {@link Planner} hold the logic.
 */
@Command(
        name = "capacity",
        mixinStandardHelpOptions = true,
        description = "Scale-out on paper: utilisation, saturation and latency per stage from the measured CPU per"
                + " request, analytic (M/M/c) and simulated; --plan finds a deployment for a rate.")
public class CapacityCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(
            names = "--rate",
            split = ",",
            defaultValue = "400,4000,40000",
            description =
                    "Rates to assess, req/s (default: ${DEFAULT-VALUE}: this machine's measured maximum, 10x, 100x).")
    List<Double> rates;

    @Option(
            names = "--instances",
            split = ",",
            paramLabel = "SERVICE=N",
            description = "Instances per service (gateway, broker = brokers, classifier, router, workers, ledger;"
                    + " default 1 each).")
    Map<String, Integer> instances = new LinkedHashMap<>();

    @Option(
            names = "--cores",
            split = ",",
            paramLabel = "SERVICE=N",
            description = "Cores per instance (per broker for broker). Default: 2 each on the shared host; with"
                    + " --shared-cores 0 or --plan: gateway=2,broker=4,classifier=1,router=1,workers=2,ledger=1.")
    Map<String, Integer> cores = new LinkedHashMap<>();

    @Option(
            names = "--threads",
            split = ",",
            paramLabel = "STAGE=N",
            description = "Threads per instance per stage (default: 1 per consuming stage, one per core for gateway,"
                    + " broker and workers).")
    Map<String, Integer> threads = new LinkedHashMap<>();

    @Option(
            names = "--partitions",
            split = ",",
            paramLabel = "N|STAGE=N",
            description = "Partitions of every topic (N) or of one stage's topic (classifier=12, router-intake=6,"
                    + " router-decider=6, workers=6, ledger=6; a topic name works too). Default: 3.")
    List<String> partitions = List.of();

    @Option(
            names = "--cost",
            split = ",",
            paramLabel = "STAGE=MS",
            description = "ms of CPU per request per stage (default: the measured and provisional inputs of"
                    + " docs/capacity.md; 0 leaves a stage out).")
    Map<String, Double> costs = new LinkedHashMap<>();

    @Option(
            names = "--routing-only",
            description = "Only what ./tiergate bench runs: broker, classifier and router (gateway, workers and ledger"
                    + " cost 0).")
    boolean routingOnly;

    @Option(
            names = "--shared-cores",
            defaultValue = "2",
            description = "Every stage on one host of this many cores (default: ${DEFAULT-VALUE}, this machine); 0:"
                    + " every instance on its own cores.")
    int sharedCores;

    @Option(
            names = "--background-cores",
            defaultValue = "0",
            description = "Cores of the shared host busy with other work: load generator, observer, other builds"
                    + " (default: ${DEFAULT-VALUE}).")
    double backgroundCores;

    @Option(
            names = "--cost-centers",
            defaultValue = "5",
            description = "Active cost centers: the decider's parallelism cap (default: ${DEFAULT-VALUE}, the"
                    + " reference workload's).")
    int costCenters;

    @Option(
            names = "--hop-ms",
            split = ",",
            defaultValue = "2.5,5",
            paramLabel = "P50,P99",
            description = "Latency of one Kafka hop at p50 and p99, added per hop of the routing path"
                    + " (default: ${DEFAULT-VALUE}).")
    List<Double> hopMs;

    @Option(
            names = "--plan",
            paramLabel = "RATE",
            description = "Find the smallest deployment of dedicated instances for RATE req/s instead.")
    Double planRate;

    @Option(
            names = "--p99-target-ms",
            defaultValue = "100",
            description = "The routing overhead's p99 target for --plan (default: ${DEFAULT-VALUE}).")
    double p99TargetMs;

    @Option(
            names = "--max-utilisation",
            defaultValue = "0.7",
            description = "Busiest queue's utilisation ceiling for --plan (default: ${DEFAULT-VALUE}).")
    double maxUtilisation;

    @Option(
            names = "--min-brokers",
            defaultValue = "3",
            description = "Brokers --plan starts from (default: ${DEFAULT-VALUE}, for replication factor 3).")
    int minBrokers;

    @Option(
            names = "--requests",
            defaultValue = "200000",
            description = "Requests per simulation; 0 skips the simulation (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--seed", defaultValue = "1", description = "The simulation's seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--service-times",
            defaultValue = "exponential",
            paramLabel = "exponential|lognormal:CV|measured",
            description = "How the simulation draws service times around their mean (default: ${DEFAULT-VALUE},"
                    + " as the analytic model assumes; measured: the classifier's 22%% MiniLM requests at ~3.7 ms and"
                    + " the rest at ~0.2 ms, other stages exponential).")
    String serviceTimes;

    @Option(names = "--json", description = "Print one JSON object per rate (and for the plan) instead of tables.")
    boolean json;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws JsonProcessingException {
        Inputs inputs = inputs();
        Simulation.ServiceTimes shape = serviceTimes();
        if (requests != 0 && requests < 100) {
            throw new ParameterException(spec.commandLine(), "--requests must be 0 or >= 100, was " + requests);
        }
        if (planRate != null) {
            return plan(inputs, shape);
        }
        if (rates.stream().anyMatch(r -> !(r > 0))) {
            throw new ParameterException(spec.commandLine(), "every --rate must be > 0 req/s, was " + rates);
        }
        CapacityModel model = new CapacityModel(inputs, deployment(sharedCores));
        if (!json) {
            header(model);
        }
        for (double rate : rates) {
            report(model, rate, shape);
        }
        return 0;
    }

    private int plan(Inputs inputs, Simulation.ServiceTimes shape) throws JsonProcessingException {
        if (!(planRate > 0)) {
            throw new ParameterException(spec.commandLine(), "--plan must be > 0 req/s, was " + planRate);
        }
        Planner planner;
        Planner.Plan plan;
        try {
            planner = new Planner(inputs, maxUtilisation, p99TargetMs, minBrokers);
            plan = planner.plan(planRate, deployment(0));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Deployment found = plan.deployment();
        if (json) {
            ObjectNode line = JSON.createObjectNode();
            line.put("plan", planRate);
            line.put("p99TargetMs", p99TargetMs);
            line.put("maxUtilisation", maxUtilisation);
            line.put("feasible", plan.infeasible().isEmpty());
            plan.infeasible().ifPresent(why -> line.put("infeasible", why));
            ObjectNode services = line.putObject("services");
            for (String service : Deployment.SERVICES) {
                ObjectNode s = services.putObject(service);
                s.put("instances", found.instancesOf(service));
                s.put("coresPerInstance", found.coresOf(service));
                s.put("cores", found.instancesOf(service) * found.coresOf(service));
            }
            ObjectNode topics = line.putObject("partitions");
            for (Stage stage : Stage.values()) {
                if (stage.topic() != null) {
                    topics.put(stage.topic(), found.partitionsOf(stage));
                }
            }
            line.put("brokers", found.instancesOf("broker"));
            line.put("totalCores", found.totalCores());
            out.println(JSON.writeValueAsString(line));
        } else {
            out.printf(
                    Locale.ROOT,
                    "Plan for %.0f req/s: routing p99 <= %.0f ms, every queue <= %.0f%% busy, >= %d brokers%n",
                    planRate,
                    p99TargetMs,
                    100 * maxUtilisation,
                    minBrokers);
            plan.infeasible()
                    .ifPresent(why -> out.println("NOT FEASIBLE: " + why + " (the last deployment tried follows)"));
            out.printf(Locale.ROOT, "%-12s %9s %10s %6s%n", "service", "instances", "cores each", "cores");
            for (String service : Deployment.SERVICES) {
                out.printf(
                        Locale.ROOT,
                        "%-12s %9d %10d %6d%n",
                        service,
                        found.instancesOf(service),
                        found.coresOf(service),
                        found.instancesOf(service) * found.coresOf(service));
            }
            out.printf(Locale.ROOT, "%-12s %9s %10s %6d%n", "total", "", "", found.totalCores());
            out.printf(Locale.ROOT, "%-24s %10s%n", "topic", "partitions");
            for (Stage stage : Stage.values()) {
                if (stage.topic() != null) {
                    out.printf(Locale.ROOT, "%-24s %10d%n", stage.topic(), found.partitionsOf(stage));
                }
            }
            out.println();
        }
        report(new CapacityModel(inputs, found), planRate, shape);
        return 0;
    }

    private void header(CapacityModel model) {
        Deployment d = model.deployment();
        String host = d.sharedHost()
                ? String.format(
                        Locale.ROOT,
                        "one shared host of %d cores (%.2f busy elsewhere)",
                        d.sharedHostCores(),
                        d.backgroundCores())
                : "dedicated instances, " + d.totalCores() + " cores in all";
        out.printf(
                Locale.ROOT,
                "%s; %d active cost centers; CPU per request %.2f ms over all stages: the cores carry at most %.0f req/s%n",
                host,
                d.activeCostCenters(),
                model.inputs().totalCostMs(),
                model.hostCeiling());
        StringBuilder services = new StringBuilder("instances x cores:");
        for (String service : Deployment.SERVICES) {
            services.append(' ')
                    .append(service)
                    .append('=')
                    .append(d.instancesOf(service))
                    .append('x')
                    .append(d.coresOf(service));
        }
        out.println(services);
    }

    private void report(CapacityModel model, double rate, Simulation.ServiceTimes shape)
            throws JsonProcessingException {
        CapacityModel.Assessment a = model.assess(rate);
        Simulation.Result sim = simulate(model, a, rate, shape);
        if (json) {
            out.println(JSON.writeValueAsString(toJson(a, sim)));
            return;
        }
        out.printf(Locale.ROOT, "%nrate %.0f req/s%n", rate);
        out.printf(
                Locale.ROOT,
                "%-15s %-24s %7s %7s %6s %6s %11s %8s %8s | %-22s%n",
                "stage",
                "topic",
                "servers",
                "cpu ms",
                "util",
                "cores",
                "limit req/s",
                "p50 ms",
                "p99 ms",
                sim == null ? "no simulation" : "simulated util p50 p99");
        for (CapacityModel.StageLoad load : a.stages()) {
            String simulated = "";
            if (sim != null) {
                Simulation.StageResult s = sim.of(load.stage());
                simulated = String.format(Locale.ROOT, "%4.2f %8s %8s", s.utilisation(), ms(s.p50Ms()), ms(s.p99Ms()));
            }
            out.printf(
                    Locale.ROOT,
                    "%-15s %-24s %7d %7.3f %6s %6s %11s %8s %8s | %s%n",
                    load.stage().key(),
                    load.stage().topic() == null ? "-" : load.stage().topic(),
                    load.servers(),
                    model.inputs().costOf(load.stage()),
                    load.saturated() ? "SAT" : String.format(Locale.ROOT, "%.2f", load.queueUtilisation()),
                    String.format(Locale.ROOT, "%.2f", load.coresUtilisation()),
                    Double.isInfinite(load.limitRate()) ? "-" : String.format(Locale.ROOT, "%.0f", load.limitRate()),
                    ms(load.p50Ms()),
                    ms(load.p99Ms()),
                    simulated);
        }
        out.printf(
                Locale.ROOT,
                "routing overhead (request produced -> tier topic, incl. %d hops of p50/p99 %.1f/%.1f ms): p50 %s ms, p99 %s ms%s%n",
                model.inputs().routingHops(),
                model.inputs().hopP50Ms(),
                model.inputs().hopP99Ms(),
                ms(a.routingP50Ms()),
                ms(a.routingP99Ms()),
                sim == null
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                "; simulated p50 %s ms, p99 %s ms",
                                ms(sim.routingP50Ms()),
                                ms(sim.routingP99Ms())));
        out.printf(
                Locale.ROOT,
                "saturates first: %s (%s) at %.0f req/s%s%n",
                a.bottleneck().key(),
                a.limitedBy(),
                a.maxRate(),
                a.saturated() ? " (SATURATED at this rate: the backlog grows without bound)" : "");
    }

    private Simulation.Result simulate(
            CapacityModel model, CapacityModel.Assessment a, double rate, Simulation.ServiceTimes shape) {
        // a saturated queue has no steady state: its simulated numbers would only say how long the run was
        if (requests == 0 || a.saturated()) {
            return null;
        }
        return new Simulation(model, shape).run(rate, requests, seed);
    }

    private ObjectNode toJson(CapacityModel.Assessment a, Simulation.Result sim) {
        ObjectNode line = JSON.createObjectNode();
        line.put("rate", a.rate());
        line.put("saturatesFirst", a.bottleneck().key());
        line.put("limitedBy", a.limitedBy());
        number(line, "maxRate", a.maxRate());
        number(line, "coresCeiling", a.hostCeiling());
        line.put("saturated", a.saturated());
        number(line, "routingP50Ms", a.routingP50Ms());
        number(line, "routingP99Ms", a.routingP99Ms());
        number(line, "queueP50Ms", a.queueP50Ms());
        number(line, "queueP99Ms", a.queueP99Ms());
        if (sim != null) {
            number(line, "simulatedQueueP50Ms", sim.queueP50Ms());
            number(line, "simulatedQueueP99Ms", sim.queueP99Ms());
            number(line, "simulatedRoutingP50Ms", sim.routingP50Ms());
            number(line, "simulatedRoutingP99Ms", sim.routingP99Ms());
            line.put("simulatedRequests", sim.requests());
            line.put("seed", sim.seed());
        }
        ObjectNode stages = line.putObject("stages");
        for (CapacityModel.StageLoad load : a.stages()) {
            ObjectNode s = stages.putObject(load.stage().key());
            s.put("servers", load.servers());
            number(s, "utilisation", load.utilisation());
            number(s, "queueUtilisation", load.queueUtilisation());
            number(s, "coresUtilisation", load.coresUtilisation());
            number(s, "limitRate", load.limitRate());
            number(s, "p50Ms", load.p50Ms());
            number(s, "p99Ms", load.p99Ms());
            if (sim != null) {
                Simulation.StageResult r = sim.of(load.stage());
                number(s, "simulatedUtilisation", r.utilisation());
                number(s, "simulatedP50Ms", r.p50Ms());
                number(s, "simulatedP99Ms", r.p99Ms());
            }
        }
        return line;
    }

    /** Finite numbers rounded to 3 decimals; NaN and infinity (saturated, not deployed) as null. */
    private static void number(ObjectNode node, String name, double value) {
        if (Double.isFinite(value)) {
            node.put(name, Math.round(value * 1000) / 1000.0);
        } else {
            node.putNull(name);
        }
    }

    private static String ms(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.2f", value) : "-";
    }

    private Inputs inputs() {
        if (hopMs.size() != 2) {
            throw new ParameterException(spec.commandLine(), "--hop-ms takes P50,P99, was " + hopMs);
        }
        Map<Stage, Double> perStage = new EnumMap<>(Stage.class);
        if (routingOnly) {
            perStage.put(Stage.GATEWAY, 0.0);
            perStage.put(Stage.WORKERS, 0.0);
            perStage.put(Stage.LEDGER, 0.0);
        }
        try {
            costs.forEach((stage, ms) -> perStage.put(Stage.of(stage), ms));
            return new Inputs(perStage, hopMs.get(0), hopMs.get(1), 3);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--cost: " + e.getMessage());
        }
    }

    private Deployment deployment(int sharedHostCores) {
        try {
            Map<String, Integer> coresPerInstance = new LinkedHashMap<>();
            for (String service : Deployment.SERVICES) {
                coresPerInstance.put(
                        service, sharedHostCores > 0 ? sharedHostCores : Deployment.DEDICATED_CORES.get(service));
            }
            coresPerInstance.putAll(cores);
            Map<Stage, Integer> threadsPerInstance = Deployment.defaultThreads(coresPerInstance);
            threads.forEach((stage, n) -> threadsPerInstance.put(Stage.of(stage), n));
            Map<Stage, Integer> topicPartitions = Deployment.uniformPartitions(planRate != null ? 1 : 3);
            for (String item : partitions) {
                int eq = item.indexOf('=');
                if (eq < 0) {
                    topicPartitions = Deployment.uniformPartitions(count(item));
                }
            }
            for (String item : partitions) {
                int eq = item.indexOf('=');
                if (eq >= 0) {
                    topicPartitions.put(stageOfTopic(item.substring(0, eq)), count(item.substring(eq + 1)));
                }
            }
            return new Deployment(
                    instances,
                    coresPerInstance,
                    threadsPerInstance,
                    topicPartitions,
                    costCenters,
                    sharedHostCores,
                    backgroundCores);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private Simulation.ServiceTimes serviceTimes() {
        String value = serviceTimes.trim().toLowerCase(Locale.ROOT);
        if (value.equals("exponential")) {
            return Simulation.ServiceTimes.EXPONENTIAL;
        }
        if (value.equals("measured")) {
            return Simulation.ServiceTimes.MEASURED;
        }
        if (value.startsWith("lognormal:")) {
            try {
                return Simulation.ServiceTimes.lognormal(Double.parseDouble(value.substring("lognormal:".length())));
            } catch (IllegalArgumentException e) { // NumberFormatException included
                throw new ParameterException(
                        spec.commandLine(), "--service-times lognormal:CV needs a CV > 0, was " + serviceTimes);
            }
        }
        throw new ParameterException(
                spec.commandLine(),
                "--service-times must be exponential, measured or lognormal:CV, was " + serviceTimes);
    }

    private static int count(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--partitions: '" + value + "' is not a whole number", e);
        }
    }

    /** A stage key (classifier) or the topic it consumes (inference.requests). */
    private static Stage stageOfTopic(String name) {
        for (Stage stage : Stage.values()) {
            if (name.trim().equals(stage.topic()) && stage.topic() != null) {
                return stage;
            }
        }
        Stage stage = Stage.of(name);
        if (stage.topic() == null) {
            throw new IllegalArgumentException("--partitions: " + stage.key() + " reads no partitioned topic");
        }
        return stage;
    }
}
