package io.tiergate.cli;

import io.tiergate.platform.audit.OpsAuditLog;
import io.tiergate.schemas.events.OpsAuditEvent;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code audit tail|export}: who changed budgets, rules and cost centers, when and why (ops.audit). */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "The ops audit trail: every change of budgets, routing rules and cost centers.",
        subcommands = {AuditCommand.Tail.class, AuditCommand.Export.class})
public class AuditCommand implements Runnable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static OpsAuditLog log(ClusterMixin cluster) {
        return new OpsAuditLog(cluster.clientSettings());
    }

    @Command(name = "tail", mixinStandardHelpOptions = true, description = "The latest changes, oldest first.")
    static class Tail implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClusterMixin cluster;

        @Option(
                names = {"-n", "--lines"},
                defaultValue = "20",
                description = "How many changes (default: ${DEFAULT-VALUE}).")
        int lines;

        @Override
        public Integer call() {
            if (lines < 1) {
                throw new ParameterException(
                        spec.commandLine(), "Invalid value for option '--lines': must be >= 1, was " + lines);
            }
            OpsAuditLog.Entries entries = log(cluster).tail(lines, TIMEOUT);
            if (entries.events().isEmpty()) {
                System.out.println("no changes recorded");
            }
            for (OpsAuditEvent e : entries.events()) {
                System.out.println(OpsAuditLog.format(e));
            }
            if (entries.undecodable() > 0) {
                System.err.printf("%d undecodable records skipped%n", entries.undecodable());
            }
            return 0;
        }
    }

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = "Every change (or those since a time) as CSV.")
    static class Export implements Callable<Integer> {
        @Mixin
        ClusterMixin cluster;

        @Option(
                names = "--since",
                description = "Only changes at or after this instant (ISO-8601, e.g. 2026-12-01T00:00:00Z).")
        Instant since;

        @Option(names = "--csv", description = "CSV output (the only format; accepted for readability).")
        boolean csv;

        @Option(names = "--out", description = "Write to this file instead of stdout.")
        Path out;

        @Override
        public Integer call() throws IOException {
            OpsAuditLog.Entries entries = log(cluster).read(since, TIMEOUT);
            try (Writer writer = out == null
                    ? new OutputStreamWriter(System.out, StandardCharsets.UTF_8)
                    : Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                OpsAuditLog.writeCsv(entries.events(), writer);
            }
            System.err.printf(
                    "%d changes%s%n",
                    entries.events().size(),
                    entries.undecodable() > 0 ? ", " + entries.undecodable() + " undecodable records skipped" : "");
            return 0;
        }
    }
}
