package io.tiergate.router.kafka;

import static io.tiergate.router.Fixtures.req;
import static io.tiergate.router.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.tiergate.platform.kafka.DeadLetters;
import io.tiergate.platform.kafka.EventPublisher;
import io.tiergate.router.Fixtures;
import io.tiergate.router.cli.CostCentersAdmin;
import io.tiergate.router.route.DecisionEvents;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.CircuitState;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.RoutingAction;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.testkit.TestBrokers;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The router service on the real broker: classified requests in, tier topics, audit, DLQs, live rules and budgets. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouterFlowIT implements TestPropertyProvider {

    static final String REGISTRY = "mock://router-it";

    @Inject
    EventPublisher publisher;

    @Inject
    RouterNode node;

    @Inject
    MeterRegistry meters;

    @Inject
    RegisteredCostCenters registeredCostCenters;

    private TopicProbe probe;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "kafka.bootstrap.servers",
                TestBrokers.shared().bootstrapServers(),
                "tiergate.schema-registry-url",
                REGISTRY,
                "micronaut.server.port",
                "-1",
                "tiergate.router.defer-min-hold",
                "100ms");
    }

    @BeforeEach
    void probe() {
        probe = new TopicProbe(
                TestBrokers.shared().bootstrapServers(),
                REGISTRY,
                List.of(
                        Topics.TIER_LOCAL,
                        Topics.TIER_CLOUD,
                        Topics.ROUTING_DECISIONS,
                        Topics.INFERENCE_DEFERRED,
                        Topics.INFERENCE_RESULTS),
                List.of(Topics.INFERENCE_CLASSIFIED.dlq(), Topics.ROUTING_RULES.dlq()));
    }

    @AfterEach
    void close() {
        probe.close();
    }

    private void send(ClassifiedRequest r) {
        join(publisher.send(Topics.INFERENCE_CLASSIFIED, r.getRequest().getRequestId(), r));
    }

    private static void join(CompletableFuture<?> f) {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<RoutingDecision> decisions(String id) {
        return probe.values(Topics.ROUTING_DECISIONS, d -> d.getRequestId().equals(id));
    }

    private RoutingDecision awaitDecision(String id) {
        await().atMost(Duration.ofSeconds(20)).until(() -> !decisions(id).isEmpty());
        return decisions(id).get(0);
    }

    /** docs/security.md, "Cost centers": once any is registered, an unknown one is charged to the default. */
    @Test
    void onceCostCentersAreRegisteredAnUnknownOneIsChargedToTheDefaultAndKeptAsAnAttribute() {
        String known = "cc-known-" + run;
        String unknown = "cc-unknown-" + run;
        String before = run + "-cc-before";
        send(req().id(before).costCenter(unknown).type(TaskType.CLASSIFICATION).build());
        assertThat(awaitDecision(before).getCostCenter())
                .as("nothing registered: every name stands")
                .isEqualTo(unknown);
        try (CostCentersAdmin admin = new CostCentersAdmin(TestBrokers.shared().bootstrapServers(), REGISTRY)) {
            admin.add(known, "router test", "router test: a registered cost center");
            try {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> registeredCostCenters
                                .current(Duration.ofSeconds(5))
                                .contains(known));
                String stranger = run + "-cc-stranger";
                String member = run + "-cc-member";
                send(req().id(stranger)
                        .costCenter(unknown)
                        .type(TaskType.CLASSIFICATION)
                        .build());
                send(req().id(member)
                        .costCenter(known)
                        .type(TaskType.CLASSIFICATION)
                        .build());
                assertThat(awaitDecision(stranger).getCostCenter()).isEqualTo("default");
                assertThat(awaitDecision(member).getCostCenter()).isEqualTo(known);
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> !probe.values(
                                        Topics.TIER_LOCAL,
                                        t -> t.getClassified()
                                                .getRequest()
                                                .getRequestId()
                                                .equals(stranger))
                                .isEmpty());
                RoutedRequest routed = probe.values(
                                Topics.TIER_LOCAL,
                                t -> t.getClassified()
                                        .getRequest()
                                        .getRequestId()
                                        .equals(stranger))
                        .get(0);
                assertThat(routed.getClassified().getRequest().getCostCenter()).isEqualTo("default");
                assertThat(routed.getClassified().getRequest().getAttributes())
                        .containsEntry(ClassifiedIntakeListener.REQUESTED_COST_CENTER, unknown);
                assertThat(meters.counter("tiergate.router.cost-centers.unregistered", "action", "charged-default")
                                .count())
                        .isGreaterThanOrEqualTo(1.0);
            } finally {
                admin.remove(known, "router test: done");
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> registeredCostCenters
                                .current(Duration.ofSeconds(5))
                                .isEmpty());
            }
        }
    }

    @Test
    void everyClassifiedRequestLandsOnExactlyOneTierTopicWithOneAuditRecord() {
        List<String> ids = new ArrayList<>();
        List<CompletableFuture<?>> sends = new ArrayList<>();
        TaskType[] types = TaskType.values();
        for (int i = 0; i < 40; i++) {
            String id = run + "-flow-" + i;
            ids.add(id);
            ClassifiedRequest r = req().id(id)
                    .costCenter("flow-" + (i % 4))
                    .type(types[i % types.length])
                    .sovereign(i % 3 == 0)
                    .build();
            sends.add(publisher.send(Topics.INFERENCE_CLASSIFIED, id, r));
        }
        sends.forEach(RouterFlowIT::join);
        Predicate<TopicProbe.Seen> ours = s -> ids.contains(s.key());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> probe.on(Topics.ROUTING_DECISIONS.name(), ours).size() >= ids.size());
        // and nothing more arrives: exactly one tier record and one audit record per request
        await().during(Duration.ofMillis(700))
                .atMost(Duration.ofSeconds(5))
                .until(() -> probe.on(Topics.ROUTING_DECISIONS.name(), ours).size() == ids.size());
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            List<TopicProbe.Seen> local =
                    probe.on(Topics.TIER_LOCAL.name(), s -> s.key().equals(id));
            List<TopicProbe.Seen> cloud =
                    probe.on(Topics.TIER_CLOUD.name(), s -> s.key().equals(id));
            assertThat(local.size() + cloud.size()).as(id).isEqualTo(1);
            RoutedRequest routed =
                    (RoutedRequest) (local.isEmpty() ? cloud : local).get(0).value();
            assertThat(routed.getAttempt()).isEqualTo(1);
            assertThat(routed.getDecision().getRequestId()).isEqualTo(id);
            if (i % 3 == 0) {
                assertThat(cloud).as("sovereign " + id).isEmpty();
                assertThat(routed.getDecision().getRule()).isEqualTo("SOVEREIGNTY");
            }
            assertThat(decisions(id)).hasSize(1);
        }
        assertThat(probe.on(Topics.TIER_CLOUD.name(), ours)).isNotEmpty();
        assertThat(meters.find("tiergate.router.decisions").counters()).isNotEmpty();
        assertThat(meters.get("tiergate.router.sovereignty.blocked").counter().count())
                .isZero();
    }

    @Test
    void garbageOnTheClassifiedTopicIsDeadLetteredAndTheNextRecordIsRouted() {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBrokers.shared().bootstrapServers());
        try (KafkaProducer<byte[], byte[]> raw =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(
                    Topics.INFERENCE_CLASSIFIED.name(), (run + "-garbage").getBytes(), "not avro at all".getBytes()));
            raw.flush();
        }
        String next = run + "-after-garbage";
        send(req().id(next).build());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !probe.on(Topics.INFERENCE_CLASSIFIED.dlq(), s -> (run + "-garbage").equals(s.key()))
                        .isEmpty());
        TopicProbe.Seen letter = probe.on(Topics.INFERENCE_CLASSIFIED.dlq(), s -> (run + "-garbage").equals(s.key()))
                .get(0);
        assertThat(letter.headers())
                .containsKeys(DeadLetters.ERROR_CLASS, DeadLetters.ERROR_MESSAGE, DeadLetters.SOURCE_OFFSET);
        assertThat(letter.headers().get(DeadLetters.SOURCE_TOPIC)).isEqualTo(Topics.INFERENCE_CLASSIFIED.name());
        assertThat(awaitDecision(next).getAction()).isEqualTo(RoutingAction.ROUTE);
    }

    @Test
    void anInvalidRequestIsDeadLetteredWithItsReason() {
        String id = run + "-reserved-scope";
        send(req().id(id).costCenter(Topics.GLOBAL_SCOPE).build());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !probe.on(Topics.INFERENCE_CLASSIFIED.dlq(), s -> id.equals(s.key()))
                        .isEmpty());
        assertThat(probe.on(Topics.INFERENCE_CLASSIFIED.dlq(), s -> id.equals(s.key()))
                        .get(0)
                        .headers()
                        .get(DeadLetters.ERROR_MESSAGE))
                .contains("reserved for the global budget scope");
    }

    @Test
    void aRoutingRulesChangeTakesEffectWithoutRestart() {
        try {
            join(publisher.send(
                    Topics.ROUTING_RULES,
                    "SUMMARIZATION",
                    Fixtures.rule("SUMMARIZATION", Tier.CLOUD, Fixtures.HAIKU, List.of(), null)));
            RoutingDecision d = probeUntil(
                    i -> req().id(run + "-rules-" + i)
                            .type(TaskType.SUMMARIZATION)
                            .build(),
                    x -> x.getTier() == Tier.CLOUD);
            assertThat(d.getModel()).isEqualTo(Fixtures.HAIKU);

            // an invalid rule is dead-lettered with its reason; the last good rule stays in force
            join(publisher.send(
                    Topics.ROUTING_RULES,
                    "SUMMARIZATION",
                    Fixtures.rule("SUMMARIZATION", Tier.LOCAL, Fixtures.SONNET, List.of(), null)));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> !probe.on(Topics.ROUTING_RULES.dlq()).isEmpty());
            assertThat(probe.on(Topics.ROUTING_RULES.dlq()).get(0).headers().get(DeadLetters.ERROR_MESSAGE))
                    .contains("a LOCAL rule needs a LOCAL model");
            String after = run + "-rules-after-invalid";
            send(req().id(after).type(TaskType.SUMMARIZATION).build());
            assertThat(awaitDecision(after).getModel()).isEqualTo(Fixtures.HAIKU);

            // a tombstone restores the default
            join(publisher.sendTombstone(Topics.ROUTING_RULES, "SUMMARIZATION"));
            RoutingDecision restored = probeUntil(
                    i -> req().id(run + "-rules-reset-" + i)
                            .type(TaskType.SUMMARIZATION)
                            .build(),
                    x -> x.getTier() == Tier.LOCAL);
            assertThat(restored.getModel()).isEqualTo(Fixtures.QWEN);
        } finally {
            join(publisher.sendTombstone(Topics.ROUTING_RULES, "SUMMARIZATION"));
        }
    }

    @Test
    void budgetLevelsChangeRoutingWithinOneSecond() {
        String cc = run + "-levels";
        try {
            assertLevelApplies(
                    cc,
                    BudgetLevel.CONSERVE,
                    OnExhausted.DEGRADE_LOCAL,
                    "8.5",
                    TaskType.IMPLEMENTATION,
                    d -> d.getTier() == Tier.CLOUD && d.getModel().equals(Fixtures.DEEPSEEK));
            assertLevelApplies(
                    cc,
                    BudgetLevel.CRITICAL_ONLY,
                    OnExhausted.DEGRADE_LOCAL,
                    "9.6",
                    TaskType.IMPLEMENTATION,
                    d -> d.getTier() == Tier.LOCAL && d.getRule().equals("BUDGET"));
            assertLevelApplies(
                    cc,
                    BudgetLevel.EXHAUSTED,
                    OnExhausted.DEGRADE_LOCAL,
                    "10",
                    TaskType.CODE_REVIEW,
                    d -> d.getTier() == Tier.LOCAL && d.getBudgetLevel() == BudgetLevel.EXHAUSTED);
            assertLevelApplies(
                    cc,
                    BudgetLevel.NORMAL,
                    OnExhausted.DEGRADE_LOCAL,
                    "1",
                    TaskType.CODE_REVIEW,
                    d -> d.getTier() == Tier.CLOUD && d.getModel().equals(Fixtures.SONNET));
            // the level gauge of the scope and the reservation gauges are exported
            assertThat(meters.get("tiergate.router.budget.level")
                            .tag("scope", cc)
                            .gauge()
                            .value())
                    .isZero();
            assertThat(meters.get("tiergate.router.reservations.outstanding")
                            .gauge()
                            .value())
                    .isPositive();
            assertThat(meters.get("tiergate.router.reservations.outstanding.usd")
                            .gauge()
                            .value())
                    .isPositive();
            assertThat(meters.get("tiergate.router.decision.latency").timer().count())
                    .isPositive();
        } finally {
            join(publisher.sendTombstone(Topics.BUDGET_STATUS, cc));
        }
    }

    private void assertLevelApplies(
            String cc,
            BudgetLevel level,
            OnExhausted onExhausted,
            String spend,
            TaskType type,
            Predicate<RoutingDecision> expected) {
        join(publisher.send(Topics.BUDGET_STATUS, cc, status(cc, level, onExhausted, spend, "10")));
        Instant changed = Instant.now();
        RoutingDecision d = probeUntil(
                i -> req().id(cc + "-" + level + "-" + i)
                        .costCenter(cc)
                        .type(type)
                        .build(),
                expected);
        assertThat(d.getBudgetLevel()).isEqualTo(level);
        assertThat(Duration.between(changed, d.getDecidedAt()))
                .as("routing changed after " + level)
                .isLessThan(Duration.ofSeconds(1));
    }

    /** Sends a probe every 100 ms until one is decided as {@code expected}; returns that decision. */
    private RoutingDecision probeUntil(
            java.util.function.IntFunction<ClassifiedRequest> probeRequest, Predicate<RoutingDecision> expected) {
        List<String> sent = new ArrayList<>();
        RoutingDecision[] found = new RoutingDecision[1];
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    ClassifiedRequest r = probeRequest.apply(sent.size());
                    sent.add(r.getRequest().getRequestId());
                    publisher.send(Topics.INFERENCE_CLASSIFIED, r.getRequest().getRequestId(), r);
                    for (String id : sent) {
                        for (RoutingDecision d : decisions(id)) {
                            if (expected.test(d)) {
                                found[0] = d;
                                return true;
                            }
                        }
                    }
                    return false;
                });
        return found[0];
    }

    @Test
    void deferredRequestsAreReleasedWhenTheBudgetIsNoLongerExhausted() {
        String cc = run + "-defer";
        String id = run + "-deferred-1";
        try {
            join(publisher.send(
                    Topics.BUDGET_STATUS, cc, status(cc, BudgetLevel.EXHAUSTED, OnExhausted.DEFER, "10", "10")));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> node.budgets().reportedLevel(cc) == BudgetLevel.EXHAUSTED);
            send(req().id(id).costCenter(cc).type(TaskType.CODE_REVIEW).build());
            assertThat(awaitDecision(id).getAction()).isEqualTo(RoutingAction.DEFER);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !probe.on(
                                    Topics.INFERENCE_DEFERRED.name(),
                                    s -> s.key().equals(id))
                            .isEmpty());
            // still exhausted: it stays held, nothing reaches a tier
            await().during(Duration.ofMillis(600))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> probe.on(Topics.TIER_CLOUD.name(), s -> s.key().equals(id))
                                    .isEmpty()
                            && decisions(id).size() == 1);

            join(publisher.send(
                    Topics.BUDGET_STATUS, cc, status(cc, BudgetLevel.NORMAL, OnExhausted.DEFER, "0", "10")));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> !probe.on(
                                    Topics.TIER_CLOUD.name(), s -> s.key().equals(id))
                            .isEmpty());
            List<RoutingDecision> all = decisions(id);
            assertThat(all)
                    .extracting(RoutingDecision::getAction)
                    .containsExactly(RoutingAction.DEFER, RoutingAction.ROUTE);
            assertThat(all.get(1).getModel()).isEqualTo(Fixtures.SONNET);
        } finally {
            join(publisher.sendTombstone(Topics.BUDGET_STATUS, cc));
        }
    }

    @Test
    void aRejectedRequestGetsAResultWithAClearError() {
        String cc = run + "-reject";
        String id = run + "-rejected-1";
        try {
            join(publisher.send(
                    Topics.BUDGET_STATUS, cc, status(cc, BudgetLevel.EXHAUSTED, OnExhausted.REJECT, "10", "10")));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> node.budgets().reportedLevel(cc) == BudgetLevel.EXHAUSTED);
            send(req().id(id).costCenter(cc).type(TaskType.ARCHITECTURE).build());
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> !probe.values(
                                    Topics.INFERENCE_RESULTS,
                                    r -> r.getRequestId().equals(id))
                            .isEmpty());
            InferenceResult result = probe.values(
                            Topics.INFERENCE_RESULTS, r -> r.getRequestId().equals(id))
                    .get(0);
            assertThat(result.getStatus()).isEqualTo(ResultStatus.REJECTED);
            assertThat(result.getTier()).isEqualTo(Tier.NONE);
            assertThat(result.getErrorCode()).isEqualTo(DecisionEvents.BUDGET_EXHAUSTED);
            assertThat(result.getErrorMessage()).contains(cc);
            assertThat(decisions(id)).extracting(RoutingDecision::getAction).containsExactly(RoutingAction.REJECT);
            assertThat(probe.on(Topics.TIER_CLOUD.name(), s -> s.key().equals(id)))
                    .isEmpty();
            assertThat(probe.on(Topics.TIER_LOCAL.name(), s -> s.key().equals(id)))
                    .isEmpty();
        } finally {
            join(publisher.sendTombstone(Topics.BUDGET_STATUS, cc));
        }
    }

    @Test
    void anOverloadedLocalWorkerOverflowsToCloudButNeverSovereignWork() {
        String worker = run + "-local-worker";
        try {
            join(publisher.send(
                    Topics.WORKER_HEALTH,
                    worker,
                    Fixtures.health(worker, Tier.LOCAL, 8, 8, CircuitState.CLOSED, Instant.now())));
            RoutingDecision d = probeUntil(
                    i -> req().id(run + "-overflow-" + i)
                            .type(TaskType.CONVERSATION)
                            .build(),
                    x -> x.getTier() == Tier.CLOUD);
            assertThat(d.getRule()).isEqualTo("CAPACITY");
            String sovereign = run + "-overflow-sovereign";
            send(req().id(sovereign).type(TaskType.CONVERSATION).sovereign(true).build());
            assertThat(awaitDecision(sovereign).getTier()).isEqualTo(Tier.LOCAL);
        } finally {
            join(publisher.sendTombstone(Topics.WORKER_HEALTH, worker));
        }
    }
}
