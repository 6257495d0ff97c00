package io.tiergate.cli;

import io.tiergate.router.cli.CostCentersAdmin;
import io.tiergate.schemas.events.CostCenter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cost-centers add|list|rm}: the registered cost centers (compacted cost.centers, audited). */
@Command(
        name = "cost-centers",
        mixinStandardHelpOptions = true,
        description = "Registered cost centers (every change audited in ops.audit).",
        subcommands = {
            CostCentersCommand.Add.class,
            CostCentersCommand.ListCenters.class,
            CostCentersCommand.Remove.class
        })
public class CostCentersCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static void checkName(CommandSpec spec, String name) {
        String problem = CostCentersAdmin.problemWith(name);
        if (problem != null) {
            throw new ParameterException(
                    spec.commandLine(), "Invalid value for positional parameter '<name>': " + problem);
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Register a cost center.")
    static class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClusterMixin cluster;

        @Parameters(index = "0", description = "Name, e.g. team-search (a-z, 0-9, '.', '_', '-').")
        String name;

        @Option(names = "--description", description = "What it is, who owns it.")
        String description;

        @Mixin
        ReasonMixin reason;

        @Override
        public Integer call() {
            checkName(spec, name);
            String why = reason.require(spec);
            try (CostCentersAdmin admin = new CostCentersAdmin(cluster.clientSettings())) {
                CostCenter added = admin.add(name, description, why);
                System.out.println("cost center registered: " + added.getName());
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The registered cost centers.")
    static class ListCenters implements Callable<Integer> {
        @Mixin
        ClusterMixin cluster;

        @Override
        public Integer call() {
            try (CostCentersAdmin admin = new CostCentersAdmin(cluster.clientSettings())) {
                Map<String, CostCenter> all = admin.list();
                if (all.isEmpty()) {
                    System.out.println("no cost centers registered");
                }
                all.values()
                        .forEach(c -> System.out.printf(
                                "%-32s %s  %s%n",
                                c.getName(),
                                c.getRegisteredAt(),
                                c.getDescription() == null ? "" : c.getDescription()));
            }
            return 0;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Unregister a cost center (a tombstone).")
    static class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClusterMixin cluster;

        @Parameters(index = "0", description = "Name.")
        String name;

        @Mixin
        ReasonMixin reason;

        @Override
        public Integer call() {
            checkName(spec, name);
            String why = reason.require(spec);
            try (CostCentersAdmin admin = new CostCentersAdmin(cluster.clientSettings())) {
                admin.remove(name, why);
                System.out.println("cost center unregistered: " + name);
            }
            return 0;
        }
    }
}
