package io.tiergate.cli;

import io.tiergate.cli.recommend.RecommendationsView;
import io.tiergate.router.calibration.Recommendation;
import io.tiergate.router.calibration.Recommender;
import io.tiergate.router.cli.CalibrationReport;
import io.tiergate.router.cli.RulesAdmin;
import io.tiergate.router.policy.RouteRule;
import io.tiergate.schemas.events.RoutingRule;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rules set|show|reset|recommend}: the ops overrides of the task table on the compacted
 * routing.rules topic, and the changes the calibration suggests (docs/calibration.md).
 */
@Command(
        name = "rules",
        mixinStandardHelpOptions = true,
        description = "Routing rules (ops overrides of the task-type table).",
        subcommands = {
            RulesCommand.Show.class,
            RulesCommand.Set.class,
            RulesCommand.Reset.class,
            RulesCommand.Recommend.class
        })
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

    @Command(
            name = "recommend",
            mixinStandardHelpOptions = true,
            description = {
                "Propose routing-table changes from the calibration (routing.calibration) and the recorded"
                        + " traffic (inference.costs): a type goes up to the cloud when its local agreement is"
                        + " confidently below --min-agreement, down only with confident local evidence.",
                "Nothing is written without --apply; --apply writes the proposals as rules, audited, in one"
                        + " transaction."
            })
    static class Recommend implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        ClusterMixin cluster;

        @Mixin
        ReasonMixin reason;

        @Option(
                names = "--min-agreement",
                defaultValue = "0.9",
                description = "Agreement with the reference a local model must reach (0..1; default ${DEFAULT-VALUE}).")
        double minAgreement;

        @Option(
                names = "--min-samples",
                defaultValue = "30",
                description = "Samples a task type needs before anything is proposed (default ${DEFAULT-VALUE}).")
        long minSamples;

        @Option(
                names = "--look-back-days",
                defaultValue = "30",
                description = "Days of recorded traffic the cost change is computed from (default ${DEFAULT-VALUE}).")
        long lookBackDays;

        @Option(names = "--json", description = "Print JSON instead of a table.")
        boolean json;

        @Option(names = "--apply", description = "Write the proposals as routing rules (needs --reason).")
        boolean apply;

        @Override
        public Integer call() {
            if (!(minAgreement > 0 && minAgreement <= 1)) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(), "--min-agreement must be in (0, 1], was " + minAgreement);
            }
            if (minSamples < 1 || lookBackDays < 1) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(), "--min-samples and --look-back-days must be at least 1");
            }
            String why = apply ? reason.require(spec) : null; // before any broker is asked
            try (RulesAdmin admin = new RulesAdmin(cluster.clientSettings())) {
                Duration timeout = Duration.ofSeconds(60);
                CalibrationReport inputs =
                        CalibrationReport.read(admin.client(), Duration.ofDays(lookBackDays), timeout);
                Map<TaskType, RouteRule> table = new EnumMap<>(TaskType.class);
                admin.show().forEach(row -> table.put(row.taskType(), row.rule()));
                List<Recommendation> recommendations = new Recommender(admin.catalog(), minAgreement, minSamples)
                        .recommend(
                                table,
                                admin.localModel(),
                                inputs.stats(),
                                inputs.traffic().all(),
                                Instant.now());
                RecommendationsView view = new RecommendationsView(
                        recommendations, inputs.since(), lookBackDays, minAgreement, minSamples, inputs.skipped());
                System.out.print(json ? view.json() : view.text());
                if (apply) {
                    List<RoutingRule> rules = view.proposals().stream()
                            .map(Recommendation::proposed)
                            .toList();
                    admin.setAll(rules, why);
                    PrintStream report = json ? System.err : System.out; // keep stdout valid JSON
                    if (rules.isEmpty()) {
                        report.println("applied: nothing to apply");
                    }
                    for (var rule : rules) {
                        report.printf(
                                "applied: %s -> %s %s fallback %s (audited in ops.audit)%n",
                                rule.getTaskType(), rule.getTier(), rule.getModel(), rule.getFallbackModels());
                    }
                } else if (!view.proposals().isEmpty() && !json) {
                    System.out.println(
                            "\nNothing written: run again with --apply --reason \"...\" to write these rules.");
                }
            }
            return 0;
        }
    }
}
