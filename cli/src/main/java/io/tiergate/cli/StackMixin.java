package io.tiergate.cli;

import io.tiergate.cli.stack.StackOptions;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options shared by the commands that run the local stack. */
public class StackMixin {

  @Option(names = "--bootstrap", description = "Use this Kafka cluster instead of starting a broker (host:port).")
  String bootstrap;

  @Option(names = "--registry-url", description = "Use this Confluent-compatible schema registry instead of the embedded one.")
  String registryUrl;

  @Option(names = "--data-dir", description = "Where broker data, the registry file and logs live (default: .tiergate in the checkout).")
  Path dataDir;

  @Option(names = "--broker-port", defaultValue = "9092", description = "Port of the embedded broker (default: ${DEFAULT-VALUE}; the controller uses the next one).")
  int brokerPort;

  @Option(names = "--registry-port", defaultValue = "8081", description = "Port of the embedded schema registry (default: ${DEFAULT-VALUE}).")
  int registryPort;

  @Option(names = "--partitions", defaultValue = "3", description = "Partitions per topic when topics are created (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--fresh", description = "Delete the data dir first (start from an empty broker).")
  boolean fresh;

  StackOptions toOptions() {
    Path home = Path.of(System.getProperty("tiergate.home", ".")).toAbsolutePath().normalize();
    Path data = dataDir != null ? dataDir.toAbsolutePath() : home.resolve(".tiergate");
    return new StackOptions(
        home, data, Optional.ofNullable(bootstrap), Optional.ofNullable(registryUrl), brokerPort, registryPort, partitions, fresh,
        io.tiergate.cli.stack.ServiceSpec.ALL, 0);
  }
}
