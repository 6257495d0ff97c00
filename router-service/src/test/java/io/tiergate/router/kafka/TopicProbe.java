package io.tiergate.router.kafka;

import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.read.ReadSpec;
import io.tiergate.platform.kafka.read.StartAt;
import io.tiergate.platform.kafka.read.TopicFollower;
import io.tiergate.schemas.serde.AvroDeserializer;
import io.tiergate.schemas.serde.SerdeConfig;
import io.tiergate.schemas.topics.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads topics from their current end onwards (so a test sees only what happens after it starts),
 * in the background (platform's {@link TopicFollower}, read_uncommitted), and keeps every record with
 * its decoded value (null when the bytes are not Avro, e.g. on a .dlq twin).
 */
public final class TopicProbe implements AutoCloseable {

    /** One record seen. */
    public record Seen(String topic, String key, Object value, Map<String, String> headers, long receivedNanos) {}

    private static final AtomicInteger PROBES = new AtomicInteger();

    private final Map<String, AvroDeserializer<?>> decoders = new HashMap<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final TopicFollower follower;

    public TopicProbe(String bootstrap, String registryUrl, List<Topic<?>> topics, List<String> rawTopics) {
        String clientId = "topic-probe-" + PROBES.incrementAndGet();
        ReadSpec spec = ReadSpec.of(clientId).readCommitted(false).pollTimeout(Duration.ofMillis(50));
        for (Topic<?> t : topics) {
            AvroDeserializer<?> d = new AvroDeserializer<>();
            d.configure(
                    Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl, SerdeConfig.VALUE_TYPE, t.valueType()), false);
            decoders.put(t.name(), d);
            spec.topic(t, StartAt.end());
        }
        rawTopics.forEach(raw -> spec.topic(raw, StartAt.end()));
        // the ends are fixed before start returns, so before the test produces
        follower = TopicFollower.start(new KafkaClientSettings(bootstrap, registryUrl, clientId), spec, this::see);
    }

    private void see(ConsumerRecord<String, byte[]> r) {
        long at = System.nanoTime();
        Object value = null;
        AvroDeserializer<?> d = decoders.get(r.topic());
        if (d != null && r.value() != null) {
            value = d.deserialize(r.topic(), r.value());
        }
        Map<String, String> headers = new HashMap<>();
        r.headers()
                .forEach(h ->
                        headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8)));
        seen.add(new Seen(r.topic(), r.key(), value, headers, at));
    }

    public List<Seen> all() {
        return List.copyOf(seen);
    }

    public List<Seen> on(String topic) {
        return seen.stream().filter(s -> s.topic().equals(topic)).toList();
    }

    public List<Seen> on(String topic, Predicate<Seen> filter) {
        return seen.stream()
                .filter(s -> s.topic().equals(topic) && filter.test(s))
                .toList();
    }

    @SuppressWarnings("unchecked")
    public <V extends SpecificRecord> List<V> values(Topic<V> topic, Predicate<V> filter) {
        List<V> out = new ArrayList<>();
        for (Seen s : on(topic.name())) {
            if (s.value() != null && filter.test((V) s.value())) {
                out.add((V) s.value());
            }
        }
        return out;
    }

    @Override
    public void close() {
        follower.close();
    }
}
