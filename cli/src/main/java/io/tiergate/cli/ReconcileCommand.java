package io.tiergate.cli;

import io.tiergate.cli.reconcile.Invoice;
import io.tiergate.cli.reconcile.InvoiceFormat;
import io.tiergate.cli.reconcile.InvoiceRow;
import io.tiergate.cli.reconcile.ModelNames;
import io.tiergate.cli.reconcile.ReconcileReport;
import io.tiergate.cli.reconcile.Reconciliation;
import io.tiergate.ledger.cli.CloudSpendByDay;
import io.tiergate.schemas.cost.PriceTable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code costs reconcile}: the ledger's cloud spend against a provider's usage export, per UTC day
 * and model (docs/ledger.md, "Reconciliation"). Exit 0 when the ledger is not below the invoice, 1
 * when it is, 2 for bad input.
 */
@Command(
        name = "reconcile",
        mixinStandardHelpOptions = true,
        description = {
            "Compare the ledger's cloud spend (inference.costs, counted as the ledger counts: valid events, each"
                    + " (requestId, attempt) once, not simulated) with a provider's usage export, per UTC day and model.",
            "Prints the table (or CSV) on stdout and a verdict line; progress and errors on stderr.",
            "Exit code: 0 the ledger is not below the invoice, 1 it is, 2 bad input."
        })
class ReconcileCommand implements Callable<Integer> {

    /** Exit code when the ledger booked less than the provider charged. */
    static final int LEDGER_BELOW_INVOICE = 1;

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterMixin cluster;

    @Option(
            names = "--invoice",
            required = true,
            paramLabel = "FILE",
            description = "The provider's usage export (CSV).")
    Path invoice;

    @Option(
            names = "--format",
            converter = FormatConverter.class,
            paramLabel = "openai|anthropic|openrouter",
            description = "The export's format (default: recognised from its header).")
    InvoiceFormat format;

    @Option(names = "--from", description = "First UTC day compared (YYYY-MM-DD; default: the export's first day).")
    LocalDate from;

    @Option(names = "--to", description = "Last UTC day compared, inclusive (default: the export's last day).")
    LocalDate to;

    @Option(
            names = "--provider",
            paramLabel = "LABEL",
            description = "The cost events' provider label to compare ('all': every cloud provider; default: the"
                    + " format's: openai, anthropic or openrouter).")
    String provider;

    @Option(
            names = "--model-map",
            paramLabel = "INVOICE_MODEL=LEDGER_MODEL",
            description = "Books an export's model name under a ledger model id (repeatable); applied before the"
                    + " built-in rules (docs/ledger.md, \"Reconciliation\").")
    Map<String, String> modelMap = new LinkedHashMap<>();

    @Option(
            names = "--price-table",
            paramLabel = "FILE",
            description = "Price table for exports without costs (OpenAI, Anthropic; default: the bundled one).")
    Path priceTable;

    @Option(names = "--csv", description = "CSV on stdout instead of the table (the verdict goes to stderr).")
    boolean csv;

    @Option(
            names = "--timeout-seconds",
            defaultValue = "60",
            description = "How long reading inference.costs to its end may take (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() {
        if (from != null && to != null && to.isBefore(from)) {
            throw new ParameterException(
                    spec.commandLine(), "Invalid value for option '--to': " + to + " is before --from " + from);
        }
        if (timeoutSeconds <= 0) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Invalid value for option '--timeout-seconds': must be > 0, was " + timeoutSeconds);
        }
        Invoice export = Invoice.read(invoice, Optional.ofNullable(format));
        LocalDate first = from != null
                ? from
                : export.rows().stream()
                        .map(InvoiceRow::day)
                        .min(Comparator.naturalOrder())
                        .orElse(null);
        LocalDate last = to != null
                ? to
                : export.rows().stream()
                        .map(InvoiceRow::day)
                        .max(Comparator.naturalOrder())
                        .orElse(null);
        String label = provider != null ? provider : export.format().provider();
        PriceTable prices = priceTable != null ? PriceTable.load(priceTable) : PriceTable.loadDefault();
        System.err.printf(
                "%s: %s, %d rows; comparing %s to %s, provider '%s'%n",
                invoice,
                export.format().title(),
                export.rows().size(),
                first == null ? "the first day" : first,
                last == null ? "the last day" : last,
                label);
        CloudSpendByDay ledger = CloudSpendByDay.read(
                cluster.bootstrap(), cluster.registryUrl, label, first, last, Duration.ofSeconds(timeoutSeconds));
        CloudSpendByDay.Counts counts = ledger.counts();
        System.err.printf(
                Locale.ROOT,
                "inference.costs: %d cloud cost events counted; left out: %d duplicates, %d invalid, %d undecodable,"
                        + " %d local, %d simulated, %d other providers, %d outside the days%n",
                counts.counted(),
                counts.duplicates(),
                counts.invalid(),
                counts.undecodable(),
                counts.local(),
                counts.simulated(),
                counts.otherProviders(),
                counts.outsideDays());
        Reconciliation result =
                Reconciliation.of(ledger.spend(), export, new ModelNames(modelMap), prices, first, last);
        String verdict = ReconcileReport.verdict(result);
        if (csv) {
            System.out.print(ReconcileReport.csv(result));
            System.err.println(verdict);
        } else {
            System.out.print(ReconcileReport.table(result));
            System.out.println(verdict);
        }
        System.out.flush();
        return result.ledgerCoversInvoice() ? 0 : LEDGER_BELOW_INVOICE;
    }

    /** {@code openai}, {@code anthropic} or {@code openrouter}, any case. */
    static final class FormatConverter implements ITypeConverter<InvoiceFormat> {
        @Override
        public InvoiceFormat convert(String value) {
            for (InvoiceFormat f : InvoiceFormat.values()) {
                if (f.name().equalsIgnoreCase(value)) {
                    return f;
                }
            }
            throw new TypeConversionException("'" + value + "' is not one of openai, anthropic, openrouter");
        }
    }
}
