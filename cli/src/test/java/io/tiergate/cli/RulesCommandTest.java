package io.tiergate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.schemas.events.Tier;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code tiergate rules show|set|reset}: parsing and usage errors, without a broker. */
class RulesCommandTest {

    /** Answers nothing: a test that reached the broker would fail, not pass. */
    private static final String NO_BROKER = "127.0.0.1:1";

    @Test
    void rulesAloneListsItsSubcommands() {
        assertThat(Cli.run("rules").succeeds().out())
                .startsWith("Usage: tiergate rules")
                .contains("show")
                .contains("set")
                .contains("reset");
    }

    @Test
    void showTakesOnlyTheClusterOptions() {
        ClusterMixinTest.assertDefaults(Cli.parse(RulesCommand.Show.class, "rules", "show").cluster);
        Cli.run("rules", "show", "IMPLEMENTATION").failsWith("Unmatched argument at index 2: 'IMPLEMENTATION'");
    }

    @Test
    void setEveryOption() {
        RulesCommand.Set set = Cli.parse(
                RulesCommand.Set.class,
                "rules",
                "set",
                "boilerplate",
                "--tier",
                "LOCAL",
                "--model",
                "qwen3:8b",
                "--fallback",
                "deepseek/deepseek-chat,anthropic/claude-haiku-4.5",
                "--local-complexity-threshold",
                "0.7");
        assertThat(set.taskType).isEqualTo("boilerplate");
        assertThat(set.tier).isEqualTo(Tier.LOCAL);
        assertThat(set.model).isEqualTo("qwen3:8b");
        assertThat(set.fallback).containsExactly("deepseek/deepseek-chat", "anthropic/claude-haiku-4.5");
        assertThat(set.localComplexityThreshold).isEqualTo(0.7);
    }

    @Test
    void setWithoutFallbacksOrThreshold() {
        RulesCommand.Set set =
                Cli.parse(RulesCommand.Set.class, "rules", "set", "IMPLEMENTATION", "--tier", "CLOUD", "--model", "m");
        assertThat(set.fallback).isEqualTo(List.of());
        assertThat(set.localComplexityThreshold).isNull();
    }

    @ParameterizedTest(name = "rules set {0} {1}")
    @CsvSource({
        "--tier, MIDDLE, Invalid value for option '--tier': expected one of",
        "--local-complexity-threshold, high, Invalid value for option '--local-complexity-threshold': 'high' is not a double"
    })
    void aValueOfTheWrongTypeIsNamed(String option, String value, String message) {
        List<String> args =
                new java.util.ArrayList<>(List.of("rules", "set", "IMPLEMENTATION", "--tier", "CLOUD", "--model", "m"));
        args.addAll(List.of(option, value));
        Cli.run(args.toArray(String[]::new)).failsWith(message);
    }

    /** The routers' own rule check, applied before anything is written: the reason names the model. */
    @ParameterizedTest(name = "rules set {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "IMPLEMENTATION --tier CLOUD --model no-such-model | tiergate: IMPLEMENTATION: unknown model 'no-such-model'",
                "POETRY --tier CLOUD --model anthropic/claude-haiku-4.5 | tiergate: unknown task type 'POETRY'",
                "IMPLEMENTATION --tier CLOUD --model anthropic/claude-haiku-4.5 --fallback qwen3:8b | tiergate: IMPLEMENTATION: fallback model 'qwen3:8b' is not a cloud model",
                "IMPLEMENTATION --tier CLOUD --model anthropic/claude-haiku-4.5 --local-complexity-threshold 0.5 | tiergate: IMPLEMENTATION: localComplexityThreshold applies to LOCAL rules only"
            })
    void aRuleTheRoutersWouldRejectIsRefusedBeforeAnyBrokerIsAsked(String args, String message) {
        Cli.run(TiergateCommandTest.args("rules set", (args + " --reason test --bootstrap " + NO_BROKER).split(" ")))
                .failsWith(message);
    }

    @Test
    void resetTakesATaskTypeOrAll() {
        assertThat(Cli.parse(RulesCommand.Reset.class, "rules", "reset", "IMPLEMENTATION").taskType)
                .isEqualTo("IMPLEMENTATION");
        RulesCommand.Reset all = Cli.parse(RulesCommand.Reset.class, "rules", "reset", "--all");
        assertThat(all.all).isTrue();
        assertThat(all.taskType).isNull();
    }

    @Test
    void resetWithNeitherATaskTypeNorAllIsRefused() {
        Cli.Run run = Cli.run("rules", "reset").failsWith("give a task type or --all");
        assertThat(run.err()).contains("Usage: tiergate rules reset");
    }

    @Test
    void resetWithBothATaskTypeAndAllIsRefused() {
        Cli.run("rules", "reset", "IMPLEMENTATION", "--all").failsWith("give a task type or --all");
    }

    @Test
    void aChangeWithoutAReasonIsRefusedBeforeAnyBrokerIsAsked() {
        Cli.run("rules", "set", "IMPLEMENTATION", "--tier", "CLOUD", "--model", "m", "--bootstrap", NO_BROKER)
                .failsWith("Missing required option: '--reason=<text>'");
        Cli.run("rules", "reset", "IMPLEMENTATION", "--reason", "", "--bootstrap", NO_BROKER)
                .failsWith("Missing required option: '--reason=<text>'");
    }

    @Test
    void resetOfAnUnknownTaskTypeIsRefusedBeforeAnyBrokerIsAsked() {
        Cli.run("rules", "reset", "POETRY", "--reason", "test", "--bootstrap", NO_BROKER)
                .failsWith("tiergate: unknown task type 'POETRY'");
    }

    @Test
    void recommendDefaultsAreNinetyPercentThirtySamplesThirtyDaysAndNoWrite() {
        RulesCommand.Recommend recommend = Cli.parse(RulesCommand.Recommend.class, "rules", "recommend");
        assertThat(recommend.minAgreement).isEqualTo(0.9);
        assertThat(recommend.minSamples).isEqualTo(30);
        assertThat(recommend.lookBackDays).isEqualTo(30);
        assertThat(recommend.apply).isFalse();
        assertThat(recommend.json).isFalse();
        assertThat(Cli.run("rules").succeeds().out()).contains("recommend");
    }

    @Test
    void recommendApplyWithoutAReasonFailsBeforeTheBrokerIsAsked() {
        Cli.run("rules", "recommend", "--apply", "--bootstrap", NO_BROKER).failsWith("--reason");
    }

    @Test
    void recommendRefusesAnAgreementOutsideZeroToOne() {
        Cli.run("rules", "recommend", "--min-agreement", "1.5", "--bootstrap", NO_BROKER)
                .failsWith("--min-agreement must be in (0, 1]");
        Cli.run("rules", "recommend", "--min-samples", "0", "--bootstrap", NO_BROKER)
                .failsWith("--min-samples and --look-back-days must be at least 1");
    }
}
