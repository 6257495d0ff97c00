package io.tiergate.worker.kafka;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tiergate.platform.kafka.DeadLetters;
import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.InboundRecords;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.schemas.events.AttemptStarted;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.testkit.TestBrokers;
import io.tiergate.worker.work.AttemptPricer;
import io.tiergate.worker.work.WorkEnvironment;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Per-test isolated topics on the shared broker, a producer for requests, and readers, for the
 * worker runtime's tests. Its parts for other modules' tests ({@link TopicReader}, {@link TestTopics})
 * are in worker-core's test-jar.
 */
public final class BrokerFixture implements AutoCloseable {

    public final String id = UUID.randomUUID().toString().substring(0, 8);
    public final KafkaClientSettings settings;
    public final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    public final InboundRecords inbound;
    public final Topic<RoutedRequest> input;
    public final Topic<RoutedRequest> cloudHandOff;
    public final Topic<RoutedRequest> localHandOff;
    public final Topic<InferenceResult> results;
    public final Topic<CostEvent> costs;
    public final Topic<AttemptStarted> attempts;
    private final DeadLetters deadLetters;
    private final KafkaProducer<String, SpecificRecord> producer;

    public BrokerFixture(int partitions) {
        String bootstrap = TestBrokers.shared().bootstrapServers();
        settings = new KafkaClientSettings(bootstrap, "mock://worker-it-" + id, "worker-it");
        input = new Topic<>("it-" + id + ".tier.in", RoutedRequest.class, Topic.Cleanup.DELETE);
        cloudHandOff = new Topic<>("it-" + id + ".tier.cloud", RoutedRequest.class, Topic.Cleanup.DELETE);
        localHandOff = new Topic<>("it-" + id + ".tier.local", RoutedRequest.class, Topic.Cleanup.DELETE);
        results = new Topic<>("it-" + id + ".results", InferenceResult.class, Topic.Cleanup.DELETE);
        costs = new Topic<>("it-" + id + ".costs", CostEvent.class, Topic.Cleanup.DELETE);
        attempts = new Topic<>("it-" + id + ".attempts", AttemptStarted.class, Topic.Cleanup.DELETE);
        TestTopics.create(
                settings,
                List.of(
                        new NewTopic(input.name(), partitions, (short) 1),
                        new NewTopic(input.dlq(), 1, (short) 1),
                        new NewTopic(cloudHandOff.name(), 1, (short) 1),
                        new NewTopic(localHandOff.name(), 1, (short) 1),
                        new NewTopic(results.name(), 2, (short) 1),
                        new NewTopic(costs.name(), 2, (short) 1),
                        new NewTopic(attempts.name(), 2, (short) 1)));
        deadLetters = new DeadLetters(settings, meters);
        inbound = new InboundRecords(new EventDecoder(settings), deadLetters);
        Map<String, Object> p = settings.base();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = TestTopics.avroProducer(p);
    }

    public WorkEnvironment environment(Tier tier, String workerId, AttemptPricer pricer) {
        Map<Tier, Topic<RoutedRequest>> handOff = new EnumMap<>(Tier.class);
        handOff.put(Tier.CLOUD, cloudHandOff);
        handOff.put(Tier.LOCAL, localHandOff);
        return WorkEnvironment.of(tier, workerId, pricer).withTopics(results, costs, handOff);
    }

    public TierWorkerConfig.Builder config(String workerId) {
        return TierWorkerConfig.builder(workerId, "it-" + id + "-group", input)
                .consumer(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000)
                .consumer(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500)
                .producer(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10000)
                .attemptsTopic(attempts);
    }

    public void send(RoutedRequest request) {
        send(input.name(), request.getClassified().getRequest().getRequestId(), request);
    }

    public void send(String topic, String key, SpecificRecord value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Committed offsets of the worker group on the input topic, summed. */
    public long committedTotal() {
        try (Admin admin = Admin.create(settings.base())) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("it-" + id + "-group")
                    .partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS);
            return offsets.values().stream()
                    .filter(o -> o != null)
                    .mapToLong(OffsetAndMetadata::offset)
                    .sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The worker group's members as the broker sees them now: group.instance.id (or "") per member. */
    public List<String> groupInstanceIds() {
        try (Admin admin = Admin.create(settings.base())) {
            String group = "it-" + id + "-group";
            return admin
                    .describeConsumerGroups(List.of(group))
                    .describedGroups()
                    .get(group)
                    .get(10, TimeUnit.SECONDS)
                    .members()
                    .stream()
                    .map(m -> m.groupInstanceId().orElse(""))
                    .toList();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Everything on {@code topic} from the beginning: see {@link TopicReader}. */
    public <V extends SpecificRecord> TopicReader<V> reader(Topic<V> topic, boolean readCommitted) {
        return new TopicReader<>(settings, topic, readCommitted);
    }

    @Override
    public void close() {
        producer.close();
        deadLetters.close();
    }
}
