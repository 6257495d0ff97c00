package io.tiergate.cli;

import java.net.URI;
import java.time.Duration;
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

    /**
     * The bootstrap servers, once one of them accepts a connection: a command without a broker fails in
     * about a second, naming the address, instead of after the Kafka client's 30 s API timeout.
     */
    String bootstrap() {
        return BrokerProbe.requireReachable(bootstrap, Duration.ofSeconds(2));
    }
}
