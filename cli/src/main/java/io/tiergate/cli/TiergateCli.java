package io.tiergate.cli;

import picocli.CommandLine;

/**
 * Entry point of {@code ./tiergate}. Plain picocli, no application context: the operator commands
 * compose plain classes from the service modules, and booting a context would start those modules'
 * Kafka beans (Kafka Streams is an eager bean) inside the CLI.
 */
public final class TiergateCli {

  private TiergateCli() {}

  public static void main(String[] args) {
    // the service modules on this classpath bring their own logback.xml; the CLI's is quiet and on stderr
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "tiergate-cli-logback.xml");
    }
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new TiergateCommand());
    cli.setExecutionExceptionHandler(
        (e, command, parseResult) -> {
          // an operator gets the reason, not a stack trace; TIERGATE_DEBUG=1 shows the trace
          command.getErr().println("tiergate: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
          if (e instanceof org.apache.kafka.common.errors.TimeoutException) {
            command.getErr().println(
                "tiergate: no Kafka broker answered. Is tiergate running (./tiergate up)? Otherwise pass --bootstrap host:port.");
          }
          if (System.getenv("TIERGATE_DEBUG") != null) {
            e.printStackTrace(command.getErr());
          }
          return 2;
        });
    return cli;
  }
}
