package io.tiergate.cli;

import io.tiergate.gateway.kafka.KeyAdmin;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.schemas.events.VirtualKey;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code keys create|list|revoke}: the gateway's virtual keys on the compacted gateway.keys topic (docs/gateway.md). */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "Virtual keys of the OpenAI-compatible gateway: bearer tokens billed to a cost center.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
public class KeysCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Create a key; the key itself is printed once, alone on the last line, and never stored.")
    static class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClusterMixin cluster;

        @Option(
                names = "--cost-center",
                required = true,
                description = "The cost center every request of the key is billed to.")
        String costCenter;

        @Option(names = "--name", description = "A label shown by keys list.")
        String name;

        @Option(
                names = "--max-output-tokens",
                description = "The most output tokens one request of the key may ask for.")
        Integer maxOutputTokens;

        @Option(names = "--sovereign", description = "Every request of the key is sovereign (served locally only).")
        boolean sovereign;

        @Override
        public Integer call() {
            try {
                KeyAdmin.check(costCenter, maxOutputTokens); // before any broker is asked
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            KeyAdmin.Created created;
            try (KeyAdmin admin = new KeyAdmin(cluster.clientSettings())) {
                created = admin.create(costCenter, name, maxOutputTokens, sovereign);
            }
            System.out.println("key " + created.key().getKeyPrefix() + "... for cost center " + costCenter
                    + " (every gateway accepts it within seconds; it is shown only now):");
            System.out.println(created.token());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every key: prefix, cost center, state.")
    static class ListKeys implements Callable<Integer> {
        @Mixin
        ClusterMixin cluster;

        @Override
        public Integer call() {
            try (KeyAdmin admin = new KeyAdmin(cluster.clientSettings())) {
                List<VirtualKey> keys = admin.list();
                System.out.printf("%-13s %-20s %-9s %-24s %s%n", "KEY", "COST CENTER", "STATE", "CREATED", "NAME");
                for (VirtualKey k : keys) {
                    System.out.printf(
                            "%-13s %-20s %-9s %-24s %s%n",
                            k.getKeyPrefix() + "...",
                            k.getCostCenter(),
                            k.getRevokedAt() == null ? "active" : "revoked",
                            k.getCreatedAt(),
                            k.getName() == null ? "" : k.getName());
                }
            }
            return 0;
        }
    }

    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = "Revoke a key: every gateway refuses it (401) within seconds.")
    static class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClusterMixin cluster;

        @Parameters(
                index = "0",
                description = "The key's prefix as keys list shows it (tg-XXXXXXX), its hash, or the key.")
        String key;

        @Override
        public Integer call() {
            KafkaClientSettings settings = cluster.clientSettings(); // a bad --command-config is not a usage error
            try (KeyAdmin admin = new KeyAdmin(settings)) {
                VirtualKey revoked = admin.revoke(key.endsWith("...") ? key.substring(0, key.length() - 3) : key);
                System.out.println(
                        "revoked " + revoked.getKeyPrefix() + "... (cost center " + revoked.getCostCenter() + ")");
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            return 0;
        }
    }
}
