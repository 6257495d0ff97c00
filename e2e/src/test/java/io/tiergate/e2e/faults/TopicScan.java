package io.tiergate.e2e.faults;

import io.tiergate.schemas.serde.AvroDeserializer;
import io.tiergate.schemas.serde.SerdeConfig;
import io.tiergate.schemas.topics.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a whole topic, from the beginning to its end as it is when the scan starts. With
 * {@code read_uncommitted} the scan sees every record ever appended, including outputs of aborted
 * transactions: the strictest view for "this never reached that topic".
 */
final class TopicScan {

    /** Header names of platform's DeadLetters (platform is not on this module's test classpath). */
    static final String ERROR_CLASS = "tiergate.error.class";

    static final String ERROR_MESSAGE = "tiergate.error.message";
    static final String SOURCE_TOPIC = "tiergate.source.topic";

    enum Isolation {
        READ_COMMITTED,
        READ_UNCOMMITTED
    }

    private final String bootstrap;
    private final String registryUrl;

    TopicScan(String bootstrap, String registryUrl) {
        this.bootstrap = bootstrap;
        this.registryUrl = registryUrl;
    }

    List<ConsumerRecord<String, byte[]>> raw(String topic, Isolation isolation) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.name().toLowerCase(java.util.Locale.ROOT));
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "faults-scan-" + UUID.randomUUID());
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read " + topic + " to its end " + end + " within 60 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** Decodes every record; undecodable ones (injected garbage) are returned as empty. */
    <V extends SpecificRecord> List<Decoded<V>> decoded(Topic<V> topic, Isolation isolation) {
        AvroDeserializer<V> deserializer = new AvroDeserializer<>();
        deserializer.configure(
                Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl, SerdeConfig.VALUE_TYPE, topic.valueType()), false);
        List<Decoded<V>> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : raw(topic.name(), isolation)) {
            Optional<V> value;
            try {
                value = Optional.ofNullable(deserializer.deserialize(r.topic(), r.value()));
            } catch (RuntimeException e) {
                value = Optional.empty();
            }
            out.add(new Decoded<>(r, value));
        }
        return out;
    }

    record Decoded<V>(ConsumerRecord<String, byte[]> record, Optional<V> value) {
        String key() {
            return record.key();
        }
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
