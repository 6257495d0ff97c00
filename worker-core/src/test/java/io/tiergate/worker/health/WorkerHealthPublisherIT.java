package io.tiergate.worker.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tiergate.platform.kafka.EventPublisher;
import io.tiergate.schemas.events.CircuitState;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.events.WorkerHealth;
import io.tiergate.schemas.serde.AvroDeserializer;
import io.tiergate.schemas.serde.SerdeConfig;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.worker.kafka.BrokerFixture;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

class WorkerHealthPublisherIT {

    @Test
    void publishesOnChangeAndATombstoneOnClose() throws Exception {
        try (BrokerFixture kafka = new BrokerFixture(1)) {
            Topic<WorkerHealth> topic =
                    new Topic<>("it-" + kafka.id + ".worker.health", WorkerHealth.class, Topic.Cleanup.COMPACT);
            try (Admin admin = Admin.create(kafka.settings.base())) {
                admin.createTopics(List.of(new NewTopic(topic.name(), 1, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            AtomicReference<HealthSnapshot> current =
                    new AtomicReference<>(new HealthSnapshot(0, 4, CircuitState.CLOSED));
            List<ConsumerRecord<String, WorkerHealth>> seen = new ArrayList<>();
            try (EventPublisher publisher = new EventPublisher(kafka.settings);
                    KafkaConsumer<String, WorkerHealth> consumer = consumer(kafka, topic)) {
                WorkerHealthPublisher health = new WorkerHealthPublisher(
                                publisher, topic, "lw-1", Tier.LOCAL, Clock.systemUTC())
                        .start(current::get, Duration.ofMillis(50), Duration.ofMinutes(1));
                await().atMost(Duration.ofSeconds(20)).until(() -> poll(consumer, seen) >= 1);
                current.set(new HealthSnapshot(5, 4, CircuitState.OPEN));
                await().atMost(Duration.ofSeconds(20)).until(() -> poll(consumer, seen) >= 2);
                health.close();
                await().atMost(Duration.ofSeconds(20)).until(() -> poll(consumer, seen) >= 3);
                // unchanged snapshots within the heartbeat are not republished
                assertThat(seen).hasSize(3);
                assertThat(seen.get(0).value().getQueueDepth()).isZero();
                assertThat(seen.get(1).value().getQueueDepth()).isEqualTo(5);
                assertThat(seen.get(1).value().getCircuit()).isEqualTo(CircuitState.OPEN);
                assertThat(seen.get(1).key()).isEqualTo("lw-1");
                assertThat(seen.get(2).value()).isNull();
            }
        }
    }

    private static KafkaConsumer<String, WorkerHealth> consumer(BrokerFixture kafka, Topic<WorkerHealth> topic) {
        Map<String, Object> c = kafka.settings.base();
        c.put(SerdeConfig.VALUE_TYPE, WorkerHealth.class);
        AvroDeserializer<WorkerHealth> d = new AvroDeserializer<>();
        d.configure(c, false);
        KafkaConsumer<String, WorkerHealth> consumer = new KafkaConsumer<>(c, new StringDeserializer(), d);
        TopicPartition tp = new TopicPartition(topic.name(), 0);
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        return consumer;
    }

    private static int poll(
            KafkaConsumer<String, WorkerHealth> consumer, List<ConsumerRecord<String, WorkerHealth>> seen) {
        consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        return seen.size();
    }
}
