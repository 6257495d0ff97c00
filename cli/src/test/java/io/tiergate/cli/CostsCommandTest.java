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
                .contains("export");
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
}
