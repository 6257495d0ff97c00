package io.tiergate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.schemas.events.OnExhausted;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code tiergate budget set|show|rm}: parsing and usage errors, without a broker. */
class BudgetCommandTest {

    /** Answers nothing: a test that reached the broker would fail, not pass. */
    private static final String NO_BROKER = "127.0.0.1:1";

    @Test
    void budgetAloneListsItsSubcommands() {
        assertThat(Cli.run("budget").succeeds().out())
                .startsWith("Usage: tiergate budget")
                .contains("set")
                .contains("show")
                .contains("rm");
    }

    @Test
    void setEveryOption() {
        BudgetCommand.Set set = Cli.parse(
                BudgetCommand.Set.class,
                "budget",
                "set",
                "global",
                "--daily-usd",
                "20",
                "--monthly-usd",
                "400.50",
                "--on-exhausted",
                "REJECT",
                "--conserve-at",
                "0.7",
                "--critical-at",
                "0.9",
                "--timezone",
                "Europe/Berlin");
        assertThat(set.scope).isEqualTo("global");
        assertThat(set.dailyUsd).isEqualTo(new BigDecimal("20"));
        assertThat(set.monthlyUsd).isEqualTo(new BigDecimal("400.50"));
        assertThat(set.onExhausted).isEqualTo(OnExhausted.REJECT);
        assertThat(set.conserve).isEqualTo(0.7);
        assertThat(set.critical).isEqualTo(0.9);
        assertThat(set.timezone).isEqualTo("Europe/Berlin");
    }

    @Test
    void setLeavesWhatIsNotGivenToTheDefaults() {
        BudgetCommand.Set set = Cli.parse(BudgetCommand.Set.class, "budget", "set", "team-a", "--daily-usd", "5");
        assertThat(set.monthlyUsd).isNull();
        assertThat(set.onExhausted).isNull();
        assertThat(set.conserve).isNull();
        assertThat(set.critical).isNull();
        assertThat(set.timezone).isNull();
    }

    @Test
    void setWithoutAnyLimitIsRefused() {
        Cli.Run run = Cli.run("budget", "set", "team-a").failsWith("give --daily-usd, --monthly-usd or both");
        assertThat(run.err()).contains("Usage: tiergate budget set");
    }

    @ParameterizedTest(name = "budget set team-a {0} {1}")
    @CsvSource({
        "--daily-usd, ten, Invalid value for option '--daily-usd': 'ten' is not a decimal number (e.g. 20 or 0.25)",
        "--monthly-usd, 1e, Invalid value for option '--monthly-usd': '1e' is not a decimal number (e.g. 20 or 0.25)",
        "--conserve-at, most, Invalid value for option '--conserve-at': 'most' is not a double",
        "--on-exhausted, SOMETIMES, Invalid value for option '--on-exhausted': expected one of"
    })
    void aValueOfTheWrongTypeIsNamed(String option, String value, String message) {
        Cli.run("budget", "set", "team-a", "--daily-usd", "5", option, value).failsWith(message);
    }

    /** The ledger's own budget check, applied before anything is written, reported against the option given. */
    @ParameterizedTest(name = "budget set {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "team-a --daily-usd -1 | Invalid value for option '--daily-usd': must not be negative (was -1.000000000)",
                "team-a --monthly-usd 2000000000 | Invalid value for option '--monthly-usd': absurd: 2000000000.000000000 exceeds the maximum of 1000000000 USD",
                "team-a --daily-usd 5 --conserve-at 1.5 | Invalid value for option '--conserve-at': must be in (0, 1] (was 1.5)",
                "team-a --daily-usd 5 --critical-at 0 | Invalid value for option '--critical-at': must be in (0, 1] (was 0.0)",
                "team-a --daily-usd 5 --conserve-at 0.9 --critical-at 0.85 | Invalid value for option '--conserve-at': must not exceed criticalThreshold (0.9 > 0.85)",
                "team-a --daily-usd 5 --timezone Mars/Olympus_Mons | Invalid value for option '--timezone': unknown time zone 'Mars/Olympus_Mons'"
            })
    void aBudgetTheLedgerWouldRejectIsRefusedBeforeAnyBrokerIsAsked(String args, String message) {
        Cli.Run run = Cli.run(TiergateCommandTest.args("budget set", (args + " --bootstrap " + NO_BROKER).split(" ")))
                .failsWith(message);
        assertThat(run.err()).contains("Usage: tiergate budget set");
    }

    @Test
    void aBlankScopeIsRefused() {
        Cli.run("budget", "set", " ", "--daily-usd", "5", "--bootstrap", NO_BROKER)
                .failsWith("Invalid value for positional parameter '<scope>': must not be empty");
    }

    @Test
    void showTakesAnOptionalScope() {
        assertThat(Cli.parse(BudgetCommand.Show.class, "budget", "show").scope).isNull();
        assertThat(Cli.parse(BudgetCommand.Show.class, "budget", "show", "team-a").scope)
                .isEqualTo("team-a");
        Cli.run("budget", "show", "team-a", "team-b").failsWith("Unmatched argument at index 3: 'team-b'");
    }

    @Test
    void rmRefusesABlankScopeBeforeAnyBrokerIsAsked() {
        Cli.run("budget", "rm", "", "--bootstrap", NO_BROKER)
                .failsWith("Invalid value for positional parameter '<scope>': must not be empty");
    }

    @Test
    void rmTakesOneScope() {
        assertThat(Cli.parse(BudgetCommand.Remove.class, "budget", "rm", "team-a").scope)
                .isEqualTo("team-a");
        Cli.run("budget", "rm", "team-a", "team-b").failsWith("Unmatched argument at index 3: 'team-b'");
    }
}
