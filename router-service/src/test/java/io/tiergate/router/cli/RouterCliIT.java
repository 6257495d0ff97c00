package io.tiergate.router.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.tiergate.platform.audit.OpsAuditLog;
import io.tiergate.platform.kafka.EventPublisher;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.router.Fixtures;
import io.tiergate.router.policy.RoutingTable;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.events.OpsAction;
import io.tiergate.schemas.events.OpsAuditEvent;
import io.tiergate.schemas.events.RoutingAction;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.topics.TopicProvisioner;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.testkit.TestBrokers;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The plain classes behind ./tiergate rules and ./tiergate route explain, on the real broker. */
class RouterCliIT {

    private static final String REGISTRY = "mock://router-it";
    private static String bootstrap;

    @BeforeAll
    static void topics() {
        bootstrap = TestBrokers.shared().bootstrapServers();
        try (Admin admin = Admin.create(java.util.Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            new TopicProvisioner(admin, t -> 3, (short) 1).ensureAll();
        }
    }

    @Test
    void rulesCanBeSetShownAndResetAndTheExplainerUsesThem() {
        RouteExplainer explainer = new RouteExplainer(bootstrap, REGISTRY);
        try (RulesAdmin admin = new RulesAdmin(bootstrap, REGISTRY)) {
            admin.set(
                    "extraction",
                    Tier.CLOUD,
                    Fixtures.HAIKU,
                    List.of(Fixtures.DEEPSEEK),
                    null,
                    "router test: extraction to the cloud");
            RulesAdmin.Row row = admin.show().stream()
                    .filter(r -> r.taskType() == TaskType.EXTRACTION)
                    .findFirst()
                    .orElseThrow();
            assertThat(row.source()).isEqualTo(RoutingTable.Source.OVERRIDE);
            assertThat(row.rule().model()).isEqualTo(Fixtures.HAIKU);
            assertThat(RulesAdmin.render(admin.show()))
                    .contains("EXTRACTION")
                    .contains("OVERRIDE")
                    .contains(Fixtures.HAIKU);

            RouteExplainer.Explanation e = explainer.explain(RouteExplainer.Query.of(TaskType.EXTRACTION));
            assertThat(e.decision().getTier()).isEqualTo(Tier.CLOUD);
            assertThat(e.decision().getModel()).isEqualTo(Fixtures.HAIKU);
            assertThat(e.ruleSource()).isEqualTo(RoutingTable.Source.OVERRIDE);
            assertThat(e.render())
                    .contains("ROUTE → CLOUD " + Fixtures.HAIKU)
                    .contains("TASK_TABLE")
                    .contains("reservations");

            assertThatThrownBy(() -> admin.set("EXTRACTION", Tier.LOCAL, Fixtures.OPUS, List.of(), null, "bad"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("a LOCAL rule needs a LOCAL model");
            assertThatThrownBy(() -> admin.reset("POETRY", "unknown type"))
                    .isInstanceOf(IllegalArgumentException.class);

            admin.reset("EXTRACTION", "router test: back to the default");
            assertThat(admin.show().stream()
                            .filter(r -> r.taskType() == TaskType.EXTRACTION)
                            .findFirst()
                            .orElseThrow()
                            .source())
                    .isEqualTo(RoutingTable.Source.DEFAULT);
            assertThat(explainer
                            .explain(
                                    RouteExplainer.Query.of(TaskType.EXTRACTION).complexity(0.2))
                            .decision()
                            .getTier())
                    .isEqualTo(Tier.LOCAL);
        }
        // who and why, with each change (docs/security.md, "Audit")
        assertThat(new OpsAuditLog(new KafkaClientSettings(bootstrap, REGISTRY, "cli-it"))
                        .read(null, Duration.ofSeconds(30)).events().stream()
                                .filter(e -> e.getTopic().equals(Topics.Names.ROUTING_RULES)
                                        && e.getKey().equals("EXTRACTION"))
                                .toList())
                .extracting(OpsAuditEvent::getAction, OpsAuditEvent::getReason, OpsAuditEvent::getPrincipal)
                .containsExactly(
                        tuple(OpsAction.SET, "router test: extraction to the cloud", System.getProperty("user.name")),
                        tuple(OpsAction.REMOVE, "router test: back to the default", System.getProperty("user.name")));
    }

    @Test
    void theExplainerShowsTheLiveBudgetAndSovereignty() throws Exception {
        String cc = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        KafkaClientSettings client = new KafkaClientSettings(bootstrap, REGISTRY, "cli-it");
        try (EventPublisher publisher = new EventPublisher(client)) {
            publisher
                    .send(
                            Topics.BUDGET_STATUS,
                            cc,
                            Fixtures.status(cc, BudgetLevel.EXHAUSTED, OnExhausted.REJECT, "10", "10"))
                    .get(30, TimeUnit.SECONDS);
            try {
                RouteExplainer explainer = new RouteExplainer(bootstrap, REGISTRY);
                RouteExplainer.Explanation rejected = explainer.explain(
                        RouteExplainer.Query.of(TaskType.CODE_REVIEW).costCenter(cc));
                assertThat(rejected.decision().getAction()).isEqualTo(RoutingAction.REJECT);
                assertThat(rejected.costCenterBudget()).contains(cc).contains("EXHAUSTED");
                assertThat(rejected.render()).contains("REJECT").contains("onExhausted=REJECT");

                RouteExplainer.Explanation sovereign = explainer.explain(RouteExplainer.Query.of(TaskType.CODE_REVIEW)
                        .costCenter(cc)
                        .sovereign(true)
                        .latencyMs(50L));
                assertThat(sovereign.decision().getTier()).isEqualTo(Tier.LOCAL);
                assertThat(sovereign.decision().getRule()).isEqualTo("SOVEREIGNTY");
            } finally {
                publisher.sendTombstone(Topics.BUDGET_STATUS, cc).get(30, TimeUnit.SECONDS);
            }
        }
    }
}
