package io.tiergate.cli;

import io.tiergate.cli.stack.StackOptions;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Options shared by the commands that run the local stack. */
public class StackMixin {

    /**
     * Default of {@code --sim-speed-up} for up and demo: simulated backends at their profiles' real latency
     * made 1-2 s latency budgets take most of a minute on a first {@code up}.
     */
    static final String SIM_SPEED_UP_DEFAULT = "200";

    /** The command this mixin belongs to (up, demo, bench), for error messages. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--bootstrap", description = "Use this Kafka cluster instead of starting a broker (host:port).")
    String bootstrap;

    @Option(
            names = "--registry-url",
            description = "Use this Confluent-compatible schema registry instead of the embedded one.")
    String registryUrl;

    @Option(
            names = "--data-dir",
            description = "Where broker data, the registry file and logs live (default: .tiergate in the checkout).")
    Path dataDir;

    @Option(
            names = "--broker-port",
            defaultValue = "9092",
            description = "Port of the embedded broker (default: ${DEFAULT-VALUE}; the controller uses the next one).")
    int brokerPort;

    @Option(
            names = "--registry-port",
            defaultValue = "8081",
            description = "Port of the embedded schema registry (default: ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(
            names = "--partitions",
            defaultValue = "3",
            description = "Partitions per topic when topics are created (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--fresh", description = "Delete the data dir first (start from an empty broker).")
    boolean fresh;

    /** @throws ParameterException naming the option, for a port or partition count no broker could use */
    StackOptions toOptions() {
        checkPort("--broker-port", brokerPort, 65_534); // the controller listens on the next port
        checkPort("--registry-port", registryPort, 65_535);
        if (partitions < 1) {
            throw new ParameterException(
                    command.commandLine(), "Invalid value for option '--partitions': must be >= 1, was " + partitions);
        }
        Path home = Path.of(System.getProperty("tiergate.home", "."))
                .toAbsolutePath()
                .normalize();
        Path data = dataDir != null ? dataDir.toAbsolutePath() : home.resolve(".tiergate");
        return new StackOptions(
                home,
                data,
                Optional.ofNullable(bootstrap),
                Optional.ofNullable(registryUrl),
                brokerPort,
                registryPort,
                partitions,
                fresh,
                io.tiergate.cli.stack.ServiceSpec.ALL,
                0);
    }

    private void checkPort(String option, int port, int max) {
        if (port < 1 || port > max) {
            throw new ParameterException(
                    command.commandLine(),
                    "Invalid value for option '" + option + "': must be within 1.." + max + ", was " + port);
        }
    }
}
