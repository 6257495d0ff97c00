package io.tiergate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.cli.bench.LedgerBench;
import io.tiergate.cli.bench.ProcessCpu;
import io.tiergate.cli.bench.RoutingTimestamps;
import io.tiergate.cli.demo.EvenSchedule;
import io.tiergate.cli.demo.RequestSender;
import io.tiergate.cli.demo.Workload;
import io.tiergate.cli.demo.WorkloadItem;
import io.tiergate.cli.stack.JvmProfile;
import io.tiergate.cli.stack.LocalStack;
import io.tiergate.cli.stack.ServiceSpec;
import io.tiergate.cli.stack.StackOptions;
import io.tiergate.ledger.kafka.LedgerStreamsDefaults;
import io.tiergate.testkit.BrokerProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Routing overhead: sends requests at fixed rates through classifier and router on a real broker
 * and measures the time from a request being produced to its decision landing on a tier topic.
 * Prints one JSON object per rate ({@code rate, p50Ms, p99Ms, sent, routed}, plus the classifier's
 * share) and a summary with the highest rate whose p99 stayed within the target, found by bisecting
 * between the rates that held it and the rates that did not.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description =
                "Measure routing overhead (request produced -> decision on the tier topic) at fixed rates, or with"
                        + " --ledger the ledger's cost events per second; prints JSON.")
public class BenchCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The search stops when the bracket is this narrow (req/s). */
    private static final int SEARCH_RESOLUTION = 25;
    /** How long a run's backlog may take to drain before the run is scored as incomplete. */
    private static final long DRAIN_TIMEOUT_SECONDS = 60;
    /** How much longer an incomplete run's backlog may drain before the next run starts anyway. */
    private static final long BACKLOG_TIMEOUT_SECONDS = 300;

    @Spec
    CommandSpec spec;

    @Mixin
    StackMixin stack;

    @Option(
            names = "--rates",
            split = ",",
            defaultValue = "250,500,1000,2000,3000,4000",
            description = "Rates to measure, req/s (default: ${DEFAULT-VALUE}).")
    List<Integer> rates;

    @Option(
            names = "--duration",
            defaultValue = "20",
            description = "Seconds of traffic per rate (default: ${DEFAULT-VALUE}).")
    int durationSeconds;

    @Option(
            names = "--warmup",
            defaultValue = "90",
            description =
                    "Seconds of traffic at the first rate before measuring, drained before the first measurement; the C2 compiler"
                            + " needs about a minute and a half on two cores (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(
            names = "--p99-target-ms",
            defaultValue = "100",
            description = "p99 target for the 'maximum sustained rate' (default: ${DEFAULT-VALUE}).")
    long p99TargetMs;

    @Option(
            names = "--search-steps",
            defaultValue = "3",
            description =
                    "Extra rates tried, bisecting between the highest rate within the p99 target and the lowest above it (default: ${DEFAULT-VALUE}).")
    int searchSteps;

    @Option(
            names = "--classifier-cache",
            description =
                    "Keep the classifier's embedding cache on. Off by default: the workload's prompts repeat, and a cache would"
                            + " answer every repeat, so the benchmark measures prompts the classifier has never seen.")
    boolean classifierCache;

    @Option(
            names = "--workload",
            description = "JSONL workload the prompts come from (default: workloads/reference.jsonl).")
    Path workload;

    @Option(
            names = "--ledger",
            description =
                    "Measure the ledger instead: cost events per second through the real ledger topology on an embedded"
                            + " broker (fresh each run); prints one JSON line.")
    boolean ledger;

    @Option(
            names = "--events",
            defaultValue = "100000",
            description =
                    "--ledger: unique cost events to produce (3 %% more records: redeliveries) (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(
            names = "--warmup-events",
            defaultValue = "300000",
            description = "--ledger: cost events counted before the measurement, so the JIT has compiled the hot path"
                    + " (with 50,000 the compiler still took ~4.6 s of CPU during the measured 100,000; with 300,000"
                    + " ~0.7 s) (default: ${DEFAULT-VALUE}).")
    int warmupEvents;

    @Option(
            names = "--guarantee",
            defaultValue = StreamsConfig.EXACTLY_ONCE_V2,
            description = "--ledger: exactly_once_v2 or at_least_once (default: ${DEFAULT-VALUE}).")
    String guarantee;

    @Option(
            names = "--threads",
            defaultValue = "1",
            description = "--ledger: stream threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--commit-interval-ms",
            defaultValue = "" + LedgerStreamsDefaults.COMMIT_INTERVAL_MS,
            description = "--ledger: commit.interval.ms, how long outputs wait for visibility under exactly-once"
                    + " (default: ${DEFAULT-VALUE}, the ledger's setting).")
    long commitIntervalMs;

    private final PrintStream out = System.out;
    private List<WorkloadItem> items;
    private RequestSender sender;
    private RoutingTimestamps observer;
    private String prefix;
    private int runs;
    private ProcessCpu cpu;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (ledger) {
            return benchLedger();
        }
        checkOptions();
        StackOptions base = stack.toOptions();
        items = Workload.read(workload != null ? workload : base.home().resolve("workloads/reference.jsonl"));
        List<ServiceSpec> routing = ServiceSpec.ALL.subList(0, 2); // classifier-service, router-service
        StackOptions options = base.with(
                stack.dataDir != null ? base.dataDir() : base.dataDir().resolve("bench"),
                base.bootstrap().isEmpty(),
                routing);
        System.err.println("[bench] starting broker, registry, classifier-service and router-service (full JIT) ...");
        prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        System.err.printf(
                "[bench] plan: %d s warm-up, %d rates x %d s, up to %d search steps x %d s: at least %.1f min, plus backlog drains%n",
                warmupSeconds,
                rates.size(),
                durationSeconds,
                searchSteps,
                durationSeconds,
                (warmupSeconds + (rates.size() + searchSteps) * durationSeconds) / 60.0);
        try (LocalStack running = LocalStack.start(options, System.err, serviceEnv(), JvmProfile.STEADY_STATE);
                RequestSender s = new RequestSender(running.bootstrapServers(), running.registryUrl());
                RoutingTimestamps o = new RoutingTimestamps(running.bootstrapServers(), prefix)) {
            sender = s;
            observer = o;
            cpu = new ProcessCpu(processes(running));
            if (warmupSeconds > 0) {
                System.err.printf(
                        "[bench] warm-up: %d s at %d req/s, then its backlog drains ...%n",
                        warmupSeconds, rates.get(0));
                ObjectNode warm = run(rates.get(0), warmupSeconds);
                System.err.printf("[bench] warm-up done: %s%n", JSON.writeValueAsString(warm));
            }
            int sustained = 0;
            int failing = Integer.MAX_VALUE;
            for (int rate : rates) {
                ObjectNode result = run(rate, durationSeconds);
                out.println(JSON.writeValueAsString(result));
                if (withinTarget(result)) {
                    sustained = Math.max(sustained, rate);
                } else {
                    failing = Math.min(failing, rate);
                }
            }
            int lo = sustained;
            int hi = failing;
            for (int step = 0; step < searchSteps && hi != Integer.MAX_VALUE && hi - lo > SEARCH_RESOLUTION; step++) {
                int mid = Math.max(SEARCH_RESOLUTION, (lo + hi) / 2 / SEARCH_RESOLUTION * SEARCH_RESOLUTION);
                if (mid <= lo || mid >= hi) {
                    break;
                }
                System.err.printf(
                        "[bench] search %d of %d: the limit lies between %d and %d req/s%n",
                        step + 1, searchSteps, lo, hi);
                ObjectNode result = run(mid, durationSeconds);
                result.put("search", true);
                out.println(JSON.writeValueAsString(result));
                if (withinTarget(result)) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            ObjectNode summary = JSON.createObjectNode();
            summary.put("maxSustainedRateWithinP99Target", lo);
            if (hi != Integer.MAX_VALUE) {
                summary.put("lowestRateOverTarget", hi);
            }
            summary.put("p99TargetMs", p99TargetMs);
            summary.put("partitions", options.partitions());
            summary.put("cores", Runtime.getRuntime().availableProcessors());
            out.println(JSON.writeValueAsString(summary));
        }
        return 0;
    }

    /** The processes whose CPU a run reports: the two routing services, the broker when the stack started one, and this JVM (load generator and observer). */
    private static Map<String, Long> processes(LocalStack running) {
        Map<String, Long> pids = new LinkedHashMap<>(running.processIds());
        pids.put("bench", ProcessHandle.current().pid());
        return pids;
    }

    /**
     * {@code --ledger}: a fresh broker of its own (data dir {@code <data-dir>/bench-ledger}, emptied
     * first: the benchmark counts everything on inference.costs), the events, the ledger, one JSON line.
     */
    private int benchLedger() throws IOException, InterruptedException {
        checkLedgerOptions();
        StackOptions options = stack.toOptions();
        Path data = options.dataDir().resolve("bench-ledger");
        deleteRecursively(data);
        System.err.printf("[bench] starting Kafka broker (KRaft, data in %s) ...%n", data);
        var defaults = BrokerProcess.Settings.defaults(data.resolve("kafka"));
        try (BrokerProcess broker = BrokerProcess.start(
                new BrokerProcess.Settings(
                        defaults.dataDir(),
                        defaults.host(),
                        options.brokerPort(),
                        options.brokerPort() + 1,
                        defaults.classpath()),
                Duration.ofSeconds(60))) {
            LedgerBench.Result result = new LedgerBench(
                            broker.bootstrapServers(),
                            new LedgerBench.Options(
                                    events, warmupEvents, guarantee, threads, options.partitions(), commitIntervalMs),
                            System.err)
                    .run(Duration.ofMinutes(30));
            out.println(JSON.writeValueAsString(ledgerJson(result)));
            if (!result.exact()) {
                System.err.printf(
                        "[bench] totals differ: ledger %s (%d events) vs produced %s (%d events)%n",
                        result.countedUsd().toPlainString(),
                        result.countedEvents(),
                        result.producedUsd().toPlainString(),
                        result.events());
                return 1;
            }
            return 0;
        } finally {
            deleteRecursively(data);
        }
    }

    static ObjectNode ledgerJson(LedgerBench.Result result) {
        ObjectNode json = JSON.createObjectNode();
        json.put("benchmark", "ledger");
        json.put("eventsPerSecond", Math.round(result.eventsPerSecond()));
        json.put("eventsPerStreamThreadCpuSecond", Math.round(result.eventsPerStreamThreadCpuSecond()));
        json.put("streamThreadCpuSeconds", Math.round(result.streamThreadCpuSeconds() * 100) / 100.0);
        json.put("processCpuSeconds", Math.round(result.processCpuSeconds() * 100) / 100.0);
        json.put("runQueueWaitSeconds", Math.round(result.runQueueWaitSeconds() * 100) / 100.0);
        json.put("streamThreadRunQueueWaitSeconds", Math.round(result.streamThreadRunQueueWaitSeconds() * 100) / 100.0);
        json.put("compilerCpuSeconds", Math.round(result.compilerCpuSeconds() * 100) / 100.0);
        json.put("gcCpuSeconds", Math.round(result.gcCpuSeconds() * 100) / 100.0);
        json.put("recordsPerSecond", Math.round(result.recordsPerSecond()));
        json.put("events", result.events());
        json.put("records", result.records());
        json.put("guarantee", result.options().guarantee());
        json.put("threads", result.options().threads());
        json.put("partitions", result.options().partitions());
        json.put("commitIntervalMs", result.options().commitIntervalMs());
        json.put("seconds", Math.round(result.seconds() * 100) / 100.0);
        json.put("warmupEvents", result.options().warmupEvents());
        json.put("warmupSeconds", Math.round(result.warmupSeconds() * 100) / 100.0);
        json.put("secondsToRunning", Math.round(result.secondsToRunning() * 100) / 100.0);
        json.put("totalUsd", result.countedUsd().toPlainString());
        json.put("exact", result.exact());
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("loadAverageAtStart", Math.round(result.loadAverageAtStart() * 100) / 100.0);
        json.put("loadAverageAtEnd", Math.round(result.loadAverageAtEnd() * 100) / 100.0);
        return json;
    }

    private void checkLedgerOptions() {
        if (stack.bootstrap != null) {
            throw invalid(
                    "--bootstrap", "--ledger starts its own empty broker (it counts everything on inference.costs)");
        }
        if (events <= 0) {
            throw invalid("--events", "must be > 0, was " + events);
        }
        if (!StreamsConfig.EXACTLY_ONCE_V2.equals(guarantee) && !StreamsConfig.AT_LEAST_ONCE.equals(guarantee)) {
            throw invalid("--guarantee", "must be exactly_once_v2 or at_least_once, was " + guarantee);
        }
        if (warmupEvents < 0) {
            throw invalid("--warmup-events", "must be >= 0, was " + warmupEvents);
        }
        if (threads < 1) {
            throw invalid("--threads", "must be >= 1, was " + threads);
        }
        if (commitIntervalMs < 1) {
            throw invalid("--commit-interval-ms", "must be >= 1, was " + commitIntervalMs);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Values picocli's types accept but a run cannot use, rejected before anything starts. */
    private void checkOptions() {
        if (rates.isEmpty() || rates.stream().anyMatch(r -> r == null || r <= 0)) {
            throw invalid("--rates", "every rate must be > 0 req/s, was " + rates);
        }
        if (durationSeconds <= 0) {
            throw invalid("--duration", "must be > 0 seconds, was " + durationSeconds);
        }
        if (warmupSeconds < 0) {
            throw invalid("--warmup", "must be >= 0 seconds, was " + warmupSeconds);
        }
        if (p99TargetMs <= 0) {
            throw invalid("--p99-target-ms", "must be > 0, was " + p99TargetMs);
        }
        if (searchSteps < 0) {
            throw invalid("--search-steps", "must be >= 0, was " + searchSteps);
        }
    }

    private ParameterException invalid(String option, String problem) {
        return new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + problem);
    }

    private Map<String, String> serviceEnv() {
        return classifierCache ? Map.of() : Map.of("TIERGATE_CLASSIFIER_EMBEDDING_CACHE_SIZE", "0");
    }

    /** Sends at {@code rate} for {@code seconds}, waits for the backlog to drain, scores the run. */
    private ObjectNode run(int rate, int seconds) throws InterruptedException {
        System.err.printf("[bench] %d req/s for %d s ...%n", rate, seconds);
        String runPrefix = prefix + "run" + (++runs) + "-";
        Map<String, Long> cpuBefore = cpu.snapshot();
        long start = System.nanoTime();
        long[] sentAt = send(runPrefix, rate, seconds);
        double achieved = sentAt.length / ((System.nanoTime() - start) / 1e9);
        ObjectNode result = measure(runPrefix, sentAt, rate);
        result.put("achievedSendRate", Math.round(achieved * 10) / 10.0);
        if (result.get("routed").asInt() < sentAt.length) {
            // scored as incomplete: let the backlog drain so it does not slow the next run
            int routed = awaitRouted(runPrefix, sentAt.length, BACKLOG_TIMEOUT_SECONDS, 5_000, true);
            if (routed < sentAt.length) {
                System.err.printf(
                        "[bench] %d requests still not routed after %d s more; the next run starts anyway%n",
                        sentAt.length - routed, BACKLOG_TIMEOUT_SECONDS);
            }
        }
        // the whole run's work, its backlog's included: CPU per request of each process, and the cores kept busy
        Map<String, Long> cpuAfter = cpu.snapshot();
        double wallSeconds = (System.nanoTime() - start) / 1e9;
        result.set("cpuMsPerRequest", JSON.valueToTree(ProcessCpu.perRequestMs(cpuBefore, cpuAfter, sentAt.length)));
        long busy = ProcessCpu.totalNanos(cpuBefore, cpuAfter);
        result.put("coresBusy", Math.round(busy / 1e9 / wallSeconds * 100) / 100.0);
        result.put(
                "loadAverage",
                Math.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() * 10) / 10.0);
        return result;
    }

    /** Polls until every request of the run is routed or the timeout passes; returns how many are. */
    private int awaitRouted(String runPrefix, int count, long timeoutSeconds, long pollMs, boolean progress)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        int routed;
        while ((routed = routedCount(runPrefix, count)) < count && System.nanoTime() < deadline) {
            if (progress) {
                System.err.printf(
                        "[bench] waiting for the backlog to drain before the next run: %d of %d routed%n",
                        routed, count);
            }
            TimeUnit.MILLISECONDS.sleep(pollMs);
        }
        return routed;
    }

    private int routedCount(String runPrefix, int count) {
        int routed = 0;
        for (int i = 0; i < count; i++) {
            if (observer.get(runPrefix + i).routedAtMs() >= 0) {
                routed++;
            }
        }
        return routed;
    }

    private boolean withinTarget(ObjectNode result) {
        return result.get("p99Ms").asLong() <= p99TargetMs
                && result.get("routed").asInt() == result.get("sent").asInt();
    }

    /** Sends {@code rate * seconds} requests on an even schedule; returns each one's produce time (ms). */
    private long[] send(String runPrefix, int rate, int seconds) throws InterruptedException {
        long[] sentAt = new long[rate * seconds];
        EvenSchedule schedule = new EvenSchedule(rate);
        for (int i = 0; i < sentAt.length; i++) {
            schedule.awaitTurn(i);
            sentAt[i] = sender.send(runPrefix + i, items.get(i % items.size()));
        }
        sender.flush();
        return sentAt;
    }

    private ObjectNode measure(String runPrefix, long[] sentAt, int rate) throws InterruptedException {
        awaitRouted(runPrefix, sentAt.length, DRAIN_TIMEOUT_SECONDS, 500, false);
        List<Long> routing = new ArrayList<>();
        List<Long> classifying = new ArrayList<>();
        for (int i = 0; i < sentAt.length; i++) {
            RoutingTimestamps.Times t = observer.get(runPrefix + i);
            if (t.routedAtMs() >= 0) {
                routing.add(t.routedAtMs() - sentAt[i]);
                if (t.classifiedAtMs() >= 0) {
                    classifying.add(t.classifiedAtMs() - sentAt[i]);
                }
            }
        }
        Collections.sort(routing);
        Collections.sort(classifying);
        ObjectNode result = JSON.createObjectNode();
        result.put("rate", rate);
        result.put("p50Ms", percentile(routing, 50));
        result.put("p99Ms", percentile(routing, 99));
        result.put("maxMs", routing.isEmpty() ? 0 : routing.get(routing.size() - 1));
        // the first stage of the two: request produced -> classification published
        result.put("classifiedP50Ms", percentile(classifying, 50));
        result.put("classifiedP99Ms", percentile(classifying, 99));
        result.put("sent", sentAt.length);
        result.put("routed", routing.size());
        return result;
    }

    private static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
