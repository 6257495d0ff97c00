package io.tiergate.cli;

import io.tiergate.router.cli.RulesAdmin;
import io.tiergate.schemas.events.Tier;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rules set|show|reset}: the ops overrides of the task table on the compacted routing.rules topic. */
@Command(
        name = "rules",
        mixinStandardHelpOptions = true,
        description = "Routing rules (ops overrides of the task-type table).",
        subcommands = {RulesCommand.Show.class, RulesCommand.Set.class, RulesCommand.Reset.class})
public class RulesCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "The table in force: defaults and overrides.")
    static class Show implements Callable<Integer> {
        @Mixin
        ClusterMixin cluster;

        @Override
        public Integer call() {
            try (RulesAdmin admin = new RulesAdmin(cluster.clientSettings())) {
                System.out.print(RulesAdmin.render(admin.show()));
            }
            return 0;
        }
    }

    @Command(
            name = "set",
            mixinStandardHelpOptions = true,
            description = "Override the rule of one task type (validated before it is written).")
    static class Set implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        ClusterMixin cluster;

        @Mixin
        ReasonMixin reason;

        @Parameters(index = "0", description = "Task type, e.g. IMPLEMENTATION.")
        String taskType;

        @Option(names = "--tier", required = true, description = "LOCAL or CLOUD.")
        Tier tier;

        @Option(names = "--model", required = true, description = "A model id of the price table.")
        String model;

        @Option(names = "--fallback", split = ",", description = "Fallback models, in order.")
        List<String> fallback = List.of();

        @Option(
                names = "--local-complexity-threshold",
                description = "LOCAL rules: above this complexity use the fallback model.")
        Double localComplexityThreshold;

        @Override
        public Integer call() {
            String why = reason.require(spec);
            RulesAdmin.check(taskType, tier, model, fallback, localComplexityThreshold); // before any broker is asked
            try (RulesAdmin admin = new RulesAdmin(cluster.clientSettings())) {
                var written = admin.set(taskType, tier, model, fallback, localComplexityThreshold, why);
                System.out.printf(
                        "rule set: %s -> %s %s fallback %s%n",
                        written.getTaskType(), written.getTier(), written.getModel(), written.getFallbackModels());
            }
            return 0;
        }
    }

    @Command(
            name = "reset",
            mixinStandardHelpOptions = true,
            description = "Restore the default rule of one task type, or of all with --all.")
    static class Reset implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        ClusterMixin cluster;

        @Parameters(index = "0", arity = "0..1", description = "Task type to reset.")
        String taskType;

        @Option(names = "--all", description = "Reset every override.")
        boolean all;

        @Mixin
        ReasonMixin reason;

        @Override
        public Integer call() {
            if (all == (taskType != null)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give a task type or --all");
            }
            String why = reason.require(spec);
            if (!all) {
                RulesAdmin.checkTaskType(taskType); // before any broker is asked
            }
            try (RulesAdmin admin = new RulesAdmin(cluster.clientSettings())) {
                if (all) {
                    System.out.println("reset: " + admin.resetAll(why));
                } else {
                    admin.reset(taskType, why);
                    System.out.println("reset: " + taskType);
                }
            }
            return 0;
        }
    }
}
