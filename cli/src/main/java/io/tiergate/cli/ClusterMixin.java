package io.tiergate.cli;

import io.tiergate.cli.stack.ApiToken;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a running tiergate is: what the operator commands talk to. */
public class ClusterMixin {

    @Option(
            names = "--bootstrap",
            defaultValue = "${env:KAFKA_BOOTSTRAP:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrap;

    @Option(
            names = "--registry-url",
            defaultValue = "${env:SCHEMA_REGISTRY_URL:-http://127.0.0.1:8081}",
            description = "Schema registry URL (default: ${DEFAULT-VALUE}).")
    String registryUrl;

    @Option(
            names = "--ledger-url",
            defaultValue = "${env:TIERGATE_LEDGER_URL:-http://127.0.0.1:8095}",
            description = "ledger-streams HTTP API (default: ${DEFAULT-VALUE}).")
    URI ledgerUrl;

    @Option(
            names = "--api-token",
            defaultValue = "${env:TIERGATE_HTTP_API_TOKEN}",
            description = "Token of the ledger's HTTP API (default: $TIERGATE_HTTP_API_TOKEN, else the one"
                    + " ./tiergate up wrote to .tiergate/api-token).")
    String apiToken;

    /** The API token: the option or environment, else the file {@code ./tiergate up} wrote; null when none. */
    String apiToken() {
        if (apiToken != null && !apiToken.isBlank()) {
            return apiToken.strip();
        }
        Path home = Path.of(System.getProperty("tiergate.home", ".")).toAbsolutePath();
        return ApiToken.read(home.resolve(".tiergate")).orElse(null);
    }
}
