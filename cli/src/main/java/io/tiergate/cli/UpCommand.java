package io.tiergate.cli;

import io.tiergate.cli.stack.JvmProfile;
import io.tiergate.cli.stack.LocalStack;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs the whole system on this machine until Ctrl-C. */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description =
                "Start the Kafka broker, the schema registry, the five services and the gateway on this machine, print their endpoints, and run until Ctrl-C.")
public class UpCommand implements Callable<Integer> {

    @Mixin
    StackMixin stack;

    @Override
    public Integer call() throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        LocalStack running = LocalStack.start(stack.toOptions(), System.out, Map.of(), JvmProfile.STEADY_STATE);
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
