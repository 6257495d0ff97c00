package io.tiergate.cli;

import io.tiergate.cli.stack.LocalStack;
import io.tiergate.cli.stack.StackOptions;
import io.tiergate.cli.whatif.RecordedTraffic;
import io.tiergate.cli.whatif.Replay;
import io.tiergate.cli.whatif.ShadowEvidence;
import io.tiergate.cli.whatif.WhatIfReport;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.router.policy.ModelCatalog;
import io.tiergate.router.policy.RoutingTable;
import io.tiergate.router.rules.DefaultRules;
import io.tiergate.router.rules.RuleValidator;
import io.tiergate.router.rules.RulesBook;
import io.tiergate.schemas.cost.CostCalculator;
import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.money.Money;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code whatif}: the recorded classified requests decided again, offline, by the router's policy
 * under another task table and budget, side by side with what really happened (docs/calibration.md,
 * "What-if replay"). The command reads the topics and prints; {@link Replay} holds the logic. With no
 * broker answering it starts one (broker and registry only) on the demo's kept data, and stops it.
 */
@Command(
        name = "whatif",
        mixinStandardHelpOptions = true,
        description = "Replay recorded traffic offline through the routing policy under another rules table and"
                + " budget, and compare cost, cloud/local mix, quality and budget levels with what happened.")
public class WhatIfCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterMixin cluster;

    @Option(
            names = "--rules",
            paramLabel = "FILE",
            description = "A full task table to replay with, in the format of the default routing-rules.json"
                    + " (default: the table in force: defaults plus the routing.rules overrides).")
    Path rules;

    @Option(
            names = "--budget-usd",
            paramLabel = "N",
            description = "Replay with this global daily limit: budget levels recomputed from the replayed cloud"
                    + " spend (default: each decision sees the budget level it saw when recorded).")
    BigDecimal budgetUsd;

    @Option(
            names = "--from",
            paramLabel = "T",
            description = "First request time replayed (ISO instant, e.g. 2026-12-05T10:00:00Z).")
    String from;

    @Option(names = "--to", paramLabel = "T", description = "Requests made at or after this instant are left out.")
    String to;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write one CSV row per request to FILE.")
    Path csv;

    @Option(
            names = "--shadow-evidence",
            description = "Also report, per task type the replay moves between the local model and cloud, the local"
                    + " model's measured agreement with the reference (routing.calibration) and the expected"
                    + " number of moved answers that disagree.")
    boolean shadowEvidence;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Kept demo data to start a broker on when none answers at --bootstrap"
                    + " (default: .tiergate/demo in the checkout, where ./tiergate demo keeps it).")
    Path dataDir;

    @Option(
            names = "--broker-port",
            defaultValue = "9092",
            description = "Port of the broker started on the kept data (default: ${DEFAULT-VALUE}, the demo's).")
    int brokerPort;

    @Option(
            names = "--registry-port",
            defaultValue = "8081",
            description = "Port of the schema registry started on the kept data (default: ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(
            names = "--timeout",
            defaultValue = "120",
            description = "Seconds to read the recorded topics to their end (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    @Override
    public Integer call() throws IOException {
        if (budgetUsd != null && budgetUsd.signum() < 0) {
            throw new ParameterException(spec.commandLine(), "--budget-usd must be >= 0");
        }
        Instant fromAt = instant("--from", from);
        Instant toAt = instant("--to", to);
        PriceTable prices = PriceTable.loadDefault();
        ModelCatalog catalog = new ModelCatalog(prices);
        RuleValidator validator = new RuleValidator(catalog);
        RulesBook current = new RulesBook(DefaultRules.load(catalog), validator);
        // a rules file is checked as the routers check theirs, before any broker is asked
        DefaultRules.Table file = rules == null ? null : DefaultRules.load(rules, catalog);
        RoutingTable fromFile = file == null ? null : new RulesBook(file, validator).current();

        RecordedTraffic traffic;
        LocalStack started = startIfNoBroker();
        try {
            KafkaClientSettings settings = started == null
                    ? cluster.clientSettings()
                    : new KafkaClientSettings(started.bootstrapServers(), started.registryUrl(), "tiergate-cli");
            long t0 = System.nanoTime();
            err.printf("[whatif] reading the recorded traffic from %s ...%n", settings.bootstrapServers());
            traffic = RecordedTraffic.read(
                    settings, fromAt, toAt, current, shadowEvidence, Duration.ofSeconds(timeoutSeconds));
            err.printf(
                    "[whatif] %d requests to replay (%d ms)%n",
                    traffic.requests().size(), (System.nanoTime() - t0) / 1_000_000);
        } finally {
            if (started != null) {
                err.println("[whatif] stopping the broker ...");
                started.close();
            }
        }

        RoutingTable table = fromFile != null ? fromFile : current.current();
        Replay.Budgets budgets = budgetUsd == null
                ? Replay.Budgets.asRecorded(traffic.budgets())
                : Replay.Budgets.withGlobalDailyLimit(traffic.budgets(), budgetUsd);
        Replay.Result result = new Replay(catalog, new CostCalculator(prices)).run(traffic.requests(), table, budgets);
        WhatIfReport report = new WhatIfReport(
                result,
                file != null
                        ? rules.getFileName() + " (version " + file.version() + ")"
                        : "current (" + table.version() + ")",
                budgetUsd == null
                        ? "as recorded"
                        : "global daily limit $"
                                + Money.usd(budgetUsd).stripTrailingZeros().toPlainString(),
                traffic.undecided(),
                traffic.undecodable(),
                shadowEvidence
                        ? Optional.of(ShadowEvidence.of(result.rows(), traffic.calibration()))
                        : Optional.empty());
        if (csv != null) {
            Files.writeString(csv, report.csv(), StandardCharsets.UTF_8);
            err.printf("[whatif] per-request rows written to %s%n", csv.toAbsolutePath());
        }
        if (json) {
            out.println(report.json().toPrettyString());
        } else {
            out.print(report.table());
        }
        return 0;
    }

    /**
     * Null when a broker answers at {@code --bootstrap}; otherwise a broker and registry started on the
     * kept demo data (no services), or why not.
     */
    private LocalStack startIfNoBroker() {
        try {
            BrokerProbe.requireReachable(cluster.bootstrap, Duration.ofSeconds(2));
            return null;
        } catch (BrokerProbe.NoBrokerException e) {
            Path home = Path.of(System.getProperty("tiergate.home", "."))
                    .toAbsolutePath()
                    .normalize();
            Path data = dataDir != null
                    ? dataDir.toAbsolutePath()
                    : home.resolve(".tiergate").resolve("demo");
            if (!Files.isDirectory(data.resolve("kafka"))) {
                throw new IllegalStateException(e.getMessage() + " No kept demo data in " + data
                        + " to start one on either (./tiergate demo keeps its data there; --data-dir DIR).");
            }
            err.printf("[whatif] no broker at %s: starting one on the kept data in %s ...%n", cluster.bootstrap, data);
            StackOptions options = new StackOptions(
                    home, data, Optional.empty(), Optional.empty(), brokerPort, registryPort, 3, false, List.of(), 0);
            return LocalStack.start(options, err, Map.of());
        }
    }

    private Instant instant(String option, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Invalid value for option '" + option + "': '" + value
                            + "' is not an ISO instant (e.g. 2026-12-05T10:00:00Z)");
        }
    }
}
