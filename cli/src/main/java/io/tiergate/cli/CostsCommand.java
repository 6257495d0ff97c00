package io.tiergate.cli;

import io.tiergate.ledger.cli.CostWindowsTail;
import io.tiergate.ledger.cli.CostsExport;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code costs tail|export|reconcile}: the analysts' view of spend. */
@Command(
        name = "costs",
        mixinStandardHelpOptions = true,
        description =
                "Cost windows: follow them, export them as CSV, or reconcile the ledger with a provider's usage export.",
        subcommands = {CostsCommand.Tail.class, CostsCommand.Export.class, ReconcileCommand.class})
public class CostsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "tail",
            mixinStandardHelpOptions = true,
            description = "Print decoded cost.windows records as they are published (Ctrl-C stops).")
    static class Tail implements Callable<Integer> {
        private static final Duration QUIET_NOTICE = Duration.ofSeconds(15);

        @Spec
        CommandSpec spec;

        @Mixin
        ClusterMixin cluster;

        @Option(names = "--from-beginning", description = "Start at the oldest record instead of new ones.")
        boolean fromBeginning;

        @Option(
                names = "--max",
                defaultValue = "0",
                description = "Stop after this many records (0: run until Ctrl-C).")
        int max;

        @Override
        public Integer call() {
            if (max < 0) {
                throw new ParameterException(
                        spec.commandLine(),
                        "Invalid value for option '--max': must be >= 0 (0: run until Ctrl-C), was " + max);
            }
            AtomicBoolean running = new AtomicBoolean(true);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> running.set(false)));
            int[] seen = {0};
            String bootstrap = cluster.bootstrap();
            try (CostWindowsTail tail = new CostWindowsTail(cluster.clientSettings(), fromBeginning)) {
                // on stderr, so stdout stays the records alone: an idle tail says what it waits for
                System.err.printf(
                        "following cost.windows at %s (%s); a window is published as costs are billed. Ctrl-C stops.%n",
                        bootstrap, fromBeginning ? "from the oldest record" : "new records only");
                long quietSince = System.nanoTime();
                boolean toldQuiet = false;
                while (running.get() && (max == 0 || seen[0] < max)) {
                    var windows = tail.poll(Duration.ofMillis(500));
                    if (!windows.isEmpty()) {
                        quietSince = System.nanoTime();
                    } else if (!toldQuiet && System.nanoTime() - quietSince > QUIET_NOTICE.toNanos()) {
                        System.err.printf(
                                "no cost windows for %d s: nothing billed meanwhile (send requests, or run ./tiergate demo)%s%n",
                                QUIET_NOTICE.toSeconds(), fromBeginning ? "" : "; --from-beginning shows earlier ones");
                        toldQuiet = true;
                    }
                    for (var window : windows) {
                        System.out.println(CostWindowsTail.format(window));
                        if (max > 0 && ++seen[0] >= max) {
                            break;
                        }
                    }
                }
                if (tail.skipped() > 0) {
                    System.err.printf("%d undecodable records skipped%n", tail.skipped());
                }
            }
            return 0;
        }
    }

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = "Daily cost windows between two dates as CSV (from the ledger's API).")
    static class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClusterMixin cluster;

        @Option(names = "--from", required = true, description = "First day (YYYY-MM-DD, UTC).")
        LocalDate from;

        @Option(names = "--to", required = true, description = "Last day, inclusive.")
        LocalDate to;

        @Option(
                names = "--scope",
                description = "A cost center or 'global' (default: every cost center, no global rows).")
        String scope;

        @Option(names = "--csv", description = "CSV output (the only format; accepted for readability).")
        boolean csv;

        @Option(names = "--out", description = "Write to this file instead of stdout.")
        Path out;

        @Override
        public Integer call() throws IOException {
            if (to.isBefore(from)) {
                throw new ParameterException(
                        spec.commandLine(), "Invalid value for option '--to': " + to + " is before --from " + from);
            }
            CostsExport export = new CostsExport(cluster.ledgerUrl, cluster.apiToken());
            try (Writer writer = out == null
                    ? new OutputStreamWriter(System.out, StandardCharsets.UTF_8)
                    : Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                int rows = export.writeDailyCsv(from, to, scope, writer);
                writer.flush();
                System.err.printf("%d rows%n", rows);
            }
            return 0;
        }
    }
}
