package io.tiergate.cli;

import io.tiergate.cli.stack.ApiToken;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.security.KafkaClientSecurity;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Where a running tiergate is and how to authenticate to it: what the operator commands talk to. */
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

    @Option(
            names = "--command-config",
            paramLabel = "FILE",
            defaultValue = "${env:TIERGATE_COMMAND_CONFIG}",
            description = "Kafka client properties for a secured cluster (security.protocol, sasl.*, ssl.*, and the"
                    + " schema registry's basic.auth.user.info), as Kafka's own tools take them;"
                    + " ./tiergate up --secure writes one per principal"
                    + " (default: $TIERGATE_COMMAND_CONFIG, else none: PLAINTEXT).")
    Path commandConfig;

    /** The cluster as the project's clients take it, with the client security of {@code --command-config}. */
    KafkaClientSettings clientSettings() {
        return new KafkaClientSettings(bootstrap(), registryUrl, "tiergate-cli", security());
    }

    KafkaClientSecurity security() {
        if (commandConfig == null) {
            return KafkaClientSecurity.none();
        }
        try {
            return KafkaClientSecurity.fromFile(commandConfig);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--command-config: " + e.getMessage(), e);
        }
    }

    /**
     * The bootstrap servers, once one of them accepts a connection: a command without a broker fails in
     * about a second, naming the address, instead of after the Kafka client's 30 s API timeout.
     */
    String bootstrap() {
        return BrokerProbe.requireReachable(bootstrap, Duration.ofSeconds(2));
    }
}
