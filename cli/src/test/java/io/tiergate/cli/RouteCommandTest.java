package io.tiergate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.schemas.events.TaskType;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code tiergate route explain}: parsing and usage errors, without a broker. */
class RouteCommandTest {

    @Test
    void routeAloneListsItsSubcommand() {
        assertThat(Cli.run("route").succeeds().out())
                .startsWith("Usage: tiergate route")
                .contains("explain");
    }

    @Test
    void explainDefaults() {
        RouteCommand.Explain explain =
                Cli.parse(RouteCommand.Explain.class, "route", "explain", "--task-type", "CODE_REVIEW");
        assertThat(explain.taskType).isEqualTo(TaskType.CODE_REVIEW);
        assertThat(explain.sovereign).isFalse();
        assertThat(explain.sensitive).isFalse();
        assertThat(explain.latencyMs).isNull();
        assertThat(explain.costCenter).isEqualTo("default");
        assertThat(explain.complexity).isEqualTo(0.5);
        assertThat(explain.inputTokens).isEqualTo(1000);
        ClusterMixinTest.assertDefaults(explain.cluster);
    }

    @Test
    void explainEveryOption() {
        RouteCommand.Explain explain = Cli.parse(
                RouteCommand.Explain.class,
                "route",
                "explain",
                "--task-type",
                "BOILERPLATE",
                "--sovereign",
                "--sensitive",
                "--latency-ms",
                "800",
                "--cost-center",
                "ci-agents",
                "--complexity",
                "0.9",
                "--input-tokens",
                "12000",
                "--bootstrap",
                "kafka:9092",
                "--registry-url",
                "http://registry:8081",
                "--ledger-url",
                "http://ledger:8095");
        assertThat(explain.taskType).isEqualTo(TaskType.BOILERPLATE);
        assertThat(explain.sovereign).isTrue();
        assertThat(explain.sensitive).isTrue();
        assertThat(explain.latencyMs).isEqualTo(800L);
        assertThat(explain.costCenter).isEqualTo("ci-agents");
        assertThat(explain.complexity).isEqualTo(0.9);
        assertThat(explain.inputTokens).isEqualTo(12000);
        assertThat(explain.cluster.bootstrap).isEqualTo("kafka:9092");
        assertThat(explain.cluster.registryUrl).isEqualTo("http://registry:8081");
        assertThat(explain.cluster.ledgerUrl).isEqualTo(URI.create("http://ledger:8095"));
    }

    @Test
    void anUnknownTaskTypeIsNamedWithTheKnownOnes() {
        Cli.Run run = Cli.run("route", "explain", "--task-type", "POETRY")
                .failsWith("Invalid value for option '--task-type': expected one of [");
        assertThat(run.err()).contains("CODE_REVIEW").contains("but was 'POETRY'");
    }

    @ParameterizedTest(name = "route explain {0} {1}")
    @CsvSource({
        "--complexity, high, Invalid value for option '--complexity': 'high' is not a double",
        "--input-tokens, 1k, Invalid value for option '--input-tokens': '1k' is not an int",
        "--latency-ms, soon, Invalid value for option '--latency-ms': 'soon' is not a long",
        "--ledger-url, 'http://bad host', Invalid value for option '--ledger-url': 'http://bad host' is not a URL (Illegal character in authority at index 7)"
    })
    void aValueOfTheWrongTypeIsNamed(String option, String value, String message) {
        Cli.run("route", "explain", "--task-type", "DEBUGGING", option, value).failsWith(message);
    }

    /** Checked before the explainer connects: the broker address here answers nothing. */
    @ParameterizedTest(name = "route explain {0} {1}")
    @CsvSource({
        "--complexity, 1.5, 'tiergate: --complexity must be within [0, 1], was 1.5'",
        "--complexity, -0.1, 'tiergate: --complexity must be within [0, 1], was -0.1'",
        "--input-tokens, -1, 'tiergate: --input-tokens must be >= 0, was -1'",
        "--latency-ms, 0, 'tiergate: --latency-ms must be > 0, was 0'"
    })
    void aValueOutOfRangeIsNamedBeforeAnyBrokerIsAsked(String option, String value, String message) {
        Cli.run("route", "explain", "--task-type", "DEBUGGING", "--bootstrap", "127.0.0.1:1", option, value)
                .failsWith(message);
    }
}
