package io.tiergate.router.kafka;

import static io.tiergate.router.Fixtures.req;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.tiergate.platform.kafka.EventPublisher;
import io.tiergate.router.cli.CostCentersAdmin;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.testkit.TestBrokers;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * docs/security.md, "Cost centers" with {@code tiergate.router.cost-centers.unknown=reject}: a request
 * naming an unregistered cost center is answered REJECTED at once and never decided or routed.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnknownCostCenterRejectIT implements TestPropertyProvider {

    private static final String REGISTRY = "mock://router-cc-reject-it";
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Inject
    EventPublisher publisher;

    @Inject
    RegisteredCostCenters registered;

    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "kafka.bootstrap.servers",
                TestBrokers.shared().bootstrapServers(),
                "tiergate.schema-registry-url",
                REGISTRY,
                "micronaut.server.port",
                "-1",
                "tiergate.router.cost-centers.unknown",
                "reject",
                "tiergate.router.intake-group-id",
                "cc-reject-intake-" + run);
    }

    @Test
    void aRequestNamingAnUnregisteredCostCenterIsRejectedWithTheReasonAndNeverRouted() throws Exception {
        String known = "cc-reject-known-" + run;
        String unknown = "cc-reject-unknown-" + run;
        try (CostCentersAdmin admin = new CostCentersAdmin(TestBrokers.shared().bootstrapServers(), REGISTRY);
                TopicProbe probe = new TopicProbe(
                        TestBrokers.shared().bootstrapServers(),
                        REGISTRY,
                        List.of(Topics.INFERENCE_RESULTS, Topics.ROUTING_DECISIONS),
                        List.of())) {
            admin.add(known, null, "router test: the only registered cost center");
            try {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> registered.current(Duration.ofSeconds(5)).contains(known));
                String stranger = run + "-stranger";
                String member = run + "-member";
                send(req().id(stranger)
                        .costCenter(unknown)
                        .type(TaskType.CLASSIFICATION)
                        .build());
                send(req().id(member)
                        .costCenter(known)
                        .type(TaskType.CLASSIFICATION)
                        .build());

                await().atMost(Duration.ofSeconds(20))
                        .until(() -> !probe.values(
                                        Topics.ROUTING_DECISIONS,
                                        d -> d.getRequestId().equals(member))
                                .isEmpty());
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> !probe.values(
                                        Topics.INFERENCE_RESULTS,
                                        r -> r.getRequestId().equals(stranger))
                                .isEmpty());
                InferenceResult result = probe.values(
                                Topics.INFERENCE_RESULTS, r -> r.getRequestId().equals(stranger))
                        .get(0);
                assertThat(result.getStatus()).isEqualTo(ResultStatus.REJECTED);
                assertThat(result.getErrorCode()).isEqualTo("UNKNOWN_COST_CENTER");
                assertThat(result.getErrorMessage()).contains("cost center '" + unknown + "' is not registered");
                assertThat(result.getCostCenter()).isEqualTo(unknown);
                assertThat(result.getTotalCostUsd()).isZero();
                List<RoutingDecision> decided = probe.values(
                        Topics.ROUTING_DECISIONS, d -> d.getRequestId().equals(stranger));
                assertThat(decided).as("a refused request is never decided").isEmpty();
                assertThat(probe.values(
                                        Topics.ROUTING_DECISIONS,
                                        d -> d.getRequestId().equals(member))
                                .get(0)
                                .getCostCenter())
                        .isEqualTo(known);
            } finally {
                admin.remove(known, "router test: done");
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> registered.current(Duration.ofSeconds(5)).isEmpty());
            }
        }
    }

    private void send(ClassifiedRequest r) throws Exception {
        publisher
                .send(Topics.INFERENCE_CLASSIFIED, r.getRequest().getRequestId(), r)
                .get(30, TimeUnit.SECONDS);
    }
}
