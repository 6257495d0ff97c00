package io.tiergate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.platform.kafka.security.KafkaAccessPolicy;
import io.tiergate.schemas.topics.TopicProvisioner;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.testkit.SaslKafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator commands against a secured cluster (SASL/SCRAM-SHA-512, the StandardAuthorizer and
 * {@link KafkaAccessPolicy}'s ACLs): with the ops principal's {@code --command-config} they work;
 * with another principal, a wrong password or a missing file they fail with a message, never a
 * stack trace.
 */
class SecuredClusterCommandsIT {

    private static final String REGISTRY = "mock://secured-cli-it-" + UUID.randomUUID();
    private static final String OPS_PASSWORD = SaslKafkaBroker.randomPassword();
    private static final String UPSTREAM_PASSWORD = SaslKafkaBroker.randomPassword();
    private static SaslKafkaBroker broker;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        broker = SaslKafkaBroker.start();
        broker.createScramUsers(
                Map.of(KafkaAccessPolicy.OPS, OPS_PASSWORD, KafkaAccessPolicy.UPSTREAM, UPSTREAM_PASSWORD));
        try (Admin admin = Admin.create(broker.superUserProperties())) {
            new TopicProvisioner(admin, topic -> 1, (short) 1).ensureAll();
            var bindings = KafkaAccessPolicy.standard().aclBindings();
            admin.createAcls(bindings).all().get(60, TimeUnit.SECONDS);
            Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> admin.describeAcls(AclBindingFilter.ANY)
                                    .values()
                                    .get(10, TimeUnit.SECONDS)
                                    .size()
                            == java.util.Set.copyOf(bindings).size());
        }
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static Path commandConfig(String name, String user, String password) throws IOException {
        StringBuilder text = new StringBuilder();
        SaslKafkaBroker.scramClientProperties(user, password)
                .forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Path file = dir.resolve(name + ".properties");
        Files.writeString(file, text);
        return file;
    }

    private static Cli.Run budgetSet(String scope, Path commandConfig) {
        return Cli.run(
                "budget",
                "set",
                scope,
                "--daily-usd",
                "5",
                "--bootstrap",
                broker.bootstrapServers(),
                "--registry-url",
                REGISTRY,
                "--command-config",
                commandConfig.toString(),
                "--reason",
                "SecuredClusterCommandsIT");
    }

    @Test
    void opsSetsABudgetWithItsCommandConfig() throws IOException {
        Cli.Run run = budgetSet("team-secure", commandConfig("ops", KafkaAccessPolicy.OPS, OPS_PASSWORD))
                .succeeds();
        assertThat(run.out()).contains("team-secure");
        assertThat(run.out()).doesNotContain(OPS_PASSWORD);
    }

    @Test
    void anUpstreamPrincipalMayNotSetABudget() throws IOException {
        Cli.Run run = budgetSet("team-secure", commandConfig("upstream", KafkaAccessPolicy.UPSTREAM, UPSTREAM_PASSWORD))
                .failsWith("the principal of --command-config may not do this");
        // a budget change is written with its ops.audit record in one transaction, whose transactional id
        // (tiergate-ops-*) only ops may use: the refusal comes before any record is sent
        assertThat(run.err()).contains("Transactional Id authorization failed").doesNotContain(UPSTREAM_PASSWORD);
    }

    /** {@code args}, then the cluster options with {@code commandConfig}. */
    private static Cli.Run command(Path commandConfig, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(
                "--bootstrap",
                broker.bootstrapServers(),
                "--registry-url",
                REGISTRY,
                "--command-config",
                commandConfig.toString()));
        return Cli.run(all.toArray(String[]::new));
    }

    @Test
    void opsRegistersACostCenterWithItsCommandConfig() throws IOException {
        Path ops = commandConfig("ops", KafkaAccessPolicy.OPS, OPS_PASSWORD);
        Cli.Run run = command(ops, "cost-centers", "add", "team-secure-cc", "--reason", "SecuredClusterCommandsIT")
                .succeeds();
        assertThat(run.out()).contains("cost center registered: team-secure-cc").doesNotContain(OPS_PASSWORD);
        assertThat(command(ops, "cost-centers", "list").succeeds().out()).contains("team-secure-cc");
    }

    @Test
    void anUpstreamPrincipalMayNotRegisterACostCenter() throws IOException {
        Cli.Run run = command(
                        commandConfig("upstream", KafkaAccessPolicy.UPSTREAM, UPSTREAM_PASSWORD),
                        "cost-centers",
                        "add",
                        "team-upstream-cc",
                        "--reason",
                        "SecuredClusterCommandsIT")
                .failsWith("the principal of --command-config may not do this");
        // audited like a budget: refused at the transactional id (tiergate-ops-*) before any record is sent
        assertThat(run.err()).contains("Transactional Id authorization failed").doesNotContain(UPSTREAM_PASSWORD);
    }

    @Test
    void opsCreatesAKeyWithItsCommandConfig() throws IOException {
        Path ops = commandConfig("ops", KafkaAccessPolicy.OPS, OPS_PASSWORD);
        Cli.Run run = command(ops, "keys", "create", "--cost-center", "team-secure-keys")
                .succeeds();
        assertThat(run.out()).contains("for cost center team-secure-keys").doesNotContain(OPS_PASSWORD);
        assertThat(command(ops, "keys", "list").succeeds().out()).contains("team-secure-keys");
    }

    @Test
    void anUpstreamPrincipalMayNotCreateAKey() throws IOException {
        Cli.Run run = command(
                        commandConfig("upstream", KafkaAccessPolicy.UPSTREAM, UPSTREAM_PASSWORD),
                        "keys",
                        "create",
                        "--cost-center",
                        "team-upstream-keys")
                .failsWith("the principal of --command-config may not do this");
        assertThat(run.err()).contains(Topics.GATEWAY_KEYS.name()).doesNotContain(UPSTREAM_PASSWORD);
    }

    @Test
    void aWrongPasswordIsReportedAsRefusedCredentials() throws IOException {
        Cli.Run run = budgetSet("team-secure", commandConfig("wrong", KafkaAccessPolicy.OPS, "not-the-password"))
                .failsWith("the Kafka cluster refused the credentials");
        assertThat(run.err()).doesNotContain("not-the-password");
    }

    @Test
    void aMissingCommandConfigFileIsNamed() {
        budgetSet("team-secure", dir.resolve("absent.properties"))
                .failsWith("--command-config: Kafka client config " + dir.resolve("absent.properties")
                        + " does not exist");
    }
}
