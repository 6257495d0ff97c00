package io.tiergate.cli.stack;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How to run the local stack.
 *
 * @param home the checkout (where the modules' target/ folders are)
 * @param dataDir state that survives restarts: broker data, registry file, logs
 * @param bootstrap an existing cluster to use instead of starting a broker
 * @param registryUrl an existing schema registry to use instead of the embedded one
 * @param services which services to start (all five for the demo)
 * @param servicePortOffset added to each service's HTTP port, so two stacks can run on one machine
 * @param secure Kafka security on: SASL/SCRAM, ACLs, one principal per service (docs/security.md)
 */
public record StackOptions(
        Path home,
        Path dataDir,
        Optional<String> bootstrap,
        Optional<String> registryUrl,
        int brokerPort,
        int registryPort,
        int partitions,
        boolean fresh,
        List<ServiceSpec> services,
        int servicePortOffset,
        boolean secure) {

    /** Without Kafka security (the embedded default). */
    public StackOptions(
            Path home,
            Path dataDir,
            Optional<String> bootstrap,
            Optional<String> registryUrl,
            int brokerPort,
            int registryPort,
            int partitions,
            boolean fresh,
            List<ServiceSpec> services,
            int servicePortOffset) {
        this(
                home,
                dataDir,
                bootstrap,
                registryUrl,
                brokerPort,
                registryPort,
                partitions,
                fresh,
                services,
                servicePortOffset,
                false);
    }

    public static StackOptions defaults(Path home) {
        return new StackOptions(
                home,
                home.resolve(".tiergate"),
                Optional.empty(),
                Optional.empty(),
                9092,
                8081,
                3,
                false,
                ServiceSpec.ALL,
                0);
    }

    /** The same options with another data dir, freshness and set of services. */
    public StackOptions with(Path dataDir, boolean fresh, List<ServiceSpec> services) {
        return new StackOptions(
                home,
                dataDir,
                bootstrap,
                registryUrl,
                brokerPort,
                registryPort,
                partitions,
                fresh,
                services,
                servicePortOffset,
                secure);
    }

    /** The same options with Kafka security on or off. */
    public StackOptions withSecure(boolean on) {
        return new StackOptions(
                home,
                dataDir,
                bootstrap,
                registryUrl,
                brokerPort,
                registryPort,
                partitions,
                fresh,
                services,
                servicePortOffset,
                on);
    }
}
