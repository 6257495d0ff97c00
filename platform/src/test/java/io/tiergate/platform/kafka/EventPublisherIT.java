package io.tiergate.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.serde.MockSchemaRegistry;
import io.tiergate.schemas.serde.SchemaRegistryException;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.testkit.TestBrokers;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@link EventPublisher#warmUp} on a real broker: the value schema's id is known before the first send. */
class EventPublisherIT {

    @Test
    void warmingUpResolvesTheTopicsValueSchemaBeforeAnythingIsSent() {
        String scope = "event-publisher-it-" + UUID.randomUUID();
        MockSchemaRegistry registry = MockSchemaRegistry.forScope(scope);
        try (EventPublisher publisher = new EventPublisher(new KafkaClientSettings(
                TestBrokers.shared().bootstrapServers(), "mock://" + scope, "event-publisher-it"))) {
            publisher.warmUp(List.of(Topics.INFERENCE_RESULTS));

            await().atMost(Duration.ofSeconds(30))
                    .ignoreException(SchemaRegistryException.class)
                    .untilAsserted(
                            () -> assertThat(registry.idOf("inference.results-value", InferenceResult.getClassSchema()))
                                    .isPositive());
        } finally {
            MockSchemaRegistry.drop(scope);
        }
    }
}
