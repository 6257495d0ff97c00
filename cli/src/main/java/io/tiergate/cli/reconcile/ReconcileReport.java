package io.tiergate.cli.reconcile;

import io.tiergate.cli.reconcile.Reconciliation.Line;
import io.tiergate.cli.reconcile.Reconciliation.Side;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How {@code costs reconcile} prints a {@link Reconciliation}: a table or CSV, and the verdict line. */
public final class ReconcileReport {

    public static final String CSV_HEADER =
            "day,model,ledger_cost_usd,invoice_cost_usd,difference_usd,invoice_cost_from,"
                    + "ledger_input_tokens,invoice_input_tokens,ledger_output_tokens,invoice_output_tokens,ledger_calls,"
                    + "invoice_requests";

    private ReconcileReport() {}

    /**
     * The table: one line per day and model, a total line, and a note when invoice costs were priced.
     * Amounts are exact USD at nano-dollar scale.
     */
    public static String table(Reconciliation r) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {
            "day",
            "model",
            "ledger USD",
            "invoice USD",
            "difference USD",
            "ledger tokens in/out",
            "invoice tokens in/out",
            "calls/requests"
        });
        for (Line line : r.lines()) {
            rows.add(cells(
                    line.day().toString(),
                    line.model(),
                    line.ledger(),
                    line.invoice(),
                    line.differenceUsd(),
                    line.invoicePriced()));
        }
        rows.add(cells("total", "", r.ledgerTotal(), r.invoiceTotal(), r.differenceUsd(), r.anyPriced()));
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int n = 0; n < rows.size(); n++) {
            if (n == rows.size() - 1) {
                out.append(rule(widths)).append('\n');
            }
            String[] row = rows.get(n);
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                // text columns left-aligned, numbers right-aligned
                String format = i < 2 ? "%-" + widths[i] + "s" : "%" + widths[i] + "s";
                text.append(String.format(Locale.ROOT, format, row[i]));
                if (i < row.length - 1) {
                    text.append("  ");
                }
            }
            out.append(text.toString().stripTrailing()).append('\n');
        }
        if (r.anyPriced()) {
            out.append("* invoice cost priced from the export's tokens with price table ")
                    .append(r.priceTableVersion())
                    .append(" (the export carries no costs)\n");
        }
        return out.toString();
    }

    /** The verdict: whether the ledger covers the invoice, and by how much. */
    public static String verdict(Reconciliation r) {
        BigDecimal difference = r.differenceUsd();
        String shortLines = r.shortLines().isEmpty()
                ? ""
                : String.format(
                        Locale.ROOT,
                        "; %d day(s) x model(s) below the invoice, which can be calls booked on either side of midnight",
                        r.shortLines().size());
        String inDoubt = r.ledgerInDoubtCalls() == 0
                ? ""
                : String.format(
                        Locale.ROOT,
                        "; of the ledger, $%s over %d call(s) is in doubt: billed at its worst case because its worker"
                                + " died before reporting it",
                        r.ledgerInDoubtUsd().toPlainString(),
                        r.ledgerInDoubtCalls());
        if (r.ledgerCoversInvoice()) {
            return String.format(
                    Locale.ROOT,
                    "verdict: OK, ledger $%s >= invoice $%s (ledger above by $%s)%s%s",
                    r.ledgerTotal().costUsd().toPlainString(),
                    r.invoiceTotal().costUsd().toPlainString(),
                    difference.toPlainString(),
                    shortLines,
                    inDoubt);
        }
        return String.format(
                Locale.ROOT,
                "verdict: SHORT, ledger $%s < invoice $%s (ledger below by $%s)%s%s",
                r.ledgerTotal().costUsd().toPlainString(),
                r.invoiceTotal().costUsd().toPlainString(),
                difference.negate().toPlainString(),
                shortLines,
                inDoubt);
    }

    /** RFC 4180 CSV: {@link #CSV_HEADER}, one row per day and model, then a {@code total} row. */
    public static String csv(Reconciliation r) {
        StringBuilder out = new StringBuilder(CSV_HEADER).append('\n');
        for (Line line : r.lines()) {
            csvRow(
                    out,
                    line.day().toString(),
                    line.model(),
                    line.ledger(),
                    line.invoice(),
                    line.differenceUsd(),
                    line.invoicePriced(),
                    r.priceTableVersion());
        }
        csvRow(
                out,
                "total",
                "",
                r.ledgerTotal(),
                r.invoiceTotal(),
                r.differenceUsd(),
                r.anyPriced(),
                r.priceTableVersion());
        return out.toString();
    }

    private static String[] cells(
            String day, String model, Side ledger, Side invoice, BigDecimal difference, boolean priced) {
        return new String[] {
            day,
            model,
            ledger.costUsd().toPlainString(),
            invoice.costUsd().toPlainString() + (priced ? "*" : ""),
            difference.toPlainString(),
            ledger.inputTokens() + "/" + ledger.outputTokens(),
            invoice.inputTokens() + "/" + invoice.outputTokens(),
            ledger.requests() + "/" + invoice.requests()
        };
    }

    private static void csvRow(
            StringBuilder out,
            String day,
            String model,
            Side ledger,
            Side invoice,
            BigDecimal difference,
            boolean priced,
            String priceTable) {
        out.append(String.join(
                        ",",
                        day,
                        quote(model),
                        ledger.costUsd().toPlainString(),
                        invoice.costUsd().toPlainString(),
                        difference.toPlainString(),
                        priced ? quote("price-table " + priceTable) : "invoice",
                        Long.toString(ledger.inputTokens()),
                        Long.toString(invoice.inputTokens()),
                        Long.toString(ledger.outputTokens()),
                        Long.toString(invoice.outputTokens()),
                        Long.toString(ledger.requests()),
                        Long.toString(invoice.requests())))
                .append('\n');
    }

    private static String rule(int[] widths) {
        int total = 0;
        for (int w : widths) {
            total += w + 2;
        }
        return "-".repeat(total - 2);
    }

    private static String quote(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }
}
