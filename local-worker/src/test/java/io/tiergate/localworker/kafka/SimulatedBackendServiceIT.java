package io.tiergate.localworker.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.tiergate.localworker.testing.Requests;
import io.tiergate.localworker.testing.TopicReader;
import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.EventPublisher;
import io.tiergate.schemas.events.ChatMessage;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.ResultStatus;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.testkit.TestBrokers;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The demo path: {@code backend=simulated} (what {@code auto} picks when no Ollama answers at the
 * default URL — that choice itself is LocalEndpointsTest's): the service starts, says so on
 * /health, and serves requests labelled {@code simulated=true}, priced by TCO of the modelled time.
 * Its own input topic keeps it apart from LocalWorkerIT on the shared broker.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimulatedBackendServiceIT implements TestPropertyProvider {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final Topic<RoutedRequest> INPUT =
            new Topic<>("it-" + RUN + ".inference.tier.local", RoutedRequest.class, Topic.Cleanup.DELETE);

    @Inject
    EventPublisher publisher;

    @Inject
    EventDecoder decoder;

    @Inject
    @Client("/")
    HttpClient http;

    @Override
    public Map<String, String> getProperties() {
        String bootstrap = TestBrokers.shared().bootstrapServers();
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            admin.createTopics(
                            List.of(new NewTopic(INPUT.name(), 2, (short) 1), new NewTopic(INPUT.dlq(), 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> props = new java.util.HashMap<>(Map.of(
                "kafka.bootstrap.servers",
                bootstrap,
                "tiergate.schema-registry-url",
                "mock://local-worker-sim-" + RUN,
                "micronaut.server.port",
                "-1",
                "tiergate.local-worker.worker-id",
                "local-sim-" + RUN,
                "tiergate.local-worker.group-id",
                "tiergate-local-worker-sim-" + RUN,
                "tiergate.local-worker.input-topic",
                INPUT.name(),
                "tiergate.local-worker.backend",
                "simulated",
                "tiergate.local-worker.simulation-speed-up",
                "200"));
        props.put("tiergate.http.api-token", API_TOKEN); // /health details need it (docs/security.md)
        return props;
    }

    private static final String API_TOKEN = "health-details-test-token-0123456789";

    @Test
    void simulatedServiceServesRequestsLabelledSimulated() throws Exception {
        String id = "sim-" + RUN;
        publisher
                .send(INPUT, id, Requests.local(id, TaskType.SUMMARIZATION).build())
                .get(10, TimeUnit.SECONDS);

        String bootstrap = TestBrokers.shared().bootstrapServers();
        try (TopicReader results = new TopicReader(bootstrap, Topics.Names.INFERENCE_RESULTS);
                TopicReader costs = new TopicReader(bootstrap, Topics.Names.INFERENCE_COSTS)) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !results.withKey(id).isEmpty());

            InferenceResult result =
                    results.values(decoder, Topics.INFERENCE_RESULTS, id).get(0);
            assertThat(result.getStatus()).isEqualTo(ResultStatus.COMPLETED);
            assertThat(result.getSimulated()).isTrue();
            assertThat(result.getProvider()).isEqualTo("simulated");
            CostEvent cost = costs.values(decoder, Topics.INFERENCE_COSTS, id).get(0);
            assertThat(cost.getSimulated()).isTrue();
            assertThat(cost.getCostUsd()).isPositive();
        }
        String health = http.toBlocking().retrieve(HttpRequest.GET("/health").bearerAuth(API_TOKEN));
        assertThat(health).contains("SIMULATED").contains("\"simulated\":true");
        assertThat(http.toBlocking().retrieve(HttpRequest.GET("/prometheus")))
                .contains("tiergate_local_worker_backend_simulated{endpoint=\"ollama\"} 1.0");
    }

    @Test
    void aSimulatedAnswerToARequestThatOffersToolsCallsOneAndTheResultCarriesIt() throws Exception {
        String id = "sim-tools-" + RUN;
        RoutedRequest routed = Requests.local(id, TaskType.CONVERSATION).build();
        routed.getClassified()
                .getRequest()
                .setMessages(List.of(ChatMessage.newBuilder()
                        .setRole("user")
                        .setContent("Weather in Köln?")
                        .build()));
        routed.getClassified()
                .getRequest()
                .setTools("[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                        + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
                        + "\"required\":[\"city\"]}}}]");
        publisher.send(INPUT, id, routed).get(10, TimeUnit.SECONDS);

        String bootstrap = TestBrokers.shared().bootstrapServers();
        try (TopicReader results = new TopicReader(bootstrap, Topics.Names.INFERENCE_RESULTS)) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !results.withKey(id).isEmpty());
            InferenceResult result =
                    results.values(decoder, Topics.INFERENCE_RESULTS, id).get(0);
            assertThat(result.getStatus()).isEqualTo(ResultStatus.COMPLETED);
            assertThat(result.getSimulated()).isTrue();
            assertThat(result.getFinishReason()).isEqualTo("tool_calls");
            assertThat(result.getOutput()).isEmpty();
            assertThat(result.getToolCalls())
                    .contains("\"name\":\"get_weather\"")
                    .contains("\"type\":\"function\"")
                    .contains("city");
        }
    }
}
