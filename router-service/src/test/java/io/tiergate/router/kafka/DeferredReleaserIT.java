package io.tiergate.router.kafka;

import static io.tiergate.router.Fixtures.req;
import static io.tiergate.router.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tiergate.platform.kafka.DeadLetters;
import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.EventPublisher;
import io.tiergate.platform.kafka.InboundRecords;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.RequestAnswers;
import io.tiergate.router.Fixtures;
import io.tiergate.router.config.RouterConfiguration;
import io.tiergate.router.route.DecisionEvents;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.topics.TopicProvisioner;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.testkit.KafkaBroker;
import io.tiergate.testkit.TestBrokers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Deferral on a real broker (docs/budgets.md, "Deferral"): thousands of deferred requests held as
 * offsets across a router restart, then every one of them released (its budget raised) or rejected
 * with a reason (its maximum age passed, or the byte bound refused it) — exactly one outcome each.
 * A broker of its own: this test puts tens of thousands of records on the router's topics, which
 * the other router tests' deciders (default groups, from the earliest record) would otherwise decide.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeferredReleaserIT {

    /** Deferred requests in the restart test; {@code -Dtiergate.it.deferrals=100000} for the full acceptance run. */
    private static final int N = Integer.getInteger("tiergate.it.deferrals", 10_000);

    private static final Duration MAX_AGE = Duration.ofHours(1);

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final SkewedClock clock = new SkewedClock();
    private KafkaBroker broker;
    private KafkaClientSettings client;
    private EventPublisher publisher;
    private TopicProbe probe;

    /** The system clock, moved forward by the test (the maximum age passes without waiting for it). */
    static final class SkewedClock extends Clock {
        final AtomicLong skewMs = new AtomicLong();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public long millis() {
            return System.currentTimeMillis() + skewMs.get();
        }
    }

    @BeforeAll
    void broker() {
        broker = TestBrokers.startNew();
        client = new KafkaClientSettings(broker.bootstrapServers(), "mock://deferral-it-" + run, "deferral-it");
        try (Admin admin = Admin.create(client.base())) {
            new TopicProvisioner(admin, t -> 3, (short) 1).ensureAll();
        }
        publisher = new EventPublisher(client);
        probe = new TopicProbe(
                broker.bootstrapServers(),
                client.schemaRegistryUrl(),
                List.of(Topics.TIER_CLOUD, Topics.TIER_LOCAL, Topics.INFERENCE_RESULTS),
                List.of(Topics.INFERENCE_DEFERRED.dlq(), Topics.ROUTING_BY_COST_CENTER.dlq()));
    }

    @AfterAll
    void stop() {
        probe.close();
        publisher.close();
        TestBrokersCloser.close(broker);
    }

    /** Closes a broker of its own without waiting forever (as the shared one is closed). */
    static final class TestBrokersCloser {
        static void close(KafkaBroker broker) {
            Thread t = new Thread(() -> {
                try {
                    broker.close();
                } catch (Exception e) {
                    // temporary data; nothing to keep
                }
            });
            t.setDaemon(true);
            t.start();
            try {
                t.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private RouterConfiguration config(long maxBytes) {
        RouterConfiguration d = RouterConfiguration.DEFAULTS;
        return new RouterConfiguration(
                d.deciderGroupId(),
                d.deferredGroupId(),
                d.reservationTimeout(),
                Duration.ofMinutes(10), // statuses are published once here: not stale during the test
                d.staleBudgetLevel(),
                d.healthStaleness(),
                d.localAverageService(),
                Duration.ofMillis(100),
                Duration.ofSeconds(1),
                MAX_AGE,
                maxBytes,
                d.defaultConserveThreshold(),
                d.defaultCriticalThreshold(),
                d.pollTimeout(),
                d.maxPollRecords(),
                d.startupTimeout(),
                null,
                d.maxOutputTokens(),
                d.costCeilingFactor(),
                d.dedupeWindow(),
                d.dedupeMaxIds());
    }

    private record Node(RouterNode node, MeterRegistry meters, DeadLetters deadLetters) implements AutoCloseable {
        double held() {
            return meters.get("tiergate.router.deferred.held").gauge().value();
        }

        double heldBytes() {
            return meters.get("tiergate.router.deferred.held.bytes").gauge().value();
        }

        double counter(String name, String... tags) {
            return meters.get(name).tags(tags).counter().count();
        }

        @Override
        public void close() {
            node.close();
            deadLetters.close();
        }
    }

    private Node start(long maxBytes) {
        MeterRegistry meters = new SimpleMeterRegistry();
        DeadLetters deadLetters = new DeadLetters(client, meters);
        RouterNode node = new RouterNode(
                config(maxBytes),
                client,
                Fixtures.CATALOG,
                Fixtures.DEFAULTS,
                publisher,
                new EventDecoder(client),
                new InboundRecords(new EventDecoder(client), deadLetters, new RequestAnswers(publisher, client)),
                meters,
                clock);
        node.start();
        return new Node(node, meters, deadLetters);
    }

    private void budget(String cc, BudgetLevel level, String spend, String limit) {
        join(publisher.send(Topics.BUDGET_STATUS, cc, status(cc, level, OnExhausted.DEFER, spend, limit)));
    }

    private static void join(CompletableFuture<?> f) {
        try {
            f.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Sends CODE_REVIEW requests (cloud by the table) to the deciders, as the router's intake does. */
    private List<String> send(String prefix, int count, String... costCenters) {
        List<String> ids = new ArrayList<>(count);
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = prefix + "-" + i;
            String cc = costCenters[i % costCenters.length];
            ids.add(id);
            sends.add(publisher.send(
                    Topics.ROUTING_BY_COST_CENTER,
                    cc,
                    req().id(id).costCenter(cc).type(TaskType.CODE_REVIEW).build()));
            if (sends.size() == 1000) {
                sends.forEach(DeferredReleaserIT::join);
                sends.clear();
            }
        }
        sends.forEach(DeferredReleaserIT::join);
        return ids;
    }

    /** Every outcome seen per request id: "CLOUD", "LOCAL" or the REJECTED result's error code. */
    private Map<String, List<String>> outcomes(Set<String> ids) {
        Map<String, List<String>> outcomes = new HashMap<>();
        for (TopicProbe.Seen s : probe.all()) {
            if (s.key() == null || !ids.contains(s.key())) {
                continue;
            }
            String outcome;
            if (s.topic().equals(Topics.TIER_CLOUD.name())) {
                outcome = "CLOUD";
            } else if (s.topic().equals(Topics.TIER_LOCAL.name())) {
                outcome = "LOCAL";
            } else if (s.topic().equals(Topics.INFERENCE_RESULTS.name())) {
                outcome = ((InferenceResult) s.value()).getErrorCode();
            } else {
                continue;
            }
            outcomes.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(outcome);
        }
        return outcomes;
    }

    private long countOutcomes(Set<String> ids) {
        return outcomes(ids).values().stream().mapToLong(List::size).sum();
    }

    private List<InferenceResult> results(Set<String> ids) {
        return probe.values(Topics.INFERENCE_RESULTS, r -> ids.contains(r.getRequestId()));
    }

    private Set<String> everyThird(List<String> ids, int from) {
        Set<String> some = new HashSet<>();
        for (int i = from; i < ids.size(); i += 3) {
            some.add(ids.get(i));
        }
        return some;
    }

    /**
     * Three cost centers, all EXHAUSTED with DEFER: "early" is raised before the restart, "late" after
     * it, "stuck" never (its deferrals pass the maximum age). The restart must neither lose a deferral
     * nor release an early one again.
     */
    @Test
    void everyDeferralIsReleasedOrRejectedWithAReasonAcrossARestart() throws Exception {
        String early = run + "-early";
        String late = run + "-late";
        String stuck = run + "-stuck";
        for (String cc : List.of(early, late, stuck)) {
            budget(cc, BudgetLevel.EXHAUSTED, "10", "10");
        }
        List<String> ids;
        Set<String> earlyIds;
        try (Node first = start(RouterConfiguration.DEFAULTS.deferMaxBytes())) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> List.of(early, late, stuck).stream()
                            .allMatch(cc -> first.node().budgets().reportedLevel(cc) == BudgetLevel.EXHAUSTED));
            ids = send(run + "-r", N, early, late, stuck);
            await().atMost(Duration.ofSeconds(240)).until(() -> first.held() == N);
            assertThat(first.heldBytes()).isPositive();
            assertThat(countOutcomes(Set.copyOf(ids)))
                    .as("nothing released or rejected while the budgets are exhausted")
                    .isZero();

            earlyIds = everyThird(ids, 0);
            budget(early, BudgetLevel.NORMAL, "0", "1000000");
            await().atMost(Duration.ofSeconds(300))
                    .until(() -> outcomes(earlyIds).size() == earlyIds.size());
            await().atMost(Duration.ofSeconds(30)).until(() -> first.held() == N - earlyIds.size());
        }
        Set<String> all = Set.copyOf(ids);

        // the retention of inference.deferred covers a budget period (a month) + the maximum age
        try (Admin admin = Admin.create(client.base())) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.INFERENCE_DEFERRED.name());
            String retention = admin.describeConfigs(List.of(topic))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(topic)
                    .get(TopicConfig.RETENTION_MS_CONFIG)
                    .value();
            assertThat(Long.parseLong(retention))
                    .isEqualTo(Duration.ofDays(31).plus(MAX_AGE).toMillis());
        }

        try (Node second = start(RouterConfiguration.DEFAULTS.deferMaxBytes())) {
            // the restarted releaser rebuilt its index from the topic: what was held, and nothing released
            await().atMost(Duration.ofSeconds(240)).until(() -> second.held() == N - earlyIds.size());
            await().during(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> second.held() == N - earlyIds.size());

            Set<String> lateIds = everyThird(ids, 1);
            budget(late, BudgetLevel.NORMAL, "0", "1000000");
            await().atMost(Duration.ofSeconds(300))
                    .until(() -> outcomes(lateIds).size() == lateIds.size());
            await().atMost(Duration.ofSeconds(30)).until(() -> second.held() == N - earlyIds.size() - lateIds.size());

            clock.skewMs.set(MAX_AGE.toMillis());
            await().atMost(Duration.ofSeconds(300)).until(() -> outcomes(all).size() == N);
            await().atMost(Duration.ofSeconds(30)).until(() -> second.held() == 0);
            // and nothing more arrives
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> countOutcomes(all) == N);

            Map<String, List<String>> outcomes = outcomes(all);
            for (int i = 0; i < N; i++) {
                String expected = i % 3 == 2 ? DecisionEvents.DEFERRAL_EXPIRED : "CLOUD";
                assertThat(outcomes.get(ids.get(i))).as(ids.get(i)).containsExactly(expected);
            }
            InferenceResult rejected = results(all).get(0);
            assertThat(rejected.getStatus()).isEqualTo(ResultStatus.REJECTED);
            assertThat(rejected.getCostCenter()).isEqualTo(stuck);
            assertThat(rejected.getErrorMessage())
                    .contains("tiergate.router.defer-max-age (1h)")
                    .contains("'" + stuck + "'");
            assertThat(second.counter("tiergate.router.deferred.released")).isEqualTo(lateIds.size());
            assertThat(second.counter("tiergate.router.deferred.rejected", "reason", "expired"))
                    .isEqualTo(N - earlyIds.size() - lateIds.size());
            assertThat(second.counter("tiergate.router.deferred.lost")).isZero();
            assertThat(probe.on(Topics.INFERENCE_DEFERRED.dlq())).isEmpty();
        } finally {
            clock.skewMs.set(0);
            for (String cc : List.of(early, late, stuck)) {
                join(publisher.sendTombstone(Topics.BUDGET_STATUS, cc));
            }
        }
    }

    @Test
    void deferralsBeyondTheByteBoundAreRejectedWithAReasonAndTheRestReleased() {
        String cc = run + "-bounded";
        budget(cc, BudgetLevel.EXHAUSTED, "10", "10");
        long bound = 4_000;
        int count = 60;
        try (Node node = start(bound)) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> node.node().budgets().reportedLevel(cc) == BudgetLevel.EXHAUSTED);
            List<String> ids = send(cc + "-r", count, cc);
            Set<String> all = Set.copyOf(ids);
            // each request ends up either held or rejected at once
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> node.held() + results(all).size() == count);
            double held = node.held();
            assertThat(held).isPositive().isLessThan(count);
            assertThat(node.heldBytes()).isPositive().isLessThanOrEqualTo(bound);
            InferenceResult full = results(all).get(0);
            assertThat(full.getStatus()).isEqualTo(ResultStatus.REJECTED);
            assertThat(full.getErrorCode()).isEqualTo(DecisionEvents.DEFERRAL_BACKLOG_FULL);
            assertThat(full.getErrorMessage()).contains("tiergate.router.defer-max-bytes (4000)");

            budget(cc, BudgetLevel.NORMAL, "0", "1000000");
            await().atMost(Duration.ofSeconds(60)).until(() -> outcomes(all).size() == count);
            await().during(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> countOutcomes(all) == count);
            Map<String, List<String>> outcomes = outcomes(all);
            long released = outcomes.values().stream()
                    .filter(o -> o.equals(List.of("CLOUD")))
                    .count();
            long rejected = outcomes.values().stream()
                    .filter(o -> o.equals(List.of(DecisionEvents.DEFERRAL_BACKLOG_FULL)))
                    .count();
            assertThat(released).isEqualTo((long) held);
            assertThat(released + rejected).isEqualTo(count);
            assertThat(node.held()).isZero();
        } finally {
            join(publisher.sendTombstone(Topics.BUDGET_STATUS, cc));
        }
    }
}
