package io.tiergate.cli;

import picocli.CommandLine.Command;

/** The root command: {@code ./tiergate --help} lists what it can do. */
@Command(
        name = "tiergate",
        mixinStandardHelpOptions = true,
        version = "tiergate 0.1.0",
        description =
                "Routes LLM inference between a local model and cloud models over Kafka, accounts every call's true cost and throttles cloud spend before budgets run dry.",
        subcommands = {
            DemoCommand.class,
            UpCommand.class,
            BenchCommand.class,
            CapacityCommand.class,
            ClassifyCommand.class,
            RouteCommand.class,
            RulesCommand.class,
            BudgetCommand.class,
            KeysCommand.class,
            CostsCommand.class,
            CostCentersCommand.class,
            AuditCommand.class,
            WhatIfCommand.class,
            AclsCommand.class
        })
public class TiergateCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
