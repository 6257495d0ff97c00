package io.tiergate.worker.kafka;

import static org.awaitility.Awaitility.await;

import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.schemas.serde.AvroSerializer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;

/** A test's own topics on the shared test broker: creating them, and a producer of Avro values onto them. */
public final class TestTopics {

    private TestTopics() {}

    public static void create(KafkaClientSettings settings, List<NewTopic> topics) {
        try (Admin admin = Admin.create(settings.base())) {
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Creates {@code inference.attempts} on the shared broker unless it exists: every {@link TierWorker}
     * writes its calls ahead there unless its config names another topic (docs/delivery.md,
     * "Write-ahead attempts"). Tests sharing it do not see each other's attempts: a worker only
     * takes over attempts started from records of its own input topic.
     */
    public static void ensureAttemptsTopic(KafkaClientSettings settings) {
        String name = io.tiergate.schemas.topics.Topics.INFERENCE_ATTEMPTS.name();
        try (Admin admin = Admin.create(settings.base())) {
            if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(name)) {
                admin.createTopics(List.of(new NewTopic(name, 3, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw new IllegalStateException(e);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        }
        awaitLeaders(settings, List.of(name));
    }

    /**
     * Producing into a partition before its leader is known makes the idempotent producer retry into
     * an out-of-order-sequence loop on a busy machine: wait until every partition has a leader.
     */
    public static void awaitLeaders(KafkaClientSettings settings, List<String> topics) {
        try (Admin admin = Admin.create(settings.base())) {
            await("partitions of " + topics + " have a leader")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() ->
                            admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values().stream()
                                    .allMatch(d -> d.partitions().stream()
                                            .allMatch(p -> p.leader() != null
                                                    && !p.leader().isEmpty())));
        }
    }

    /** String keys, Avro values (registry from {@code config}); the caller sets acks and the rest. */
    public static KafkaProducer<String, SpecificRecord> avroProducer(Map<String, Object> config) {
        return new KafkaProducer<>(config, new StringSerializer(), serializer(config));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static AvroSerializer<SpecificRecord> serializer(Map<String, Object> config) {
        AvroSerializer s = new AvroSerializer<>();
        s.configure(config, false);
        return s;
    }
}
