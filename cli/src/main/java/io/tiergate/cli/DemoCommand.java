package io.tiergate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.cli.bench.ProcessCpu;
import io.tiergate.cli.demo.BrainReport;
import io.tiergate.cli.demo.DemoReport;
import io.tiergate.cli.demo.DemoReport.Sent;
import io.tiergate.cli.demo.EvenSchedule;
import io.tiergate.cli.demo.LedgerClient;
import io.tiergate.cli.demo.PipelineTracker;
import io.tiergate.cli.demo.PipelineTracker.RequestState;
import io.tiergate.cli.demo.RequestSender;
import io.tiergate.cli.demo.WarmUp;
import io.tiergate.cli.demo.Workload;
import io.tiergate.cli.demo.WorkloadItem;
import io.tiergate.cli.stack.LocalStack;
import io.tiergate.cli.stack.StackOptions;
import io.tiergate.ledger.cli.BudgetAdmin;
import io.tiergate.ledger.cli.BudgetAdmin.BudgetRequest;
import io.tiergate.router.policy.ModelCatalog;
import io.tiergate.router.policy.RoutingTable;
import io.tiergate.router.rules.DefaultRules;
import io.tiergate.router.rules.RuleValidator;
import io.tiergate.router.rules.RulesBook;
import io.tiergate.schemas.cost.CostCalculator;
import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.topics.Topics;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The main job: start the whole system on this machine, set a demo budget, replay a workload at a
 * fixed rate while printing progress, wait for every request to finish (or be deferred), print a
 * summary, optionally write a JSON report and per-request results, and shut everything down.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Run the whole pipeline on this machine: a real Kafka broker, the five services, the gateway and a workload, with live progress and a cost summary.")
public class DemoCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    StackMixin stack;

    @Option(names = "--workload", description = "JSONL workload (default: workloads/reference.jsonl).")
    Path workload;

    @Option(
            names = "--requests",
            defaultValue = "300",
            description = "How many requests to send; the workload is cycled if shorter (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--rate", defaultValue = "25", description = "Requests per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--budget-usd",
            defaultValue = "1.00",
            description = "Daily limit of the global demo budget in USD (default: ${DEFAULT-VALUE}).")
    BigDecimal budgetUsd;

    @Option(
            names = "--on-exhausted",
            defaultValue = "DEGRADE_LOCAL",
            description = "What the budget does when exhausted: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OnExhausted onExhausted;

    @Option(names = "--report", description = "Write the run's numbers as JSON to this file.")
    Path report;

    @Option(names = "--results", description = "Write one JSON line per request, in workload order, to this file.")
    Path results;

    @Option(
            names = "--warmup-requests",
            defaultValue = "150",
            description =
                    "Requests sent before the measured run so the services' code is compiled when it starts: sovereign (local tier, not counted by the cloud budget), prompts from the workload's end, cost center "
                            + WarmUp.COST_CENTER
                            + "; in the ledger, not in the run's numbers (default: ${DEFAULT-VALUE}; 0: none).")
    int warmupRequests;

    @Option(
            names = "--drain-timeout",
            defaultValue = "180",
            description = "Seconds to wait for the last results after sending (default: ${DEFAULT-VALUE}).")
    int drainTimeoutSeconds;

    @Option(
            names = "--sim-speed-up",
            defaultValue = StackMixin.SIM_SPEED_UP_DEFAULT,
            description =
                    "Simulated model backends run this many times faster than the model profiles they imitate, so a demo takes minutes, not hours; real backends are unaffected (default: ${DEFAULT-VALUE}).")
    double simSpeedUp;

    @Option(
            names = "--keep-data",
            description =
                    "Keep the demo's broker data from earlier runs (default: start empty, so budgets start at zero spend).")
    boolean keepData;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (requests <= 0 || rate <= 0 || budgetUsd.signum() < 0 || warmupRequests < 0) {
            throw new picocli.CommandLine.ParameterException(
                    new picocli.CommandLine(this),
                    "--requests and --rate must be > 0, --budget-usd and --warmup-requests >= 0");
        }
        StackOptions base = stack.toOptions();
        Path workloadFile = workload != null ? workload : base.home().resolve("workloads/reference.jsonl");
        List<WorkloadItem> items = Workload.read(workloadFile);
        StackOptions options = base.with(
                stack.dataDir != null ? base.dataDir() : base.dataDir().resolve("demo"),
                base.fresh() || (!keepData && base.bootstrap().isEmpty()),
                base.services());
        out.printf(
                "[demo] workload %s: %d requests, sending %d at %.1f/s with a global daily budget of $%s (%s when exhausted)%n",
                workloadFile, items.size(), requests, rate, budgetUsd.toPlainString(), onExhausted);

        LocalStack running =
                LocalStack.start(options, out, Map.of("TIERGATE_SIMULATION_SPEED_UP", String.valueOf(simSpeedUp)));
        try {
            return run(running, items);
        } finally {
            out.println("[demo] stopping the services and the broker ...");
            running.close();
            out.println("[demo] stopped");
        }
    }

    private int run(LocalStack running, List<WorkloadItem> items) throws IOException, InterruptedException {
        String runId = UUID.randomUUID().toString().substring(0, 8);
        String prefix = "demo-" + runId + "-";
        try (BudgetAdmin budgets = new BudgetAdmin(running.bootstrapServers(), running.registryUrl());
                PipelineTracker tracker =
                        new PipelineTracker(running.bootstrapServers(), running.registryUrl(), prefix);
                RequestSender sender = new RequestSender(running.bootstrapServers(), running.registryUrl())) {
            budgets.set(
                    BudgetRequest.of(Topics.GLOBAL_SCOPE, budgetUsd, null).onExhausted(onExhausted),
                    "demo: a tight budget so throttling shows");
            out.printf("[demo] budget set: global daily limit $%s%n", budgetUsd.toPlainString());
            settle(running);
            WarmUp.Result warm = warmUp(running, sender, runId, items);

            List<Sent> sent = new ArrayList<>(requests);
            EvenSchedule schedule = new EvenSchedule(rate);
            long start = schedule.startNanos();
            long nextProgress = start;
            for (int i = 0; i < requests; i++) {
                schedule.awaitTurn(i);
                WorkloadItem item = items.get(i % items.size());
                String requestId = prefix + (i + 1);
                sent.add(new Sent(item, requestId, sender.send(requestId, item)));
                if (System.nanoTime() >= nextProgress) {
                    progress(start, sent.size(), tracker.snapshot());
                    nextProgress = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                }
            }
            sender.flush();
            out.printf("[demo] all %d requests sent; waiting for results ...%n", sent.size());

            PipelineTracker.Snapshot snapshot = drain(tracker, start, sent.size());
            Map<String, RequestState> states = tracker.requests();
            BigDecimal runTotal = costOf(states);
            LedgerClient ledger = new LedgerClient(
                    running.service("ledger-streams")
                            .map(s -> s.spec().baseUrl())
                            .orElse("http://127.0.0.1:8095"),
                    running.apiToken());
            Optional<BigDecimal> ledgerTotal = awaitLedger(ledger, runTotal.add(warm.costUsd()));
            PriceTable prices = PriceTable.loadDefault();
            CostCalculator costs = new CostCalculator(prices);
            ObjectNode numbers = DemoReport.compute(sent, states, snapshot, costs, ledgerTotal, budgetUsd, warm);
            ModelCatalog catalog = new ModelCatalog(prices);
            RoutingTable defaultTable = new RulesBook(DefaultRules.load(catalog), new RuleValidator(catalog)).current();
            new BrainReport(catalog, defaultTable, costs).addTo(numbers, sent, states);
            summary(numbers, start);
            if (report != null) {
                JSON.writerWithDefaultPrettyPrinter().writeValue(report.toFile(), numbers);
                out.printf("[demo] report written to %s%n", report.toAbsolutePath());
            }
            if (results != null) {
                writeResults(sent, states);
                out.printf("[demo] per-request results written to %s%n", results.toAbsolutePath());
            }
            return numbers.get("lost").asInt() == 0 && numbers.get("duplicated").asInt() == 0 ? 0 : 1;
        }
    }

    /**
     * The warm-up (see {@link WarmUp}), on a tracker of its own so the run's numbers never see it, then a
     * second wait for the services to settle.
     */
    private WarmUp.Result warmUp(LocalStack running, RequestSender sender, String runId, List<WorkloadItem> items)
            throws InterruptedException {
        if (warmupRequests == 0) {
            return WarmUp.Result.NONE;
        }
        String prefix = "demo-warmup-" + runId + "-";
        WarmUp.Result warm;
        try (PipelineTracker tracker = new PipelineTracker(running.bootstrapServers(), running.registryUrl(), prefix)) {
            warm = WarmUp.run(sender, tracker, prefix, items, warmupRequests, rate, Duration.ofSeconds(60), out);
        }
        settle(running);
        return warm;
    }

    private PipelineTracker.Snapshot drain(PipelineTracker tracker, long start, int sent) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(drainTimeoutSeconds);
        PipelineTracker.Snapshot snapshot = tracker.snapshot();
        while (snapshot.completed() + snapshot.deferredWaiting() < sent && System.nanoTime() < deadline) {
            TimeUnit.SECONDS.sleep(2);
            snapshot = tracker.snapshot();
            progress(start, sent, snapshot);
        }
        if (snapshot.completed() + snapshot.deferredWaiting() < sent) {
            out.printf(
                    "[demo] gave up waiting after %d s: %d requests have no result%n",
                    drainTimeoutSeconds, sent - snapshot.completed() - snapshot.deferredWaiting());
        }
        return snapshot;
    }

    /** The ledger commits with exactly-once, a little behind the workers: wait for it to catch up. */
    private Optional<BigDecimal> awaitLedger(LedgerClient ledger, BigDecimal expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Optional<BigDecimal> total = ledger.totalUsd(Topics.GLOBAL_SCOPE);
        while ((total.isEmpty() || total.get().compareTo(expected) != 0) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(500);
            total = ledger.totalUsd(Topics.GLOBAL_SCOPE);
        }
        return total;
    }

    private static BigDecimal costOf(Map<String, RequestState> states) {
        BigDecimal total = Money.ZERO;
        for (RequestState s : states.values()) {
            total = total.add(s.cost());
        }
        return total;
    }

    private void progress(long start, int sent, PipelineTracker.Snapshot s) {
        out.printf(
                "[demo] %4ds  sent %d  classified %d  routed %d  completed %d  deferred %d  | %s%n",
                Duration.ofNanos(System.nanoTime() - start).toSeconds(),
                sent,
                s.classified(),
                s.routed(),
                s.completed(),
                s.deferredWaiting(),
                spendLine(s, budgetUsd, System.currentTimeMillis()));
    }

    /**
     * Spend as the budget sees it: the budget counts cloud spend only (docs/ledger.md), so its share is the
     * run's live cloud spend over the limit; the level is the ledger's last status, with its age, since it
     * trails the cost events by a commit interval.
     */
    static String spendLine(PipelineTracker.Snapshot s, BigDecimal limitUsd, long nowMs) {
        BigDecimal cloud = Money.usd(s.cloudSpendUsd());
        BigDecimal local = Money.usd(s.spendUsd()).subtract(cloud);
        String share = limitUsd.signum() == 0
                ? "no cloud budget"
                : cloud.multiply(BigDecimal.valueOf(100))
                                .divide(limitUsd, 0, java.math.RoundingMode.HALF_EVEN)
                                .toPlainString()
                        + "% of the global $" + limitUsd.stripTrailingZeros().toPlainString() + " budget";
        BudgetStatus global = s.statusByScope().get(Topics.GLOBAL_SCOPE);
        String level = global == null
                ? "level NORMAL (no ledger status yet)"
                : "level " + global.getLevel() + " ("
                        + Math.max(0, (nowMs - global.getUpdatedAt().toEpochMilli()) / 1000) + " s ago)";
        return String.format(
                "spend $%s: cloud $%s = %s, local $%s (not budgeted) | %s",
                plain(Money.usd(s.spendUsd())), plain(cloud), share, plain(local), level);
    }

    /**
     * Which backend served each tier, and for a simulated one why: "simulated:simulated" told a newcomer
     * nothing.
     */
    static String backendsLine(JsonNode backends) {
        List<String> parts = new ArrayList<>();
        boolean anySimulated = false;
        for (var tier : backends.properties()) {
            String served = tier.getValue().asText();
            if (served.startsWith("simulated")) {
                anySimulated = true;
                parts.add(tier.getKey() + " simulated ("
                        + (tier.getKey().equals("LOCAL")
                                ? "no Ollama answered at TIERGATE_OLLAMA_URL"
                                : "no OPENROUTER_API_KEY, OPENAI_API_KEY or ANTHROPIC_API_KEY")
                        + ")");
            } else {
                parts.add(tier.getKey() + " " + served);
            }
        }
        return String.join(", ", parts)
                + (anySimulated
                        ? "\n           simulated models answer with canned text at their profiles' prices and latency"
                                + " / --sim-speed-up; results and cost events say simulated=true"
                        : "");
    }

    private static String plain(BigDecimal usd) {
        return usd.signum() == 0 ? "0" : usd.stripTrailingZeros().toPlainString();
    }

    private void summary(ObjectNode n, long start) {
        out.println();
        out.println("== tiergate demo summary ==");
        out.printf(
                "requests   %d sent, %d completed, %d deferred, %d lost, %d duplicated (%d s)%n",
                n.get("requests").asInt(),
                n.get("completed").asInt(),
                n.get("deferred").asInt(),
                n.get("lost").asInt(),
                n.get("duplicated").asInt(),
                Duration.ofNanos(System.nanoTime() - start).toSeconds());
        out.printf("tiers      %s, by routing rule %s%n", n.get("byTier"), n.get("byRoutingRule"));
        out.printf(
                "cost       $%s vs $%s all on %s: %.2f%% cheaper%n",
                n.get("totalCostUsd").asText(),
                n.get("baselineAllFrontierCostUsd").asText(),
                n.get("baselineModel").asText(),
                n.get("costReductionPct").asDouble());
        out.printf(
                "quality    %.2f%% served at or above their task type's minimum tier%n",
                n.get("servedAtOrAboveMinimumTierPct").asDouble());
        out.printf(
                "budget     levels seen %s, overshoot $%s%n",
                n.get("budgetLevelsSeen"), n.get("budgetOvershootUsd").asText());
        out.printf(
                "routing    p50 %d ms, p99 %d ms (request produced -> tier topic)%n",
                n.get("routingLatencyMs").get("p50").asLong(),
                n.get("routingLatencyMs").get("p99").asLong());
        out.printf("backends   %s%n", backendsLine(n.get("backends")));
        JsonNode warm = n.get("warmUp");
        boolean warmedUp = warm.get("requests").asInt() > 0;
        out.printf(
                "sovereign  %d sovereign or sensitive requests seen on a cloud topic%s%n",
                n.get("sovereignOnCloud").asInt(),
                warmedUp
                        ? " (warm-up: " + warm.get("sovereignOnCloud").asInt() + " of "
                                + warm.get("requests").asInt() + ")"
                        : "");
        if (warmedUp) {
            out.printf(
                    "warm-up    %d sovereign requests before the run, %d completed, $%s on the local tier; routing p50 %d ms, p99 %d ms (not in the numbers above)%n",
                    warm.get("requests").asInt(),
                    warm.get("completed").asInt(),
                    warm.get("costUsd").asText(),
                    warm.get("routingLatencyMs").get("p50").asLong(),
                    warm.get("routingLatencyMs").get("p99").asLong());
        }
        out.printf(
                "ledger     $%s (%s%s)%n",
                n.get("ledgerTotalUsd").asText(),
                warmedUp
                        ? "this run $" + n.get("totalCostUsd").asText() + " + warm-up $"
                                + warm.get("costUsd").asText() + ": "
                        : "",
                n.get("ledgerMatches").asBoolean()
                        ? "matches the cost events exactly"
                        : "DOES NOT match the cost events");
        if (n.has("classifier")) {
            JsonNode c = n.get("classifier");
            out.printf(
                    "classifier %.2f%% of %d labelled requests typed right (%.2f%% of the %d the model decided); recall by type %s%n",
                    c.get("accuracyPct").asDouble(),
                    c.get("labelled").asInt(),
                    c.get("modelAccuracyPct").asDouble(),
                    c.get("modelDecided").asInt(),
                    c.get("recallPctByType"));
            if (c.get("sensitiveLabelled").asInt() + c.get("benignLabelled").asInt() > 0) {
                out.printf(
                        "sensitive  recall %.2f%% of %d sensitive lines, %.2f%% of %d benign lines flagged%n",
                        c.get("sensitiveRecallPct").asDouble(),
                        c.get("sensitiveLabelled").asInt(),
                        c.get("sensitiveFalsePositivePct").asDouble(),
                        c.get("benignLabelled").asInt());
            }
            out.printf(
                    "oracle     $%s with every labelled request routed by its true labels; this run $%s (x%.3f)%n",
                    n.get("oracleCostUsd").asText(),
                    n.get("labelledCostUsd").asText(),
                    n.get("costToOracleRatio").asDouble());
        }
    }

    /**
     * Waits, at most {@value #SETTLE_TIMEOUT_SECONDS} s, until the services and the broker have finished
     * their start-up work (together under a third of a core for a second), so the first requests are
     * not timed against JIT compilation and state restores still running.
     */
    private void settle(LocalStack running) throws InterruptedException {
        long start = System.nanoTime();
        boolean quiet = new ProcessCpu(running.processIds())
                .awaitQuiet(0.33, Duration.ofSeconds(1), Duration.ofSeconds(SETTLE_TIMEOUT_SECONDS));
        out.printf(
                "[demo] services %s after %.1f s; sending%n",
                quiet ? "settled" : "still busy with start-up", (System.nanoTime() - start) / 1e9);
    }

    private static final int SETTLE_TIMEOUT_SECONDS = 20;

    private void writeResults(List<Sent> sent, Map<String, RequestState> states) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(results, StandardCharsets.UTF_8)) {
            for (Sent s : sent) {
                RequestState state = states.get(s.requestId());
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("line", s.item().line());
                line.put("requestId", s.requestId());
                InferenceResult result = state == null || state.results.isEmpty() ? null : state.results.get(0);
                line.put(
                        "taskType",
                        state != null && state.classified != null
                                ? state.classified
                                        .getClassification()
                                        .getTaskType()
                                        .name()
                                : null);
                line.put(
                        "containsSensitiveData",
                        state != null
                                && state.classified != null
                                && state.classified.getClassification().getContainsSensitiveData());
                line.put("tier", result == null ? null : result.getTier().name());
                line.put("model", result == null ? null : result.getModel());
                line.put("rule", state == null ? null : state.rule);
                line.put(
                        "status",
                        result != null
                                ? result.getStatus().name()
                                : state != null && state.deferred ? "DEFERRED" : "LOST");
                line.put("costUsd", (state == null ? Money.ZERO : state.cost()).toPlainString());
                line.put(
                        "attempts",
                        result == null ? (state == null ? 0 : state.costsByAttempt.size()) : result.getAttempts());
                // request produced -> classification published, and -> first decision on a tier topic
                line.put(
                        "classifiedMs",
                        state == null || state.classifiedAtMs < 0 ? null : state.classifiedAtMs - s.sentAtMs());
                line.put("routedMs", state == null || state.routedAtMs < 0 ? null : state.routedAtMs - s.sentAtMs());
                w.write(JSON.writeValueAsString(line));
                w.newLine();
            }
        }
    }
}
