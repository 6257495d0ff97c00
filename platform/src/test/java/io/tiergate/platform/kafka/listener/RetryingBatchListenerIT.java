package io.tiergate.platform.kafka.listener;

import static io.tiergate.platform.kafka.listener.ListenerFixtures.ASYNC_TOPIC;
import static io.tiergate.platform.kafka.listener.ListenerFixtures.ENABLED;
import static io.tiergate.platform.kafka.listener.ListenerFixtures.FAIL_ONCE;
import static io.tiergate.platform.kafka.listener.ListenerFixtures.SYNC_TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micronaut.configuration.kafka.annotation.ErrorStrategy;
import io.micronaut.configuration.kafka.annotation.ErrorStrategyValue;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.core.annotation.AnnotationValue;
import io.micronaut.inject.ExecutableMethod;
import io.tiergate.testkit.TestBrokers;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link io.tiergate.platform.kafka.RetryingBatchListener} on a real broker: a class annotated with
 * it alone is a Micronaut Kafka listener with the convention's values (batches, earliest, commit
 * after the method, a failed batch read again), its group id and offset strategy are the ones the
 * class gives, and it does not start in the CLI environment.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetryingBatchListenerIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String SYNC_GROUP = "platform-it-sync-" + RUN;
    private static final String ASYNC_GROUP = "platform-it-async-" + RUN;
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final String bootstrap = TestBrokers.shared().bootstrapServers();
    private ApplicationContext context;

    private Map<String, Object> properties(boolean listeners) {
        Map<String, Object> props = new HashMap<>();
        props.put("kafka.bootstrap.servers", bootstrap);
        props.put("tiergate.schema-registry-url", "mock://listener-it-" + RUN);
        props.put("tiergate.topics.provision", "false");
        props.put("tiergate.platform-it.sync-group", SYNC_GROUP);
        props.put("tiergate.platform-it.async-group", ASYNC_GROUP);
        props.put("tiergate.platform-it.async-threads", "2");
        props.put("micronaut.server.port", "-1");
        props.put(ENABLED, String.valueOf(listeners));
        return props;
    }

    @BeforeAll
    void recordsBeforeTheListenersStart() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            var existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            // two partitions for the listener that runs two consumers
            List<NewTopic> missing = Map.of(SYNC_TOPIC, 1, ASYNC_TOPIC, 2).entrySet().stream()
                    .filter(t -> !existing.contains(t.getKey()))
                    .map(t -> new NewTopic(t.getKey(), t.getValue(), (short) 1))
                    .toList();
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        }
        send(SYNC_TOPIC, "early-" + RUN, FAIL_ONCE);
        send(ASYNC_TOPIC, "early-async-" + RUN);
        context = ApplicationContext.run(properties(true));
    }

    @AfterAll
    void stop() {
        if (context != null) {
            context.close();
        }
    }

    private void send(String topic, String... keys) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(),
                new StringSerializer())) {
            for (String key : keys) {
                producer.send(new ProducerRecord<>(topic, key, "v")).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static AnnotationValue<KafkaListener> listenerAnnotation(ApplicationContext context, Class<?> type) {
        ExecutableMethod<?, ?> receive = context.getBeanDefinition(type)
                .findMethod("receive", List.class, org.apache.kafka.clients.consumer.Consumer.class)
                .orElseThrow();
        return receive.getAnnotation(KafkaListener.class);
    }

    @Test
    void theAnnotationCarriesTheConventionAndTheClassesOwnGroupAndStrategy() {
        AnnotationValue<KafkaListener> sync = listenerAnnotation(context, ListenerFixtures.FlakyListener.class);
        assertThat(sync).isNotNull();
        assertThat(sync.stringValue("groupId")).contains(SYNC_GROUP);
        assertThat(sync.enumValue("offsetStrategy", OffsetStrategy.class)).contains(OffsetStrategy.SYNC);
        assertThat(sync.enumValue("offsetReset", OffsetReset.class)).contains(OffsetReset.EARLIEST);
        assertThat(sync.isTrue("batch")).isTrue();
        AnnotationValue<ErrorStrategy> errors =
                sync.getAnnotation("errorStrategy", ErrorStrategy.class).orElseThrow();
        assertThat(errors.enumValue("value", ErrorStrategyValue.class)).contains(ErrorStrategyValue.RETRY_ON_ERROR);
        assertThat(errors.intValue("retryCount")).hasValue(Integer.MAX_VALUE);
        assertThat(errors.stringValue("retryDelay")).contains("1s");
        assertThat(errors.booleanValue("handleAllExceptions")).contains(true);

        AnnotationValue<KafkaListener> async = listenerAnnotation(context, ListenerFixtures.AsyncListener.class);
        assertThat(async.stringValue("groupId")).contains(ASYNC_GROUP);
        assertThat(async.enumValue("offsetStrategy", OffsetStrategy.class)).contains(OffsetStrategy.ASYNC);
        assertThat(async.enumValue("offsetReset", OffsetReset.class)).contains(OffsetReset.EARLIEST);
    }

    @Test
    void aFailedBatchIsReadAgainAndTheOffsetsCommitUnderTheClassesGroup() throws Exception {
        ListenerFixtures.FlakyListener listener = context.getBean(ListenerFixtures.FlakyListener.class);
        send(SYNC_TOPIC, "late-" + RUN);

        // earliest: records written before the group existed are read; the failed batch came again
        await("every record handled")
                .atMost(DEADLINE)
                .until(() -> listener.received.containsAll(List.of("early-" + RUN, FAIL_ONCE, "late-" + RUN)));
        assertThat(listener.deliveries.get(FAIL_ONCE))
                .as("deliveries of the record whose first batch failed")
                .isEqualTo(2);
        assertThat(listener.batchSizes).as("handed over in batches").isNotEmpty();

        // commits after the method returned, under the group the class names
        TopicPartition partition = new TopicPartition(SYNC_TOPIC, 0);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            long end = admin.listOffsets(Map.of(partition, org.apache.kafka.clients.admin.OffsetSpec.latest()))
                    .partitionResult(partition)
                    .get(30, TimeUnit.SECONDS)
                    .offset();
            await("offsets committed to the end under " + SYNC_GROUP)
                    .atMost(DEADLINE)
                    .until(() -> {
                        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(SYNC_GROUP)
                                .partitionsToOffsetAndMetadata()
                                .get(30, TimeUnit.SECONDS);
                        OffsetAndMetadata at = committed.get(partition);
                        return at != null && at.offset() == end;
                    });
        }
    }

    @Test
    void theAsyncListenerRunsTheConsumersItsThreadsValueAsksFor() throws Exception {
        ListenerFixtures.AsyncListener listener = context.getBean(ListenerFixtures.AsyncListener.class);
        await().atMost(DEADLINE).until(() -> listener.received.contains("early-async-" + RUN));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            await("two members in " + ASYNC_GROUP)
                    .atMost(DEADLINE)
                    .until(() -> admin.describeConsumerGroups(List.of(ASYNC_GROUP))
                                    .describedGroups()
                                    .get(ASYNC_GROUP)
                                    .get(30, TimeUnit.SECONDS)
                                    .members()
                                    .size()
                            == 2);
        }
    }

    @Test
    void noListenerInTheCliEnvironment() {
        try (ApplicationContext cli = ApplicationContext.builder(Environment.CLI)
                .properties(properties(true))
                .start()) {
            assertThat(cli.containsBean(ListenerFixtures.FlakyListener.class)).isFalse();
            assertThat(cli.containsBean(ListenerFixtures.AsyncListener.class)).isFalse();
        }
    }
}
