package io.tiergate.router.kafka;

import static io.tiergate.router.Fixtures.req;
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
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.topics.TopicProvisioner;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.testkit.TestBrokers;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A request that reaches the decider twice — as when the classifier or the router's intake
 * re-publishes a batch after a failure — is decided once, also by a router started after the
 * first decision (docs/budgets.md, "Duplicates"). A router node of its own on the shared broker,
 * in the default decider group (so it decides where the other router tests' deciders stopped).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DuplicateRequestIT {

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private KafkaClientSettings client;
    private EventPublisher publisher;
    private TopicProbe probe;

    @BeforeAll
    void setUp() {
        String bootstrap = TestBrokers.shared().bootstrapServers();
        client = new KafkaClientSettings(bootstrap, RouterFlowIT.REGISTRY, "dedupe-it");
        try (Admin admin = Admin.create(client.base())) {
            new TopicProvisioner(admin, t -> 3, (short) 1).ensureAll();
        }
        publisher = new EventPublisher(client);
        probe = new TopicProbe(
                bootstrap,
                RouterFlowIT.REGISTRY,
                List.of(Topics.TIER_LOCAL, Topics.TIER_CLOUD, Topics.ROUTING_DECISIONS, Topics.INFERENCE_RESULTS),
                List.of());
    }

    @AfterAll
    void tearDown() {
        probe.close();
        publisher.close();
    }

    private record Node(RouterNode node, MeterRegistry meters, DeadLetters deadLetters) implements AutoCloseable {
        double skipped() {
            return meters.get("tiergate.router.duplicates.skipped").counter().count();
        }

        @Override
        public void close() {
            node.close();
            deadLetters.close();
        }
    }

    private Node start(int partition) {
        MeterRegistry meters = new SimpleMeterRegistry();
        DeadLetters deadLetters = new DeadLetters(client, meters);
        RouterNode node = new RouterNode(
                RouterConfiguration.DEFAULTS,
                client,
                Fixtures.CATALOG,
                Fixtures.DEFAULTS,
                publisher,
                new EventDecoder(client),
                new InboundRecords(new EventDecoder(client), deadLetters, new RequestAnswers(publisher, client)),
                meters,
                Clock.systemUTC());
        node.start();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> node.ownedPartitions().contains(partition));
        return new Node(node, meters, deadLetters);
    }

    private static void join(CompletableFuture<?> f) {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Sends to the deciders' topic as the router's intake does (keyed by cost center). */
    private void send(ClassifiedRequest r) {
        join(publisher.send(Topics.ROUTING_BY_COST_CENTER, r.getRequest().getCostCenter(), r));
    }

    private List<RoutingDecision> decisions(String id) {
        return probe.values(Topics.ROUTING_DECISIONS, d -> d.getRequestId().equals(id));
    }

    /** Records of the request on the tier topics and results: what a worker would serve or the caller receive. */
    private long outputs(String id) {
        return probe.all().stream()
                .filter(s -> id.equals(s.key()) && !s.topic().equals(Topics.ROUTING_DECISIONS.name()))
                .count();
    }

    /** A later request of the same cost center, decided after everything sent before it (one partition, in order). */
    private void awaitDecidedUpTo(String costCenter, String marker) {
        send(req().id(marker).costCenter(costCenter).build());
        await().atMost(Duration.ofSeconds(30)).until(() -> !decisions(marker).isEmpty());
    }

    @Test
    void aRequestDeliveredAgainIsDecidedOnceAlsoAfterARestart() {
        String cc = run + "-dup";
        int partition = CostCenterPartitioning.partitionFor(cc, 3);
        String id = run + "-dup-request";
        ClassifiedRequest request =
                req().id(id).costCenter(cc).type(TaskType.CODE_REVIEW).build();

        try (Node first = start(partition)) {
            send(request);
            send(request); // a re-published batch: the same record again
            awaitDecidedUpTo(cc, run + "-marker-1");
            assertThat(decisions(id)).hasSize(1);
            assertThat(outputs(id)).isEqualTo(1);
            assertThat(first.skipped()).isEqualTo(1.0);
        }

        try (Node second = start(partition)) {
            send(request); // after the restart: remembered from routing.decisions
            awaitDecidedUpTo(cc, run + "-marker-2");
            assertThat(decisions(id)).hasSize(1);
            assertThat(outputs(id)).isEqualTo(1);
            assertThat(second.skipped()).isEqualTo(1.0);
        }
    }
}
