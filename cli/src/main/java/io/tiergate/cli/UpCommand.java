package io.tiergate.cli;

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
                "Start the Kafka broker, the schema registry and the five services on this machine, print their endpoints, and run until Ctrl-C.")
public class UpCommand implements Callable<Integer> {

    @Mixin
    StackMixin stack;

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
        LocalStack running = LocalStack.start(
                stack.toOptions(),
                System.out,
                Map.of("TIERGATE_SIMULATION_SPEED_UP", String.valueOf(simSpeedUp)),
                JvmProfile.STEADY_STATE);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            System.out.println("[stack] stopping ...");
                            running.close();
                            System.out.println("[stack] stopped");
                            stopped.countDown();
                        },
                        "tiergate-stop"));
        System.out.printf(
                "[stack] tiergate is up: bootstrap %s, schema registry %s. Ctrl-C stops everything.%n",
                running.bootstrapServers(), running.registryUrl());
        stopped.await();
        return 0;
    }
}
