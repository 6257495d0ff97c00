package io.tiergate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.ledger.LedgerSettings;
import io.tiergate.ledger.kafka.LedgerTopology;
import io.tiergate.ledger.metrics.LedgerMetrics;
import io.tiergate.platform.audit.OpsAuditLog;
import io.tiergate.platform.kafka.EventPublisher;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.router.cli.CalibrationReport;
import io.tiergate.router.cli.RouteExplainer;
import io.tiergate.router.cli.RulesAdmin;
import io.tiergate.router.policy.RoutingTable;
import io.tiergate.schemas.cost.CostCalculator;
import io.tiergate.schemas.cost.PriceTable;
import io.tiergate.schemas.cost.TokenUsage;
import io.tiergate.schemas.events.CalibrationJudge;
import io.tiergate.schemas.events.CalibrationSample;
import io.tiergate.schemas.events.CostBreakdown;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.CostReason;
import io.tiergate.schemas.events.CostSource;
import io.tiergate.schemas.events.OpsAction;
import io.tiergate.schemas.events.OpsAuditEvent;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.serde.SerdeConfig;
import io.tiergate.schemas.topics.TopicProvisioner;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.testkit.KafkaBroker;
import io.tiergate.testkit.TestBrokers;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The calibration loop from the samples on: shadow samples → the ledger's topology →
 * routing.calibration → {@code ./tiergate rules recommend} → with {@code --apply}, an audited rule
 * the routers follow. A broker of its own (the recommendation reads the whole table and all the
 * traffic of the look-back, so other tests' rules and costs must not leak in).
 */
class RulesRecommendIT {

    private static final String REGISTRY = "mock://rules-recommend-it";
    private static final String LOCAL = "qwen3:8b";
    private static final String DEEPSEEK = "deepseek/deepseek-chat";
    private static KafkaBroker broker;
    private static KafkaStreams ledger;
    private static String bootstrap;

    @BeforeAll
    static void brokerAndLedger() {
        broker = TestBrokers.startNew();
        bootstrap = broker.bootstrapServers();
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            new TopicProvisioner(admin, topic -> 3, (short) 1).ensureAll();
        }
        StreamsBuilder builder = new StreamsBuilder();
        new LedgerTopology(
                        LedgerSettings.defaults(),
                        Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, REGISTRY),
                        LedgerMetrics.none())
                .build(builder);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "recommend-it-" + UUID.randomUUID());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(
                StreamsConfig.STATE_DIR_CONFIG,
                Path.of("target", "recommend-it-state", UUID.randomUUID().toString())
                        .toString());
        ledger = new KafkaStreams(builder.build(), props);
        ledger.start();
    }

    @AfterAll
    static void stop() {
        if (ledger != null) {
            ledger.close(Duration.ofSeconds(10));
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static String[] cluster(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap", bootstrap, "--registry-url", REGISTRY));
        return all.toArray(String[]::new);
    }

    @Test
    void extractionWrongOnThirtyPercentIsTheOnlyProposalAndApplyRoutesItToTheCloud() throws Exception {
        KafkaClientSettings client = new KafkaClientSettings(bootstrap, REGISTRY, "recommend-it");
        Instant now = Instant.now();
        List<TaskType> localTypes =
                List.of(TaskType.CLASSIFICATION, TaskType.EXTRACTION, TaskType.SUMMARIZATION, TaskType.CONVERSATION);
        BigDecimal extractionLocalUsd = Money.ZERO;
        try (EventPublisher publisher = new EventPublisher(client)) {
            for (TaskType type : localTypes) {
                for (int i = 0; i < 60; i++) {
                    boolean agreed = type != TaskType.EXTRACTION || i % 10 >= 3; // EXTRACTION: 30% wrong
                    publisher.send(Topics.CALIBRATION_SAMPLES, type + "|" + LOCAL, sample(type, agreed, now));
                }
            }
            for (int i = 0; i < 40; i++) {
                CostEvent local = cost(TaskType.EXTRACTION, Tier.LOCAL, LOCAL, "0.000210000", 700, 150, now);
                extractionLocalUsd = extractionLocalUsd.add(local.getCostUsd());
                publisher.send(Topics.INFERENCE_COSTS, local.getRequestId(), local);
            }
            CostEvent cloud = cost(
                    TaskType.CODE_REVIEW, Tier.CLOUD, "anthropic/claude-sonnet-4.6", "0.020000000", 3000, 500, now);
            publisher.send(Topics.INFERENCE_COSTS, cloud.getRequestId(), cloud);
            publisher.flush();
        }
        // the ledger aggregates the samples into routing.calibration
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> assertThat(
                                CalibrationReport.read(client, Duration.ofDays(30), Duration.ofSeconds(30))
                                        .stats())
                        .hasSize(4)
                        .allSatisfy((key, stat) -> assertThat(stat.getSamples()).isEqualTo(60)));

        // without --apply: one proposal, nothing written
        String text = Cli.run(cluster("rules", "recommend")).succeeds().out();
        assertThat(text)
                .contains("PROPOSED (1)")
                .contains("EXTRACTION      LOCAL qwen3:8b -> CLOUD " + DEEPSEEK)
                .contains("samples 60, agreement 70.0% (95% CI 57.5%..80.1%), sample cost 0.009000000 USD")
                .contains("latest 24 h: 42 of 60 agreed (70.0%)")
                .contains("cost change per 30 days: +0.005760000 USD (40 attempts re-priced)")
                .contains("quality change: +30.0 pts agreement with the reference (95% CI +19.9 pts..+42.5 pts)")
                .containsPattern("SUMMARIZATION +KEEP +agreement 100.0% \\(95% CI 94.0%..100.0%\\) over 60 samples")
                .containsPattern("CODE_REVIEW +NO_SAMPLES")
                .contains("Nothing written");
        assertThat(extractionRule().source()).isEqualTo(RoutingTable.Source.DEFAULT);

        JsonNode json = new ObjectMapper()
                .readTree(Cli.run(cluster("rules", "recommend", "--json"))
                        .succeeds()
                        .out());
        List<JsonNode> proposals = new ArrayList<>();
        json.path("recommendations").forEach(r -> {
            if (r.has("proposed")) {
                proposals.add(r);
            }
        });
        assertThat(proposals).singleElement().satisfies(p -> {
            assertThat(p.path("taskType").asText()).isEqualTo("EXTRACTION");
            assertThat(p.path("decision").asText()).isEqualTo("UP");
            assertThat(p.path("attemptsMoved").asLong()).isEqualTo(40);
        });
        PriceTable prices = PriceTable.loadDefault();
        BigDecimal asCloud = new CostCalculator(prices)
                .cloud(prices.require(DEEPSEEK), TokenUsage.of(40 * 700, 40 * 150), Optional.empty())
                .totalUsd();
        assertThat(new BigDecimal(proposals.get(0).path("costChangeUsd").asText()))
                .isEqualByComparingTo(asCloud.subtract(extractionLocalUsd));

        // --apply needs a reason, and checks it before anything is read or written
        Cli.run(cluster("rules", "recommend", "--apply")).failsWith("--reason");
        assertThat(extractionRule().source()).isEqualTo(RoutingTable.Source.DEFAULT);

        Instant beforeApply = Instant.now().minusSeconds(1);
        String reason = "calibration: EXTRACTION agreement 70% over 60 samples";
        String applied = Cli.run(cluster("rules", "recommend", "--apply", "--reason", reason))
                .succeeds()
                .out();
        assertThat(applied).contains("applied: EXTRACTION -> CLOUD " + DEEPSEEK);

        RulesAdmin.Row row = extractionRule();
        assertThat(row.source()).isEqualTo(RoutingTable.Source.OVERRIDE);
        assertThat(row.rule().tier()).isEqualTo(Tier.CLOUD);
        assertThat(row.rule().model()).isEqualTo(DEEPSEEK);
        List<OpsAuditEvent> audit = new OpsAuditLog(client)
                .read(beforeApply, Duration.ofSeconds(30))
                .events();
        assertThat(audit).singleElement().satisfies(e -> {
            assertThat(e.getAction()).isEqualTo(OpsAction.SET);
            assertThat(e.getTopic()).isEqualTo(Topics.Names.ROUTING_RULES);
            assertThat(e.getKey()).isEqualTo("EXTRACTION");
            assertThat(e.getReason()).isEqualTo(reason);
        });
        // what a router now decides for an EXTRACTION request
        RouteExplainer.Explanation explained =
                new RouteExplainer(bootstrap, REGISTRY).explain(RouteExplainer.Query.of(TaskType.EXTRACTION));
        assertThat(explained.decision().getTier()).isEqualTo(Tier.CLOUD);
        assertThat(explained.decision().getModel()).isEqualTo(DEEPSEEK);

        // and the loop is stable: served in the cloud, EXTRACTION is not proposed again (nor down)
        assertThat(Cli.run(cluster("rules", "recommend")).succeeds().out()).contains("No changes proposed.");
    }

    private RulesAdmin.Row extractionRule() {
        try (RulesAdmin admin = new RulesAdmin(bootstrap, REGISTRY)) {
            return admin.show().stream()
                    .filter(r -> r.taskType() == TaskType.EXTRACTION)
                    .findFirst()
                    .orElseThrow();
        }
    }

    private static CalibrationSample sample(TaskType type, boolean agreed, Instant at) {
        return CalibrationSample.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setCostCenter("cc-it")
                .setTaskType(type)
                .setLocalModel(LOCAL)
                .setReferenceModel(DEEPSEEK)
                .setJudge(type == TaskType.EXTRACTION ? CalibrationJudge.FIELDS : CalibrationJudge.EMBEDDING)
                .setAgreement(agreed ? 0.95 : 0.3)
                .setAgreed(agreed)
                .setShadowCostUsd(Money.usd("0.000150000"))
                .setJudgeCostUsd(Money.ZERO)
                .setSimulated(true)
                .setOccurredAt(at)
                .build();
    }

    private static CostEvent cost(TaskType type, Tier tier, String model, String usd, long in, long out, Instant at) {
        return CostEvent.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setAttempt(0)
                .setCostCenter("cc-it")
                .setTaskType(type)
                .setTier(tier)
                .setModel(model)
                .setProvider(tier == Tier.LOCAL ? "ollama" : "openrouter")
                .setReason(CostReason.PRIMARY)
                .setInputTokens(in)
                .setOutputTokens(out)
                .setCostUsd(Money.usd(usd))
                .setBreakdown(CostBreakdown.newBuilder()
                        .setSource(tier == Tier.LOCAL ? CostSource.LOCAL_TCO : CostSource.PRICE_TABLE)
                        .setInputUsd(Money.ZERO)
                        .setOutputUsd(Money.ZERO)
                        .setCachedReadUsd(Money.ZERO)
                        .setCacheWriteUsd(Money.ZERO)
                        .setEnergyUsd(Money.ZERO)
                        .setDepreciationUsd(Money.ZERO)
                        .setMaintenanceUsd(Money.ZERO)
                        .build())
                .setOccurredAt(at)
                .build();
    }
}
