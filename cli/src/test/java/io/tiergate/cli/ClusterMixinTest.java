package io.tiergate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Where the operator commands find a running tiergate: options, else the environment, else localhost. */
class ClusterMixinTest {

    static void assertDefaults(ClusterMixin cluster) {
        assertThat(cluster.bootstrap).isEqualTo(Cli.envOr("KAFKA_BOOTSTRAP", "127.0.0.1:9092"));
        assertThat(cluster.registryUrl).isEqualTo(Cli.envOr("SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081"));
        assertThat(cluster.ledgerUrl).isEqualTo(URI.create(Cli.envOr("TIERGATE_LEDGER_URL", "http://127.0.0.1:8095")));
    }

    @Test
    void everyOperatorCommandTakesTheClusterOptions() {
        String[][] commands = {
            {"route", "explain", "--task-type", "CODE_REVIEW"},
            {"rules", "show"},
            {"rules", "set", "X", "--tier", "CLOUD", "--model", "m"},
            {"rules", "reset", "--all"},
            {"budget", "set", "s"},
            {"budget", "show"},
            {"budget", "rm", "s"},
            {"costs", "tail"},
            {"costs", "export", "--from", "2026-11-01", "--to", "2026-11-02"}
        };
        for (String[] command : commands) {
            String[] args = TiergateCommandTest.args(
                    String.join(" ", command),
                    "--bootstrap",
                    "kafka:29092",
                    "--registry-url",
                    "http://registry:8081",
                    "--ledger-url",
                    "http://ledger:8095",
                    "--command-config",
                    "ops.properties");
            ClusterMixin cluster = clusterOf(Cli.parse(Object.class, args));
            assertThat(cluster.bootstrap).as(String.join(" ", command)).isEqualTo("kafka:29092");
            assertThat(cluster.registryUrl).isEqualTo("http://registry:8081");
            assertThat(cluster.ledgerUrl).isEqualTo(URI.create("http://ledger:8095"));
            assertThat(cluster.commandConfig).isEqualTo(Path.of("ops.properties"));
            assertDefaults(clusterOf(Cli.parse(Object.class, command)));
        }
    }

    private static ClusterMixin clusterOf(Object command) {
        if (command instanceof RouteCommand.Explain c) {
            return c.cluster;
        } else if (command instanceof RulesCommand.Show c) {
            return c.cluster;
        } else if (command instanceof RulesCommand.Set c) {
            return c.cluster;
        } else if (command instanceof RulesCommand.Reset c) {
            return c.cluster;
        } else if (command instanceof BudgetCommand.Set c) {
            return c.cluster;
        } else if (command instanceof BudgetCommand.Show c) {
            return c.cluster;
        } else if (command instanceof BudgetCommand.Remove c) {
            return c.cluster;
        } else if (command instanceof CostsCommand.Tail c) {
            return c.cluster;
        } else if (command instanceof CostsCommand.Export c) {
            return c.cluster;
        }
        throw new AssertionError("not an operator command: " + command);
    }
}
