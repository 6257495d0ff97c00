package io.tiergate.router.kafka;

import static io.tiergate.router.Fixtures.req;
import static io.tiergate.router.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.tiergate.platform.kafka.EventPublisher;
import io.tiergate.router.Fixtures;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.testkit.TestBrokers;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two router instances (two Micronaut contexts in one consumer group) and a budget whose remaining
 * headroom is N × the estimated cost of one request: 20 × N concurrent cloud-eligible requests must
 * yield at most N cloud decisions — for a cost center's budget (decided by one partition owner)
 * and for the global budget (shared by both instances through per-partition shares).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoRouterBurstIT {

    private static final Logger LOG = LoggerFactory.getLogger(TwoRouterBurstIT.class);
    private static final int N = 6;
    private static final int TOKENS = 1000;

    private ApplicationContext first;
    private ApplicationContext second;
    private EventPublisher publisher;
    private TopicProbe probe;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    void startTwoRouters() {
        Map<String, Object> props = Map.of(
                "kafka.bootstrap.servers",
                TestBrokers.shared().bootstrapServers(),
                "tiergate.schema-registry-url",
                RouterFlowIT.REGISTRY,
                "micronaut.server.port",
                "-1");
        first = ApplicationContext.run(props);
        second = ApplicationContext.run(props);
        RouterNode a = first.getBean(RouterNode.class);
        RouterNode b = second.getBean(RouterNode.class);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !a.ownedPartitions().isEmpty()
                        && !b.ownedPartitions().isEmpty()
                        && a.ownedPartitions().size() + b.ownedPartitions().size() == 3);
        LOG.info("Router A decides partitions {}, router B {}", a.ownedPartitions(), b.ownedPartitions());
        publisher = first.getBean(EventPublisher.class);
        probe = new TopicProbe(
                TestBrokers.shared().bootstrapServers(),
                RouterFlowIT.REGISTRY,
                List.of(Topics.ROUTING_DECISIONS),
                List.of());
    }

    // last: it stops the instance that owns the cost center's partition
    @Test
    @Order(3)
    void theNextOwnerOfAPartitionRebuildsItsReservationsFromTheAuditLog() {
        String cc = run + "-handover";
        try {
            BigDecimal limit = estimateOfOne().multiply(BigDecimal.valueOf(N));
            join(publisher.send(
                    Topics.BUDGET_STATUS,
                    cc,
                    status(cc, BudgetLevel.NORMAL, OnExhausted.DEGRADE_LOCAL, "0", limit.toPlainString())));
            await().atMost(Duration.ofSeconds(5))
                    .until(() ->
                            first.getBean(RouterNode.class).budgets().status(cc).isPresent()
                                    && second.getBean(RouterNode.class)
                                            .budgets()
                                            .status(cc)
                                            .isPresent());
            List<RoutingDecision> before = burst(run + "-handover-a", i -> cc);
            assertThat(before.stream().filter(d -> d.getTier() == Tier.CLOUD).count())
                    .isEqualTo(N);

            int partition = CostCenterPartitioning.partitionFor(cc, 3);
            boolean firstOwns =
                    first.getBean(RouterNode.class).ownedPartitions().contains(partition);
            ApplicationContext owner = firstOwns ? first : second;
            ApplicationContext survivor = firstOwns ? second : first;
            publisher = survivor.getBean(EventPublisher.class);
            owner.close();
            if (firstOwns) {
                first = null;
            } else {
                second = null;
            }
            RouterNode next = survivor.getBean(RouterNode.class);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> next.ownedPartitions().size() == 3);
            // the N reservations made by the stopped instance are in force on the survivor: no headroom left
            List<RoutingDecision> after = burst(run + "-handover-b", i -> cc);
            long cloudAfter =
                    after.stream().filter(d -> d.getTier() == Tier.CLOUD).count();
            LOG.info(
                    "Handover: {} cloud decisions before the owner stopped, {} after (headroom for {})",
                    N,
                    cloudAfter,
                    N);
            assertThat(cloudAfter).isZero();
            assertThat(after).allSatisfy(d -> assertThat(d.getBudgetLevel()).isEqualTo(BudgetLevel.EXHAUSTED));
        } finally {
            join(publisher.sendTombstone(Topics.BUDGET_STATUS, cc));
        }
    }

    @AfterAll
    void stop() {
        if (probe != null) {
            probe.close();
        }
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    private static BigDecimal estimateOfOne() {
        return Fixtures.CATALOG.estimate(Fixtures.PRICES.require(Fixtures.SONNET), TaskType.CODE_REVIEW, TOKENS);
    }

    private static void join(CompletableFuture<?> f) {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Fires {@code 20 × N} CODE_REVIEW requests at once; returns the decisions once all are audited. */
    private List<RoutingDecision> burst(String prefix, java.util.function.IntFunction<String> costCenter) {
        Set<String> ids = new HashSet<>();
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (int i = 0; i < 20 * N; i++) {
            String id = prefix + "-" + i;
            ids.add(id);
            ClassifiedRequest r = req().id(id)
                    .costCenter(costCenter.apply(i))
                    .type(TaskType.CODE_REVIEW)
                    .tokens(TOKENS)
                    .build();
            sends.add(publisher.send(Topics.INFERENCE_CLASSIFIED, id, r));
        }
        sends.forEach(TwoRouterBurstIT::join);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> probe.values(Topics.ROUTING_DECISIONS, d -> ids.contains(d.getRequestId()))
                                .size()
                        >= ids.size());
        return probe.values(Topics.ROUTING_DECISIONS, d -> ids.contains(d.getRequestId()));
    }

    private double decisionsOf(ApplicationContext ctx) {
        return ctx.getBean(MeterRegistry.class).find("tiergate.router.decisions").counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    // second: its open reservations (in flight, no cost events in this test) also hold global headroom
    @Test
    @Order(2)
    void aCostCentersHeadroomOfNRequestsYieldsAtMostNCloudDecisions() {
        String cc = run + "-burst-cc";
        try {
            BigDecimal limit = estimateOfOne().multiply(BigDecimal.valueOf(N));
            join(publisher.send(
                    Topics.BUDGET_STATUS,
                    cc,
                    status(cc, BudgetLevel.NORMAL, OnExhausted.DEGRADE_LOCAL, "0", limit.toPlainString())));
            await().atMost(Duration.ofSeconds(5))
                    .until(() ->
                            first.getBean(RouterNode.class).budgets().status(cc).isPresent()
                                    && second.getBean(RouterNode.class)
                                            .budgets()
                                            .status(cc)
                                            .isPresent());
            List<RoutingDecision> decisions = burst(run + "-cc", i -> cc);
            long cloud =
                    decisions.stream().filter(d -> d.getTier() == Tier.CLOUD).count();
            LOG.info("Cost-center burst: {} requests, {} cloud decisions, headroom for {}", decisions.size(), cloud, N);
            assertThat(decisions).hasSize(20 * N);
            assertThat(cloud).isLessThanOrEqualTo(N).isPositive();
            BigDecimal reserved = decisions.stream()
                    .filter(d -> d.getTier() == Tier.CLOUD)
                    .map(RoutingDecision::getEstimatedCostUsd)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(reserved).isLessThanOrEqualTo(limit);
        } finally {
            join(publisher.sendTombstone(Topics.BUDGET_STATUS, cc));
        }
    }

    @Test
    @Order(1)
    void aGlobalHeadroomOfNRequestsYieldsAtMostNCloudDecisionsAcrossBothInstances() {
        double beforeA = decisionsOf(first);
        double beforeB = decisionsOf(second);
        try {
            BigDecimal limit = estimateOfOne().multiply(BigDecimal.valueOf(N));
            join(publisher.send(
                    Topics.BUDGET_STATUS,
                    Topics.GLOBAL_SCOPE,
                    status(
                            Topics.GLOBAL_SCOPE,
                            BudgetLevel.NORMAL,
                            OnExhausted.DEGRADE_LOCAL,
                            "0",
                            limit.toPlainString())));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> first.getBean(RouterNode.class)
                                    .budgets()
                                    .status(Topics.GLOBAL_SCOPE)
                                    .isPresent()
                            && second.getBean(RouterNode.class)
                                    .budgets()
                                    .status(Topics.GLOBAL_SCOPE)
                                    .isPresent());
            // many cost centers, so every partition (and so both instances) decides some of the burst
            List<RoutingDecision> decisions = burst(run + "-global", i -> run + "-team-" + (i % 24));
            long cloud =
                    decisions.stream().filter(d -> d.getTier() == Tier.CLOUD).count();
            double byA = decisionsOf(first) - beforeA;
            double byB = decisionsOf(second) - beforeB;
            LOG.info(
                    "Global burst: {} requests ({} decided by A, {} by B), {} cloud decisions, headroom for {}",
                    decisions.size(),
                    byA,
                    byB,
                    cloud,
                    N);
            assertThat(byA).isPositive();
            assertThat(byB).isPositive();
            assertThat(cloud).isLessThanOrEqualTo(N).isPositive();
        } finally {
            join(publisher.sendTombstone(Topics.BUDGET_STATUS, Topics.GLOBAL_SCOPE));
        }
    }
}
