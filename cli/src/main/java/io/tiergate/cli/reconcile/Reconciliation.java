package io.tiergate.cli.reconcile;

import io.tiergate.ledger.cli.CloudSpendByDay.Spend;
import io.tiergate.schemas.cost.CostCalculator;
import io.tiergate.schemas.cost.ModelPrice;
import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.money.Money;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The ledger's cloud spend against a provider's usage export, per UTC day and model (the ledger's
 * model ids; invoice names mapped by {@link ModelNames}). An invoice row without money (OpenAI's
 * and Anthropic's usage exports carry tokens only) is priced from its tokens with the price table
 * through the shared {@link CostCalculator}, exactly as a worker prices a call without a reported
 * cost. The verdict is on the totals: the ledger must not be below what the provider charged.
 */
public final class Reconciliation {

    /** One side's numbers for a day and model. */
    public record Side(BigDecimal costUsd, long inputTokens, long outputTokens, long requests) {
        static final Side NONE = new Side(Money.ZERO, 0, 0, 0);

        Side plus(Side other) {
            return new Side(
                    Money.sum(costUsd, other.costUsd),
                    inputTokens + other.inputTokens,
                    outputTokens + other.outputTokens,
                    requests + other.requests);
        }
    }

    /**
     * One day and model.
     *
     * @param invoicePriced true when (some of) the invoice cost was priced from the price table
     */
    public record Line(LocalDate day, String model, Side ledger, Side invoice, boolean invoicePriced) {
        /** Ledger minus invoice: negative when the ledger booked less than the provider charged. */
        public BigDecimal differenceUsd() {
            return Money.usd(ledger.costUsd.subtract(invoice.costUsd));
        }
    }

    private record Key(LocalDate day, String model) {}

    private final List<Line> lines;
    private final Side ledgerTotal;
    private final Side invoiceTotal;
    private final String priceTableVersion;
    private final boolean anyPriced;
    private final BigDecimal ledgerInDoubtUsd;
    private final long ledgerInDoubtCalls;

    private Reconciliation(List<Line> lines, String priceTableVersion, BigDecimal inDoubtUsd, long inDoubtCalls) {
        this.ledgerInDoubtUsd = Money.usd(inDoubtUsd);
        this.ledgerInDoubtCalls = inDoubtCalls;
        this.lines = List.copyOf(lines);
        this.ledgerTotal = lines.stream().map(Line::ledger).reduce(Side.NONE, Side::plus);
        this.invoiceTotal = lines.stream().map(Line::invoice).reduce(Side.NONE, Side::plus);
        this.priceTableVersion = priceTableVersion;
        this.anyPriced = lines.stream().anyMatch(Line::invoicePriced);
    }

    /**
     * @param ledger the ledger's spend, already limited to the provider and days compared
     * @param from first day compared (invoice rows before it are left out), or null
     * @param to last day compared, inclusive, or null
     * @throws InvoiceFileException when a row without money names a model the price table does not list
     */
    public static Reconciliation of(
            List<Spend> ledger, Invoice invoice, ModelNames names, PriceTable prices, LocalDate from, LocalDate to) {
        CostCalculator calculator = new CostCalculator(prices);
        Map<Key, Side> ledgerSides = new TreeMap<>(order());
        BigDecimal inDoubtUsd = Money.ZERO;
        long inDoubtCalls = 0;
        for (Spend s : ledger) {
            inDoubtUsd = Money.sum(inDoubtUsd, s.inDoubtUsd());
            inDoubtCalls += s.inDoubtCalls();
            ledgerSides.merge(
                    new Key(s.day(), s.model()),
                    new Side(s.costUsd(), s.inputTokens(), s.outputTokens(), s.calls()),
                    Side::plus);
        }
        Map<Key, Side> invoiceSides = new TreeMap<>(order());
        Map<Key, Boolean> priced = new TreeMap<>(order());
        for (InvoiceRow row : invoice.rows()) {
            if ((from != null && row.day().isBefore(from))
                    || (to != null && row.day().isAfter(to))) {
                continue;
            }
            String model = names.ledgerId(invoice.format(), row.model());
            BigDecimal cost = row.costUsd().orElseGet(() -> price(calculator, invoice, row, model));
            Key key = new Key(row.day(), model);
            invoiceSides.merge(
                    key,
                    new Side(
                            cost,
                            row.tokens().totalInput(),
                            row.tokens().output(),
                            row.requests().orElse(0)),
                    Side::plus);
            priced.merge(key, row.costUsd().isEmpty(), Boolean::logicalOr);
        }
        Map<Key, Line> lines = new TreeMap<>(order());
        ledgerSides.forEach((k, side) -> lines.put(k, new Line(k.day, k.model, side, Side.NONE, false)));
        invoiceSides.forEach((k, side) -> lines.merge(
                k,
                new Line(k.day, k.model, Side.NONE, side, priced.get(k)),
                (a, b) -> new Line(k.day, k.model, a.ledger, b.invoice, b.invoicePriced)));
        return new Reconciliation(new ArrayList<>(lines.values()), prices.version(), inDoubtUsd, inDoubtCalls);
    }

    private static Comparator<Key> order() {
        return Comparator.comparing(Key::day).thenComparing(Key::model);
    }

    private static BigDecimal price(CostCalculator calculator, Invoice invoice, InvoiceRow row, String model) {
        Optional<ModelPrice> price = calculator.prices().model(model).filter(p -> !p.local());
        if (price.isEmpty()) {
            throw new InvoiceFileException(
                    invoice.file().toString(),
                    row.line(),
                    1,
                    "model '" + row.model() + "' (ledger id '" + model + "') has no cloud price in price table "
                            + calculator.prices().version() + ", and the "
                            + invoice.format().title()
                            + " carries no costs: map it to a listed model with --model-map '" + row.model()
                            + "=<id>'");
        }
        return calculator.cloud(price.get(), row.tokens(), Optional.empty()).totalUsd();
    }

    public List<Line> lines() {
        return lines;
    }

    public Side ledgerTotal() {
        return ledgerTotal;
    }

    public Side invoiceTotal() {
        return invoiceTotal;
    }

    /**
     * The part of the ledger total billed in doubt: calls whose worker died before reporting them,
     * at their worst case (a provider charged at most that for each, or nothing if the call never ran).
     */
    public BigDecimal ledgerInDoubtUsd() {
        return ledgerInDoubtUsd;
    }

    /** How many calls {@link #ledgerInDoubtUsd()} bills. */
    public long ledgerInDoubtCalls() {
        return ledgerInDoubtCalls;
    }

    /** Ledger total minus invoice total. */
    public BigDecimal differenceUsd() {
        return Money.usd(ledgerTotal.costUsd.subtract(invoiceTotal.costUsd));
    }

    /** The acceptance: the ledger booked at least what the provider charged. */
    public boolean ledgerCoversInvoice() {
        return differenceUsd().signum() >= 0;
    }

    /** Days and models where the ledger booked less than the invoice. */
    public List<Line> shortLines() {
        return lines.stream().filter(l -> l.differenceUsd().signum() < 0).toList();
    }

    /** Whether some invoice cost was priced from the price table (the export had no money). */
    public boolean anyPriced() {
        return anyPriced;
    }

    public String priceTableVersion() {
        return priceTableVersion;
    }
}
