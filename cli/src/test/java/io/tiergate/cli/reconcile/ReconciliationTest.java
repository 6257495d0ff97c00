package io.tiergate.cli.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.cli.reconcile.Reconciliation.Line;
import io.tiergate.ledger.cli.CloudSpendByDay.Spend;
import io.tiergate.schemas.cost.CostCalculator;
import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.cost.TokenUsage;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Ledger against invoice, per day and model, with known differences. */
class ReconciliationTest {

    private static final PriceTable PRICES = PriceTable.loadDefault();
    private static final LocalDate D22 = LocalDate.of(2026, 11, 22);
    private static final LocalDate D23 = LocalDate.of(2026, 11, 23);
    private static final String SONNET = "anthropic/claude-sonnet-4.6";
    private static final String HAIKU = "anthropic/claude-haiku-4.5";

    private static Invoice invoice(String csv) {
        return Invoice.parse(Path.of("inv.csv"), csv, Optional.empty());
    }

    private static Reconciliation reconcile(List<Spend> ledger, Invoice invoice) {
        return Reconciliation.of(ledger, invoice, new ModelNames(Map.of()), PRICES, null, null);
    }

    @Test
    void eachDayAndModelShowsLedgerInvoiceAndTheirDifference() {
        Invoice invoice = invoice("""
                date,model,usage,requests,prompt_tokens,completion_tokens
                2026-11-22,anthropic/claude-sonnet-4.6,0.028350000,1,5000,800
                2026-11-22,anthropic/claude-haiku-4.5,0.5,2,100,10
                2026-11-23,anthropic/claude-sonnet-4.6,0.25,1,10,10
                """);
        List<Spend> ledger = List.of(
                new Spend(
                        D22, SONNET, new BigDecimal("0.030000000"), 5000, 800, 2), // a retry the provider did not bill
                new Spend(D22, HAIKU, new BigDecimal("0.400000000"), 100, 10, 2),
                new Spend(D23, "deepseek/deepseek-chat", new BigDecimal("0.010000000"), 3, 4, 1));
        Reconciliation r = reconcile(ledger, invoice);

        assertThat(r.lines())
                .extracting(Line::day, Line::model, Line::differenceUsd)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(D22, HAIKU, new BigDecimal("-0.100000000")),
                        org.assertj.core.groups.Tuple.tuple(D22, SONNET, new BigDecimal("0.001650000")),
                        org.assertj.core.groups.Tuple.tuple(D23, SONNET, new BigDecimal("-0.250000000")),
                        org.assertj.core.groups.Tuple.tuple(
                                D23, "deepseek/deepseek-chat", new BigDecimal("0.010000000")));
        assertThat(r.ledgerTotal().costUsd()).isEqualByComparingTo("0.44");
        assertThat(r.invoiceTotal().costUsd()).isEqualByComparingTo("0.77835");
        assertThat(r.differenceUsd()).isEqualTo(new BigDecimal("-0.338350000"));
        assertThat(r.ledgerCoversInvoice()).isFalse();
        assertThat(r.shortLines()).hasSize(2);
        assertThat(ReconcileReport.verdict(r))
                .isEqualTo(
                        "verdict: SHORT, ledger $0.440000000 < invoice $0.778350000 (ledger below by $0.338350000);"
                                + " 2 day(s) x model(s) below the invoice, which can be calls booked on either side of midnight");
    }

    @Test
    void aLedgerThatBookedMoreThanTheInvoiceCoversIt() {
        Invoice invoice = invoice("date,model,usage,prompt_tokens,completion_tokens\n"
                + "2026-11-22,anthropic/claude-sonnet-4.6,0.1,10,10\n");
        Reconciliation r =
                reconcile(List.of(new Spend(D22, SONNET, new BigDecimal("0.100000001"), 10, 10, 1)), invoice);
        assertThat(r.ledgerCoversInvoice()).isTrue();
        assertThat(ReconcileReport.verdict(r))
                .isEqualTo("verdict: OK, ledger $0.100000001 >= invoice $0.100000000 (ledger above by $0.000000001)");
    }

    @Test
    void anExportWithoutMoneyIsPricedFromItsTokensWithThePriceTable() {
        Invoice invoice = invoice("""
                starting_at,model,uncached_input_tokens,cache_read_input_tokens,cache_creation_5m_input_tokens,output_tokens
                2026-11-22T00:00:00Z,claude-sonnet-4-6-20260217,2095,100,2051,503
                """);
        BigDecimal expected = new CostCalculator(PRICES)
                .cloud(PRICES.require(SONNET), new TokenUsage(2095, 503, 100, 2051), Optional.empty())
                .totalUsd();
        Reconciliation r = reconcile(List.of(), invoice);
        assertThat(r.lines()).singleElement().satisfies(line -> {
            assertThat(line.model()).isEqualTo(SONNET);
            assertThat(line.invoicePriced()).isTrue();
            assertThat(line.invoice().costUsd()).isEqualTo(expected);
            assertThat(line.invoice().inputTokens()).isEqualTo(2095 + 100 + 2051);
        });
        // 2095 × 3 + 503 × 15 + 100 × 0.30 + 2051 × 3.75 per million
        assertThat(expected).isEqualByComparingTo("0.021551250");
        assertThat(ReconcileReport.table(r)).contains("0.021551250*").contains("price table " + PRICES.version());
    }

    @Test
    void aModelTheTableDoesNotPriceIsNamedWithItsLine() {
        Invoice invoice = invoice("start_time,model,input_tokens,output_tokens\n1795305600,gpt-4o,10,5\n");
        assertThatThrownBy(() -> reconcile(List.of(), invoice))
                .isInstanceOf(InvoiceFileException.class)
                .hasMessageStartingWith("inv.csv:2:1: model 'gpt-4o' (ledger id 'openai/gpt-4o') has no cloud price")
                .hasMessageEndingWith("map it to a listed model with --model-map 'gpt-4o=<id>'");
    }

    @Test
    void invoiceDaysOutsideTheComparedRangeAreLeftOut() {
        Invoice invoice = invoice("date,model,usage,prompt_tokens,completion_tokens\n"
                + "2026-11-21,anthropic/claude-sonnet-4.6,5,1,1\n"
                + "2026-11-22,anthropic/claude-sonnet-4.6,1,1,1\n");
        Reconciliation r = Reconciliation.of(List.of(), invoice, new ModelNames(Map.of()), PRICES, D22, D23);
        assertThat(r.invoiceTotal().costUsd()).isEqualByComparingTo("1");
    }

    @Test
    void csvHasOneRowPerDayAndModelAndATotal() {
        Invoice invoice = invoice("date,model,usage,requests,prompt_tokens,completion_tokens\n"
                + "2026-11-22,anthropic/claude-sonnet-4.6,0.1,1,10,20\n");
        Reconciliation r =
                reconcile(List.of(new Spend(D22, SONNET, new BigDecimal("0.300000000"), 11, 21, 2)), invoice);
        assertThat(ReconcileReport.csv(r))
                .isEqualTo(ReconcileReport.CSV_HEADER + "\n"
                        + "2026-11-22,anthropic/claude-sonnet-4.6,0.300000000,0.100000000,0.200000000,invoice,11,10,21,20,2,1\n"
                        + "total,,0.300000000,0.100000000,0.200000000,invoice,11,10,21,20,2,1\n");
    }

    @Test
    void theVerdictSaysHowMuchOfTheLedgerIsInDoubt() {
        Invoice invoice = invoice("date,model,usage,prompt_tokens,completion_tokens\n"
                + "2026-11-22,anthropic/claude-sonnet-4.6,0.1,10,20\n");
        Reconciliation r = reconcile(
                List.of(
                        new Spend(
                                D22,
                                SONNET,
                                new BigDecimal("0.150000000"),
                                20,
                                40,
                                3,
                                new BigDecimal("0.070000000"),
                                2),
                        new Spend(
                                D22, HAIKU, new BigDecimal("0.010000000"), 5, 5, 1, new BigDecimal("0.010000000"), 1)),
                invoice);

        assertThat(r.ledgerInDoubtUsd()).isEqualTo(new BigDecimal("0.080000000"));
        assertThat(r.ledgerInDoubtCalls()).isEqualTo(3);
        assertThat(ReconcileReport.verdict(r))
                .isEqualTo("verdict: OK, ledger $0.160000000 >= invoice $0.100000000 (ledger above by $0.060000000);"
                        + " of the ledger, $0.080000000 over 3 call(s) is in doubt: billed at its worst case because"
                        + " its worker died before reporting it");
    }
}
