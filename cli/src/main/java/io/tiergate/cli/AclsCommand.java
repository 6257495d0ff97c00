package io.tiergate.cli;

import io.tiergate.cli.stack.SecurityProvisioning;
import io.tiergate.platform.kafka.security.KafkaAccessPolicy;
import io.tiergate.schemas.topics.TopicProvisioner;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The Kafka access policy: show it, or put it in force on a secured cluster (docs/security.md). */
@Command(
        name = "acls",
        mixinStandardHelpOptions = true,
        description = "The Kafka principals and ACLs of docs/security.md: show them, or apply them to a cluster.",
        subcommands = {AclsCommand.Show.class, AclsCommand.Apply.class})
public class AclsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Print what each principal may do (the table of docs/security.md).")
    static class Show implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.print(KafkaAccessPolicy.standard().markdownTable());
            return 0;
        }
    }

    @Command(
            name = "apply",
            mixinStandardHelpOptions = true,
            description = {
                "Create the principals' SCRAM-SHA-512 credentials, the ACLs and the topics, as a super user"
                        + " (--command-config). A principal's password is read from the environment variable"
                        + " TIERGATE_<PRINCIPAL>_KAFKA_PASSWORD (TIERGATE_LOCAL_WORKER_KAFKA_PASSWORD, ...);"
                        + " principals without one keep their credentials. Idempotent."
            })
    static class Apply implements Callable<Integer> {

        @Mixin
        ClusterMixin cluster;

        @Option(
                names = "--partitions",
                defaultValue = "3",
                description = "Partitions of the topics it creates (default: ${DEFAULT-VALUE}).")
        int partitions;

        @Option(
                names = "--replication-factor",
                defaultValue = "1",
                description = "Replication factor of the topics it creates (default: ${DEFAULT-VALUE}).")
        short replicationFactor;

        /** How the passwords are looked up; the environment unless a test says otherwise. */
        UnaryOperator<String> environment = System::getenv;

        @Override
        public Integer call() {
            Map<String, String> passwords = passwords(environment);
            try (Admin admin = Admin.create(cluster.clientSettings().base())) {
                SecurityProvisioning.apply(admin, passwords, System.out);
                var created = new TopicProvisioner(admin, t -> partitions, replicationFactor).ensureAll();
                System.out.printf("[security] topics ready (%d created)%n", created.size());
            }
            return 0;
        }

        /** The passwords set in the environment, by principal; blank counts as not set. */
        static Map<String, String> passwords(UnaryOperator<String> environment) {
            Map<String, String> passwords = new TreeMap<>();
            for (String principal : KafkaAccessPolicy.PRINCIPALS) {
                String value = environment.apply(variable(principal));
                if (value != null && !value.isBlank()) {
                    passwords.put(principal, value.trim());
                }
            }
            return passwords;
        }

        static String variable(String principal) {
            return "TIERGATE_" + principal.toUpperCase(Locale.ROOT).replace('-', '_') + "_KAFKA_PASSWORD";
        }
    }
}
