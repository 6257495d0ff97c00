package io.tiergate.cli;

import io.tiergate.router.cli.RouteExplainer;
import io.tiergate.schemas.events.TaskType;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code route explain}: what the router would decide for a request, and why, with live rules and budgets. */
@Command(
        name = "route",
        mixinStandardHelpOptions = true,
        description = "Routing decisions.",
        subcommands = RouteCommand.Explain.class)
public class RouteCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "explain",
            mixinStandardHelpOptions = true,
            description =
                    "Explain the decision for a request, using the live routing.rules, budget.status and worker.health.")
    static class Explain implements Callable<Integer> {
        @Mixin
        ClusterMixin cluster;

        @Option(names = "--task-type", required = true, description = "One of ${COMPLETION-CANDIDATES}.")
        TaskType taskType;

        @Option(names = "--sovereign", description = "The request requires data sovereignty.")
        boolean sovereign;

        @Option(names = "--sensitive", description = "As if the classifier found sensitive data.")
        boolean sensitive;

        @Option(names = "--latency-ms", description = "The request's latency budget.")
        Long latencyMs;

        @Option(
                names = "--cost-center",
                defaultValue = "default",
                description = "Cost center (default: ${DEFAULT-VALUE}).")
        String costCenter;

        @Option(
                names = "--complexity",
                defaultValue = "0.5",
                description = "Classifier complexity 0..1 (default: ${DEFAULT-VALUE}).")
        double complexity;

        @Option(
                names = "--input-tokens",
                defaultValue = "1000",
                description = "Estimated input tokens (default: ${DEFAULT-VALUE}).")
        int inputTokens;

        @Override
        public Integer call() {
            RouteExplainer.Query query = RouteExplainer.Query.of(taskType)
                    .sovereign(sovereign)
                    .sensitive(sensitive)
                    .latencyMs(latencyMs)
                    .costCenter(costCenter)
                    .complexity(complexity)
                    .inputTokens(inputTokens);
            System.out.println(new RouteExplainer(cluster.bootstrap(), cluster.registryUrl)
                    .explain(query)
                    .render());
            return 0;
        }
    }
}
