package io.tiergate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.platform.audit.OpsAuditLog;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.read.CompactedView;
import io.tiergate.schemas.events.OpsAction;
import io.tiergate.schemas.events.OpsAuditEvent;
import io.tiergate.schemas.events.PrincipalSource;
import io.tiergate.schemas.topics.TopicProvisioner;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.testkit.TestBrokers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./tiergate budget|rules … --reason} write the change and its ops.audit record together;
 * {@code ./tiergate audit tail|export} read them back. On the real broker.
 */
class AuditCommandIT {

    private static final String REGISTRY = "mock://audit-cli-it";
    private static String bootstrap;

    @TempDir
    Path dir;

    @BeforeAll
    static void topics() {
        bootstrap = TestBrokers.shared().bootstrapServers();
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            new TopicProvisioner(admin, topic -> 3, (short) 1).ensureAll();
        }
    }

    private static String[] cluster(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap", bootstrap, "--registry-url", REGISTRY));
        return all.toArray(String[]::new);
    }

    @Test
    void aBudgetChangeAppearsInOpsAuditWithItsPrincipalAndReasonAndAuditTailShowsIt() {
        String scope = "audit-" + UUID.randomUUID().toString().substring(0, 8);
        String reason = "Q4 freeze, ticket OPS-42, approved by finance";
        Cli.run(cluster("budget", "set", scope, "--daily-usd", "7.5", "--reason", reason))
                .succeeds();

        String user = System.getProperty("user.name");
        List<OpsAuditEvent> mine = changesOf(scope);
        assertThat(mine).hasSize(1);
        OpsAuditEvent audit = mine.get(0);
        assertThat(audit.getPrincipal()).isEqualTo(user);
        assertThat(audit.getPrincipalSource()).isEqualTo(PrincipalSource.OS_USER);
        assertThat(audit.getReason()).isEqualTo(reason);
        assertThat(audit.getAction()).isEqualTo(OpsAction.SET);
        assertThat(audit.getTopic()).isEqualTo(Topics.Names.BUDGET_CONFIG);
        assertThat(audit.getValue()).contains("\"dailyLimitUsd\": 7.500000000").contains(scope);

        String tail = Cli.run(cluster("audit", "tail", "-n", "1000")).succeeds().out();
        assertThat(tail.lines().filter(l -> l.contains(scope)))
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .contains(user)
                        .contains("SET")
                        .contains("budget.config " + scope)
                        .contains("reason: " + reason));

        Cli.run(cluster("budget", "rm", scope, "--reason", "freeze over")).succeeds();
        assertThat(changesOf(scope))
                .extracting(OpsAuditEvent::getAction, OpsAuditEvent::getReason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(OpsAction.SET, reason),
                        org.assertj.core.groups.Tuple.tuple(OpsAction.REMOVE, "freeze over"));
    }

    @Test
    void aChangeWithoutAReasonIsRefusedAndWritesNothing() {
        String scope = "audit-" + UUID.randomUUID().toString().substring(0, 8);
        Cli.run(cluster("budget", "set", scope, "--daily-usd", "5")).failsWith("Missing required option: '--reason");
        Cli.run(cluster("budget", "set", scope, "--daily-usd", "5", "--reason", "  "))
                .failsWith("Missing required option: '--reason");
        Cli.run(cluster("rules", "reset", "--all")).failsWith("Missing required option: '--reason");

        assertThat(changesOf(scope)).isEmpty();
        Map<String, Object> budgets = new HashMap<>();
        KafkaClientSettings settings = new KafkaClientSettings(bootstrap, REGISTRY, "audit-it");
        CompactedView.builder(settings, new io.tiergate.platform.kafka.EventDecoder(settings), "audit-it-check")
                .topic(Topics.BUDGET_CONFIG, budgets::put)
                .loadOnce(Duration.ofSeconds(30));
        assertThat(budgets).doesNotContainKey(scope);
    }

    @Test
    void auditExportWritesEveryChangeAsCsvWithReasonsQuoted() throws Exception {
        String scope = "audit-" + UUID.randomUUID().toString().substring(0, 8);
        Instant before = Instant.now().minusSeconds(1);
        Cli.run(cluster("budget", "set", scope, "--monthly-usd", "100", "--reason", "new team, \"search\", budget"))
                .succeeds();
        Path csv = dir.resolve("audit.csv");
        Cli.Run run =
                Cli.run(cluster("audit", "export", "--csv", "--since", before.toString(), "--out", csv.toString()));
        assertThat(run.exitCode()).isZero();
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo(String.join(",", OpsAuditLog.CSV_COLUMNS));
        assertThat(lines.stream().filter(l -> l.contains(scope)))
                .singleElement()
                .satisfies(l -> assertThat(l)
                        .contains("," + System.getProperty("user.name") + ",OS_USER,SET,budget.config," + scope + ",")
                        .contains(",\"new team, \"\"search\"\", budget\","));
    }

    @Test
    void opsAuditIsProvisionedNeverCompactedAndKeptForever() throws Exception {
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.Names.OPS_AUDIT);
            var config = admin.describeConfigs(List.of(topic)).all().get().get(topic);
            assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG))
                    .extracting(ConfigEntry::value)
                    .isEqualTo("delete");
            assertThat(config.get(TopicConfig.RETENTION_MS_CONFIG))
                    .extracting(ConfigEntry::value)
                    .isEqualTo("-1");
        }
    }

    @Test
    void costCentersAreRegisteredListedAndUnregisteredEachChangeAudited() {
        String name = "cc-" + UUID.randomUUID().toString().substring(0, 8);
        Cli.run(cluster("cost-centers", "add", name, "--description", "search team", "--reason", "new team"))
                .succeeds();
        assertThat(Cli.run(cluster("cost-centers", "list")).succeeds().out())
                .contains(name)
                .contains("search team");
        Cli.run(cluster("cost-centers", "rm", name, "--reason", "team merged")).succeeds();
        assertThat(Cli.run(cluster("cost-centers", "list")).succeeds().out()).doesNotContain(name);
        assertThat(changesOf(name))
                .extracting(OpsAuditEvent::getTopic, OpsAuditEvent::getAction, OpsAuditEvent::getReason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Topics.Names.COST_CENTERS, OpsAction.SET, "new team"),
                        org.assertj.core.groups.Tuple.tuple(
                                Topics.Names.COST_CENTERS, OpsAction.REMOVE, "team merged"));
    }

    @Test
    void aCostCenterNameOutsideTheAlphabetOrTheGlobalScopeIsRefusedBeforeAnyBrokerIsAsked() {
        Cli.run("cost-centers", "add", "Team A", "--reason", "x", "--bootstrap", "127.0.0.1:1")
                .failsWith("Invalid value for positional parameter '<name>': must be 1-64 characters");
        Cli.run("cost-centers", "add", "global", "--reason", "x", "--bootstrap", "127.0.0.1:1")
                .failsWith("'global' is the global budget's scope, not a cost center");
        Cli.run("cost-centers", "add", "team-a", "--bootstrap", "127.0.0.1:1")
                .failsWith("Missing required option: '--reason=<text>'");
    }

    private static List<OpsAuditEvent> changesOf(String key) {
        return new OpsAuditLog(new KafkaClientSettings(bootstrap, REGISTRY, "audit-it"))
                .read(null, Duration.ofSeconds(30)).events().stream()
                        .filter(e -> e.getKey().equals(key))
                        .toList();
    }
}
