package io.tiergate.cli;

import io.tiergate.cli.stack.ApiToken;
import io.tiergate.cli.stack.JvmProfile;
import io.tiergate.cli.stack.LocalStack;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Runs the whole system on this machine until Ctrl-C. */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description =
                "Start the Kafka broker, the schema registry, the five services and the gateway on this machine, print their endpoints, and run until Ctrl-C.")
public class UpCommand implements Callable<Integer> {

    @Mixin
    StackMixin stack;

    @Option(
            names = "--api-token",
            defaultValue = "${env:TIERGATE_HTTP_API_TOKEN}",
            description =
                    "Token of the services' HTTP APIs (default: $TIERGATE_HTTP_API_TOKEN, else a new random one).")
    String apiToken;

    @Option(
            names = "--secure",
            description = "Kafka security on: SASL/SCRAM-SHA-512, the KRaft StandardAuthorizer, one principal per"
                    + " service plus ops, upstream and analyst, with the ACLs of docs/security.md. Credentials are"
                    + " generated into <data-dir>/secure (mode 0600); operator commands then need"
                    + " --command-config <data-dir>/secure/ops.properties.")
    boolean secure;

    @Option(
            names = "--sim-speed-up",
            defaultValue = StackMixin.SIM_SPEED_UP_DEFAULT,
            description =
                    "Simulated model backends (no Ollama, no API key) run this many times faster than the model profiles they imitate; 1 for real time. Real backends are unaffected (default: ${DEFAULT-VALUE}).")
    double simSpeedUp;

    @Override
    public Integer call() throws InterruptedException {
        if (!(simSpeedUp > 0)) {
            throw new ParameterException(
                    stack.command.commandLine(),
                    "Invalid value for option '--sim-speed-up': must be > 0 (1: real time), was " + simSpeedUp);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Map<String, String> env = new java.util.HashMap<>();
        env.put("TIERGATE_SIMULATION_SPEED_UP", String.valueOf(simSpeedUp));
        if (apiToken != null && !apiToken.isBlank()) {
            env.put(ApiToken.ENV, apiToken.strip());
        }
        LocalStack running =
                LocalStack.start(stack.toOptions().withSecure(secure), System.out, env, JvmProfile.STEADY_STATE);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            System.out.println("[stack] stopping ...");
                            running.close();
                            System.out.println("[stack] stopped");
                            stopped.countDown();
                        },
                        "tiergate-stop"));
        String dashboard = running.service("ledger-streams")
                .map(s -> s.spec().baseUrl() + "/dashboard/#token=" + running.apiToken())
                .orElse("(no ledger)");
        System.out.printf(
                "[stack] API token (ledger API, dashboard, /health details): %s (in %s; the CLI reads it from there)%n"
                        + "[stack] dashboard: %s%n",
                running.apiToken(), stack.toOptions().dataDir().resolve(ApiToken.FILE), dashboard);
        // said again last: the start-up notice has scrolled away behind the services' output by now
        running.backendsSummary().ifPresent(System.out::println);
        System.out.printf(
                "[stack] tiergate is up: bootstrap %s, schema registry %s. Ctrl-C stops everything.%n",
                running.bootstrapServers(), running.registryUrl());
        stopped.await();
        return 0;
    }
}
