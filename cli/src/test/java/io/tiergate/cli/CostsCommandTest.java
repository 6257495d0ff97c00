package io.tiergate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code tiergate costs tail|export}: parsing and usage errors, without a broker or a ledger. */
class CostsCommandTest {

    @Test
    void costsAloneListsItsSubcommands() {
        assertThat(Cli.run("costs").succeeds().out())
                .startsWith("Usage: tiergate costs")
                .contains("tail")
                .contains("export")
                .contains("reconcile");
    }

    @Test
    void tailDefaults() {
        CostsCommand.Tail tail = Cli.parse(CostsCommand.Tail.class, "costs", "tail");
        assertThat(tail.fromBeginning).isFalse();
        assertThat(tail.max).isZero();
    }

    @Test
    void tailEveryOption() {
        CostsCommand.Tail tail = Cli.parse(CostsCommand.Tail.class, "costs", "tail", "--from-beginning", "--max", "25");
        assertThat(tail.fromBeginning).isTrue();
        assertThat(tail.max).isEqualTo(25);
    }

    @Test
    void tailRefusesANegativeMaximumBeforeAnyBrokerIsAsked() {
        Cli.Run run = Cli.run("costs", "tail", "--max", "-1", "--bootstrap", "127.0.0.1:1")
                .failsWith("Invalid value for option '--max': must be >= 0 (0: run until Ctrl-C), was -1");
        assertThat(run.err()).contains("Usage: tiergate costs tail");
    }

    @Test
    void tailNamesAMaximumThatIsNotANumber() {
        Cli.run("costs", "tail", "--max", "all").failsWith("Invalid value for option '--max': 'all' is not an int");
    }

    @Test
    void exportEveryOption() {
        CostsCommand.Export export = Cli.parse(
                CostsCommand.Export.class,
                "costs",
                "export",
                "--from",
                "2026-11-01",
                "--to",
                "2026-11-30",
                "--scope",
                "team-a",
                "--csv",
                "--out",
                "nov.csv");
        assertThat(export.from).isEqualTo(LocalDate.of(2026, 11, 1));
        assertThat(export.to).isEqualTo(LocalDate.of(2026, 11, 30));
        assertThat(export.scope).isEqualTo("team-a");
        assertThat(export.csv).isTrue();
        assertThat(export.out).isEqualTo(Path.of("nov.csv"));
    }

    @Test
    void exportDefaultsToEveryCostCenterOnStdout() {
        CostsCommand.Export export =
                Cli.parse(CostsCommand.Export.class, "costs", "export", "--from", "2026-11-01", "--to", "2026-11-01");
        assertThat(export.scope).isNull();
        assertThat(export.csv).isFalse();
        assertThat(export.out).isNull();
    }

    @ParameterizedTest(name = "costs export {0} {1}")
    @CsvSource({
        "--from, 2026-13-01, Invalid value for option '--from': '2026-13-01' is not a date (YYYY-MM-DD)",
        "--from, yesterday, Invalid value for option '--from': 'yesterday' is not a date (YYYY-MM-DD)",
        "--to, 30.11.2026, Invalid value for option '--to': '30.11.2026' is not a date (YYYY-MM-DD)"
    })
    void aDateThatIsNotAnIsoDateIsNamed(String option, String value, String message) {
        String from = option.equals("--from") ? value : "2026-11-01";
        String to = option.equals("--to") ? value : "2026-11-30";
        Cli.run("costs", "export", "--from", from, "--to", to).failsWith(message);
    }

    @Test
    void exportRefusesAnEndBeforeTheStartBeforeAnyLedgerIsAsked() {
        Cli.Run run = Cli.run(
                        "costs",
                        "export",
                        "--from",
                        "2026-11-30",
                        "--to",
                        "2026-11-01",
                        "--ledger-url",
                        "http://127.0.0.1:1")
                .failsWith("Invalid value for option '--to': 2026-11-01 is before --from 2026-11-30");
        assertThat(run.err()).contains("Usage: tiergate costs export");
    }

    @Test
    void reconcileEveryOption() {
        ReconcileCommand reconcile = Cli.parse(
                ReconcileCommand.class,
                "costs",
                "reconcile",
                "--invoice",
                "usage.csv",
                "--format",
                "Anthropic",
                "--from",
                "2026-11-01",
                "--to",
                "2026-11-30",
                "--provider",
                "all",
                "--model-map",
                "claude-x=anthropic/claude-sonnet-4.6",
                "--model-map",
                "gpt-y=openai/gpt-4.1",
                "--price-table",
                "prices.json",
                "--csv",
                "--timeout-seconds",
                "5");
        assertThat(reconcile.invoice).isEqualTo(Path.of("usage.csv"));
        assertThat(reconcile.format).isEqualTo(io.tiergate.cli.reconcile.InvoiceFormat.ANTHROPIC);
        assertThat(reconcile.from).isEqualTo(LocalDate.of(2026, 11, 1));
        assertThat(reconcile.to).isEqualTo(LocalDate.of(2026, 11, 30));
        assertThat(reconcile.provider).isEqualTo("all");
        assertThat(reconcile.modelMap)
                .containsExactly(
                        java.util.Map.entry("claude-x", "anthropic/claude-sonnet-4.6"),
                        java.util.Map.entry("gpt-y", "openai/gpt-4.1"));
        assertThat(reconcile.priceTable).isEqualTo(Path.of("prices.json"));
        assertThat(reconcile.csv).isTrue();
        assertThat(reconcile.timeoutSeconds).isEqualTo(5);
    }

    @Test
    void reconcileDefaultsTakeFormatDaysAndProviderFromTheExport() {
        ReconcileCommand reconcile = Cli.parse(ReconcileCommand.class, "costs", "reconcile", "--invoice", "usage.csv");
        assertThat(reconcile.format).isNull();
        assertThat(reconcile.from).isNull();
        assertThat(reconcile.to).isNull();
        assertThat(reconcile.provider).isNull();
        assertThat(reconcile.modelMap).isEmpty();
        assertThat(reconcile.csv).isFalse();
        assertThat(reconcile.timeoutSeconds).isEqualTo(60);
    }

    @Test
    void reconcileNamesAnUnknownFormat() {
        Cli.run("costs", "reconcile", "--invoice", "usage.csv", "--format", "azure")
                .failsWith("Invalid value for option '--format': 'azure' is not one of openai, anthropic, openrouter");
    }

    @Test
    void reconcileNeedsAnInvoice() {
        Cli.run("costs", "reconcile").failsWith("Missing required option: '--invoice=FILE'");
    }

    @Test
    void reconcileRefusesAnEndBeforeTheStartBeforeReadingAnything() {
        Cli.run("costs", "reconcile", "--invoice", "missing.csv", "--from", "2026-11-30", "--to", "2026-11-01")
                .failsWith("Invalid value for option '--to': 2026-11-01 is before --from 2026-11-30");
    }

    @Test
    void reconcileNamesAnInvoiceThatDoesNotExist() {
        Cli.run("costs", "reconcile", "--invoice", "no-such-usage.csv", "--bootstrap", "127.0.0.1:1")
                .failsWith("tiergate: no-such-usage.csv:1:1: no such file");
    }
}
