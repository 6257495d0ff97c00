package io.tiergate.router.kafka;

import static io.tiergate.router.Fixtures.req;
import static io.tiergate.router.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.tiergate.platform.kafka.EventPublisher;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.testkit.TestBrokers;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A ledger that stops publishing (process stopped): once its last status is older than
 * {@code tiergate.router.budget-staleness}, the router admits cloud work only for the CRITICAL_ONLY
 * types; when statuses come back, NORMAL routing resumes (docs/budgets.md, "Failing closed"). The
 * ledger is played by this test: it publishes the budget's status every 300 ms, as the ledger's
 * heartbeat does, and then stops.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StalledLedgerIT implements TestPropertyProvider {

    static final String REGISTRY = "mock://router-stalled-ledger-it";
    static final Duration BOUND = Duration.ofSeconds(3);
    static final Set<TaskType> CRITICAL = EnumSet.of(TaskType.CODE_REVIEW, TaskType.DEBUGGING, TaskType.ARCHITECTURE);

    @Inject
    EventPublisher publisher;

    private TopicProbe probe;
    private final String cc = "stalled-" + UUID.randomUUID().toString().substring(0, 8);
    private ScheduledExecutorService ledger;
    private volatile Instant lastHeartbeat;

    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "kafka.bootstrap.servers",
                TestBrokers.shared().bootstrapServers(),
                "tiergate.schema-registry-url",
                REGISTRY,
                "micronaut.server.port",
                "-1",
                "tiergate.router.budget-staleness",
                "3s");
    }

    @BeforeEach
    void probe() {
        ledger = Executors.newSingleThreadScheduledExecutor();
        probe = new TopicProbe(
                TestBrokers.shared().bootstrapServers(), REGISTRY, List.of(Topics.ROUTING_DECISIONS), List.of());
    }

    @AfterEach
    void close() throws Exception {
        ledger.shutdownNow();
        publisher.sendTombstone(Topics.BUDGET_STATUS, cc).get(30, TimeUnit.SECONDS);
        probe.close();
    }

    private void heartbeat() {
        BudgetStatus s = status(cc, BudgetLevel.NORMAL, OnExhausted.DEGRADE_LOCAL, "0", "10");
        try {
            publisher.send(Topics.BUDGET_STATUS, cc, s).get(10, TimeUnit.SECONDS);
            lastHeartbeat = s.getUpdatedAt();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private ClassifiedRequest request(String id, TaskType type) {
        return req().id(id).costCenter(cc).type(type).build();
    }

    private RoutingDecision decide(ClassifiedRequest r) {
        String id = r.getRequest().getRequestId();
        publisher.send(Topics.INFERENCE_CLASSIFIED, id, r);
        await().atMost(Duration.ofSeconds(20)).until(() -> !decisions(id).isEmpty());
        return decisions(id).get(0);
    }

    private List<RoutingDecision> decisions(String id) {
        return probe.values(Topics.ROUTING_DECISIONS, d -> d.getRequestId().equals(id));
    }

    @Test
    void aStalledLedgerLimitsCloudToTheCriticalOnlyTypesAfterTheBound() throws Exception {
        heartbeat();
        ledger.scheduleAtFixedRate(this::heartbeat, 300, 300, TimeUnit.MILLISECONDS);

        // while the ledger publishes, the budget is NORMAL: IMPLEMENTATION goes to the cloud
        RoutingDecision live = decide(request(cc + "-live", TaskType.IMPLEMENTATION));
        assertThat(live.getTier()).isEqualTo(Tier.CLOUD);
        assertThat(live.getBudgetLevel()).isEqualTo(BudgetLevel.NORMAL);

        // the ledger stops
        ledger.shutdownNow();
        assertThat(ledger.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        Instant stalledAt = lastHeartbeat;

        // a probe every 200 ms until IMPLEMENTATION is kept local: that happens only after the bound
        List<String> probes = new ArrayList<>();
        RoutingDecision[] limited = new RoutingDecision[1];
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    String id = cc + "-probe-" + probes.size();
                    probes.add(id);
                    publisher.send(Topics.INFERENCE_CLASSIFIED, id, request(id, TaskType.IMPLEMENTATION));
                    for (String p : probes) {
                        for (RoutingDecision d : decisions(p)) {
                            if (d.getTier() == Tier.LOCAL) {
                                limited[0] = d;
                                return true;
                            }
                        }
                    }
                    return false;
                });
        assertThat(limited[0].getBudgetLevel()).isEqualTo(BudgetLevel.CRITICAL_ONLY);
        assertThat(limited[0].getRule()).isEqualTo("BUDGET");
        assertThat(limited[0].getRationale()).contains("stale");
        assertThat(limited[0].getDecidedAt())
                .as("limited only once the last status is older than the bound")
                .isAfter(stalledAt.plus(BOUND));

        // after the bound: every task type, twice; cloud only for the CRITICAL_ONLY types
        List<ClassifiedRequest> batch = new ArrayList<>();
        for (TaskType type : TaskType.values()) {
            if (type != TaskType.UNKNOWN) {
                for (int i = 0; i < 2; i++) {
                    batch.add(request(cc + "-after-" + type + "-" + i, type));
                }
            }
        }
        batch.forEach(
                r -> publisher.send(Topics.INFERENCE_CLASSIFIED, r.getRequest().getRequestId(), r));
        for (ClassifiedRequest r : batch) {
            String id = r.getRequest().getRequestId();
            await().atMost(Duration.ofSeconds(20)).until(() -> !decisions(id).isEmpty());
            RoutingDecision d = decisions(id).get(0);
            assertThat(d.getBudgetLevel()).as(id).isEqualTo(BudgetLevel.CRITICAL_ONLY);
            if (!CRITICAL.contains(d.getTaskType())) {
                assertThat(d.getTier()).as(id + " is not a CRITICAL_ONLY type").isEqualTo(Tier.LOCAL);
                assertThat(d.getFallbackModels())
                        .as(id + " may not escalate to cloud")
                        .isEmpty();
            }
            if (d.getTaskType() == TaskType.CODE_REVIEW) {
                assertThat(d.getTier()).as(id + " is a CRITICAL_ONLY type").isEqualTo(Tier.CLOUD);
            }
        }

        // the ledger is back: NORMAL again
        heartbeat();
        RoutingDecision back = decide(request(cc + "-back", TaskType.IMPLEMENTATION));
        assertThat(back.getTier()).isEqualTo(Tier.CLOUD);
        assertThat(back.getBudgetLevel()).isEqualTo(BudgetLevel.NORMAL);
    }
}
