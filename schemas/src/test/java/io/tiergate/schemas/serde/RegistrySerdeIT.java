package io.tiergate.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tiergate.schemas.registry.EmbeddedSchemaRegistry;
import io.tiergate.testkit.TestBrokers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every event type produced and consumed on a real broker with the registry serde, configured by
 * class name as Kafka clients do: once with {@code mock://}, once over HTTP against the
 * {@link EmbeddedSchemaRegistry} with producer and consumer holding separate registry clients (as
 * separate processes would).
 */
class RegistrySerdeIT {

    @TempDir
    static Path dir;

    private static String bootstrap;
    private static EmbeddedSchemaRegistry registry;

    @BeforeAll
    static void start() {
        bootstrap = TestBrokers.shared().bootstrapServers();
        registry = EmbeddedSchemaRegistry.start(0, dir.resolve("registry.json"));
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void everyEventTypeCrossesTheBrokerWithTheMockRegistry() throws Exception {
        String url = "mock://it-" + UUID.randomUUID();
        crossTheBroker(url, url);
    }

    @Test
    void everyEventTypeCrossesTheBrokerWithTheEmbeddedRegistryOverHttp() throws Exception {
        // a different URL string for the same server gives the consumer its own client and cache, so
        // it really fetches each writer schema by id, as a consumer in another process would
        String prefix = crossTheBroker(registry.url(), registry.url() + "/");

        // the registry now holds one subject per topic, each with the event's schema
        var lookup = new HttpSchemaRegistryClient(registry.url(), Optional.empty(), 1, Duration.ofMillis(10));
        for (var sample : SampleEvents.all().entrySet()) {
            int id = lookup.idOf(
                    topicFor(prefix, sample.getKey()) + "-value",
                    sample.getValue().getSchema());
            assertThat(lookup.schemaById(id)).isEqualTo(sample.getValue().getSchema());
        }
    }

    private static String topicFor(String prefix, Class<?> type) {
        return prefix + "." + type.getSimpleName();
    }

    /** Produces every sample and a tombstone to a topic per type; returns the topics' prefix. */
    private String crossTheBroker(String producerUrl, String consumerUrl) throws Exception {
        String prefix = "serde-it-" + UUID.randomUUID().toString().substring(0, 8);
        Map<Class<? extends SpecificRecord>, SpecificRecord> samples = SampleEvents.all();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<NewTopic> topics = new ArrayList<>();
            samples.keySet().forEach(type -> topics.add(new NewTopic(topicFor(prefix, type), 1, (short) 1)));
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }

        Map<String, Object> producerConfig = new HashMap<>();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class);
        producerConfig.put(SerdeConfig.SCHEMA_REGISTRY_URL, producerUrl);
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(producerConfig)) {
            List<Future<?>> sends = new ArrayList<>();
            for (var sample : samples.entrySet()) {
                String topic = topicFor(prefix, sample.getKey());
                sends.add(producer.send(new ProducerRecord<>(topic, "key-1", sample.getValue())));
                sends.add(producer.send(new ProducerRecord<>(topic, "key-1", null))); // tombstone
            }
            for (var send : sends) {
                send.get(30, TimeUnit.SECONDS);
            }
        }

        for (var sample : samples.entrySet()) {
            List<ConsumerRecord<String, SpecificRecord>> records =
                    consumeTwo(topicFor(prefix, sample.getKey()), sample.getKey(), consumerUrl);

            assertThat(records.get(0).key()).isEqualTo("key-1");
            assertThat(records.get(0).value()).isInstanceOf(sample.getKey()).isEqualTo(sample.getValue());
            assertThat(records.get(1).value()).as("tombstone").isNull();
        }
        return prefix;
    }

    private static List<ConsumerRecord<String, SpecificRecord>> consumeTwo(String topic, Class<?> type, String url) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(SerdeConfig.SCHEMA_REGISTRY_URL, url);
        config.put(SerdeConfig.VALUE_TYPE, type.getName());
        List<ConsumerRecord<String, SpecificRecord>> records = new ArrayList<>();
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(config)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= 2;
            });
        }
        return records;
    }
}
