package io.tiergate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The root command, and what every command shares: help, usage errors, exit codes. */
class TiergateCommandTest {

    /** Every command and subcommand of ./tiergate, as typed. */
    static Stream<String> commands() {
        return Stream.of(
                "demo",
                "up",
                "bench",
                "capacity",
                "classify",
                "route",
                "route explain",
                "rules",
                "rules show",
                "rules set",
                "rules reset",
                "rules recommend",
                "budget",
                "budget set",
                "budget show",
                "budget rm",
                "keys",
                "keys create",
                "keys list",
                "keys revoke",
                "costs",
                "costs tail",
                "costs export",
                "costs reconcile",
                "cost-centers",
                "cost-centers add",
                "cost-centers list",
                "cost-centers rm",
                "audit",
                "audit tail",
                "audit export",
                "acls",
                "acls show",
                "acls apply",
                "whatif");
    }

    @Test
    void theCommandTreeIsTheOneTheseTestsCover() {
        List<String> tree = new ArrayList<>();
        collect(TiergateCli.commandLine(), "", tree);
        assertThat(tree).containsExactlyInAnyOrderElementsOf(commands().toList());
    }

    private static void collect(CommandLine command, String prefix, List<String> into) {
        command.getSubcommands().forEach((name, sub) -> {
            String path = prefix.isEmpty() ? name : prefix + " " + name;
            into.add(path);
            collect(sub, path, into);
        });
    }

    @Test
    void helpListsEveryCommand() {
        Cli.Run run = Cli.run("--help").succeeds();
        assertThat(run.out()).startsWith("Usage: tiergate");
        for (String command : List.of("demo", "up", "bench", "classify", "route", "rules", "budget", "keys", "costs")) {
            assertThat(run.out()).containsPattern("(?m)^\\s+" + command + "\\s");
        }
    }

    @Test
    void versionPrintsTheVersion() {
        assertThat(Cli.run("--version").succeeds().out().trim()).isEqualTo("tiergate 0.1.0");
    }

    @Test
    void noCommandPrintsTheUsage() {
        assertThat(Cli.run().succeeds().out()).startsWith("Usage: tiergate").contains("Commands:");
    }

    @Test
    void anUnknownCommandIsNamed() {
        Cli.run("frobnicate").failsWith("Unmatched argument at index 0: 'frobnicate'");
    }

    @Test
    void anUnknownOptionIsNamed() {
        Cli.run("--frobnicate").failsWith("Unknown option: '--frobnicate'");
    }

    @ParameterizedTest(name = "tiergate {0} --help")
    @MethodSource("commands")
    void everyCommandExplainsItselfAndEachOfItsOptions(String command) {
        Cli.Run run = Cli.run(args(command, "--help")).succeeds();
        assertThat(run.out()).startsWith("Usage: tiergate " + command);
        CommandSpec spec = spec(command);
        assertThat(spec.usageMessage().description()).as("a description").isNotEmpty();
        for (OptionSpec option : spec.options()) {
            assertThat(run.out())
                    .as("help of %s names %s", command, option.longestName())
                    .contains(option.longestName());
            assertThat(option.description())
                    .as("%s %s has a description", command, option.longestName())
                    .isNotEmpty();
        }
        spec.subcommands().keySet().forEach(sub -> assertThat(run.out()).contains(sub));
    }

    /** What each command requires, so that the unknown option is the only thing wrong. */
    private static final Map<String, List<String>> REQUIRED = Map.of(
            "route explain", List.of("--task-type", "CODE_REVIEW"),
            "rules set", List.of("IMPLEMENTATION", "--tier", "CLOUD", "--model", "anthropic/claude-haiku-4.5"),
            "budget set", List.of("team-a"),
            "budget rm", List.of("team-a"),
            "keys create", List.of("--cost-center", "team-a"),
            "keys revoke", List.of("tg-abcdefg"),
            "costs export", List.of("--from", "2026-11-01", "--to", "2026-11-30"),
            "costs reconcile", List.of("--invoice", "usage.csv"),
            "cost-centers add", List.of("team-a"),
            "cost-centers rm", List.of("team-a"));

    @ParameterizedTest(name = "tiergate {0} --no-such-option")
    @MethodSource("commands")
    void everyCommandRejectsAnUnknownOptionByNameWithItsUsage(String command) {
        List<String> more = new ArrayList<>(REQUIRED.getOrDefault(command, List.of()));
        more.add("--no-such-option");
        Cli.Run run =
                Cli.run(args(command, more.toArray(String[]::new))).failsWith("Unknown option: '--no-such-option'");
        assertThat(run.err()).contains("Usage: tiergate " + command);
    }

    @ParameterizedTest(name = "tiergate {0} → {1}")
    @MethodSource("commandsWithRequiredArguments")
    void aMissingRequiredArgumentIsNamed(String command, String missing) {
        Cli.run(args(command)).failsWith(missing);
    }

    static Stream<Arguments> commandsWithRequiredArguments() {
        return Stream.of(
                Arguments.of("route explain", "Missing required option: '--task-type=<taskType>'"),
                Arguments.of("rules set", "Missing required parameter: '<taskType>'"),
                Arguments.of(
                        "rules set IMPLEMENTATION", "Missing required options: '--tier=<tier>', '--model=<model>'"),
                Arguments.of("rules set IMPLEMENTATION --tier CLOUD", "Missing required option: '--model=<model>'"),
                Arguments.of("budget set", "Missing required parameter: '<scope>'"),
                Arguments.of("budget rm", "Missing required parameter: '<scope>'"),
                Arguments.of("keys create", "Missing required option: '--cost-center=<costCenter>'"),
                Arguments.of("keys revoke", "Missing required parameter: '<key>'"),
                Arguments.of("costs export", "Missing required options: '--from=<from>', '--to=<to>'"),
                Arguments.of("costs reconcile", "Missing required option: '--invoice=FILE'"),
                Arguments.of("cost-centers add", "Missing required parameter: '<name>'"),
                Arguments.of("cost-centers rm", "Missing required parameter: '<name>'"));
    }

    @Test
    void theCommandsWithRequiredArgumentsAreTheOnesListed() {
        List<String> withRequired = commands()
                .filter(c -> spec(c).args().stream().anyMatch(a -> a.required()))
                .toList();
        assertThat(withRequired).containsExactlyInAnyOrderElementsOf(REQUIRED.keySet());
    }

    static String[] args(String command, String... more) {
        return Stream.concat(Arrays.stream(command.split(" ")), Arrays.stream(more))
                .toArray(String[]::new);
    }

    private static CommandSpec spec(String command) {
        CommandLine cli = TiergateCli.commandLine();
        for (String name : command.split(" ")) {
            cli = cli.getSubcommands().get(name);
        }
        return cli.getCommandSpec();
    }
}
