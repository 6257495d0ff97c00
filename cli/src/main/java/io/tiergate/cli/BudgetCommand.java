package io.tiergate.cli;

import io.tiergate.ledger.budget.InvalidBudgetConfigException;
import io.tiergate.ledger.cli.BudgetAdmin;
import io.tiergate.ledger.cli.BudgetAdmin.BudgetRequest;
import io.tiergate.schemas.events.BudgetConfig;
import io.tiergate.schemas.events.OnExhausted;
import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code budget set|show|rm}: budgets on the compacted budget.config topic, and their live status. */
@Command(
        name = "budget",
        mixinStandardHelpOptions = true,
        description = "Budgets per cost center and the global one.",
        subcommands = {BudgetCommand.Set.class, BudgetCommand.Show.class, BudgetCommand.Remove.class})
public class BudgetCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "set",
            mixinStandardHelpOptions = true,
            description = "Set the budget of a scope (a cost center, or 'global').")
    static class Set implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClusterMixin cluster;

        @Parameters(index = "0", description = "Scope: a cost center or 'global'.")
        String scope;

        @Option(names = "--daily-usd", description = "Daily limit in USD.")
        BigDecimal dailyUsd;

        @Option(names = "--monthly-usd", description = "Monthly limit in USD.")
        BigDecimal monthlyUsd;

        @Option(names = "--on-exhausted", description = "DEGRADE_LOCAL (default), DEFER or REJECT.")
        OnExhausted onExhausted;

        @Option(
                names = "--conserve-at",
                description = "Utilisation (0..1) from which cheap-eligible work moves down a tier (default 0.8).")
        Double conserve;

        @Option(
                names = "--critical-at",
                description = "Utilisation (0..1) from which only critical work may use cloud (default 0.95).")
        Double critical;

        @Option(names = "--timezone", description = "Zone of the day/month boundaries (default UTC).")
        String timezone;

        @Override
        public Integer call() {
            if (scope.isBlank()) {
                throw new ParameterException(
                        spec.commandLine(), "Invalid value for positional parameter '<scope>': must not be empty");
            }
            if (dailyUsd == null && monthlyUsd == null) {
                throw new ParameterException(spec.commandLine(), "give --daily-usd, --monthly-usd or both");
            }
            BudgetRequest request = BudgetRequest.of(scope, dailyUsd, monthlyUsd)
                    .onExhausted(onExhausted)
                    .thresholds(conserve, critical)
                    .timezone(timezone);
            try {
                // the ledger's rules, before any broker is contacted, reported against the option that was given
                BudgetAdmin.check(request, BudgetAdmin.DEFAULT_MAX_LIMIT_USD);
            } catch (InvalidBudgetConfigException e) {
                throw new ParameterException(
                        spec.commandLine(), "Invalid value for " + optionOf(e.field()) + ": " + e.problem());
            }
            try (BudgetAdmin admin = new BudgetAdmin(cluster.bootstrap(), cluster.registryUrl)) {
                BudgetConfig written = admin.set(request);
                System.out.println(BudgetAdmin.describe(written, null));
            }
            return 0;
        }

        /** The option (or parameter) of this command that sets a BudgetConfig field. */
        static String optionOf(String field) {
            return switch (field) {
                case "dailyLimitUsd" -> "option '--daily-usd'";
                case "monthlyLimitUsd" -> "option '--monthly-usd'";
                case "conserveThreshold" -> "option '--conserve-at'";
                case "criticalThreshold" -> "option '--critical-at'";
                case "timezone" -> "option '--timezone'";
                default -> "positional parameter '<scope>'"; // key, scope
            };
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Budgets in force with their live status (all, or one scope).")
    static class Show implements Callable<Integer> {
        @Mixin
        ClusterMixin cluster;

        @Parameters(index = "0", arity = "0..1", description = "Scope.")
        String scope;

        @Override
        public Integer call() {
            try (BudgetAdmin admin = new BudgetAdmin(cluster.bootstrap(), cluster.registryUrl)) {
                Map<String, BudgetConfig> budgets = admin.list();
                if (scope != null) {
                    BudgetConfig config = budgets.get(scope);
                    if (config == null) {
                        System.err.println("no budget for scope " + scope);
                        return 1;
                    }
                    System.out.println(
                            BudgetAdmin.describe(config, admin.status(scope).orElse(null)));
                    return 0;
                }
                if (budgets.isEmpty()) {
                    System.out.println("no budgets set");
                }
                var statuses = admin.statuses();
                budgets.forEach((s, config) -> System.out.println(BudgetAdmin.describe(config, statuses.get(s))));
            }
            return 0;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Delete the budget of a scope (a tombstone).")
    static class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClusterMixin cluster;

        @Parameters(index = "0", description = "Scope.")
        String scope;

        @Override
        public Integer call() {
            if (scope.isBlank()) {
                throw new ParameterException(
                        spec.commandLine(), "Invalid value for positional parameter '<scope>': must not be empty");
            }
            try (BudgetAdmin admin = new BudgetAdmin(cluster.bootstrap(), cluster.registryUrl)) {
                admin.remove(scope);
                System.out.println("budget removed: " + scope);
            }
            return 0;
        }
    }
}
