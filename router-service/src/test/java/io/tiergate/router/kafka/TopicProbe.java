package io.tiergate.router.kafka;

import io.tiergate.schemas.serde.AvroDeserializer;
import io.tiergate.schemas.serde.SerdeConfig;
import io.tiergate.schemas.topics.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads topics from their current end onwards (so a test sees only what happens after it starts),
 * in the background, and keeps every record with its decoded value (null when the bytes are not
 * Avro, e.g. on a .dlq twin).
 */
public final class TopicProbe implements AutoCloseable {

  /** One record seen. */
  public record Seen(String topic, String key, Object value, Map<String, String> headers, long receivedNanos) {}

  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, AvroDeserializer<?>> decoders = new HashMap<>();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  public TopicProbe(String bootstrap, String registryUrl, List<Topic<?>> topics, List<String> rawTopics) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> parts = new ArrayList<>();
    for (Topic<?> t : topics) {
      AvroDeserializer<?> d = new AvroDeserializer<>();
      d.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl, SerdeConfig.VALUE_TYPE, t.valueType()), false);
      decoders.put(t.name(), d);
      consumer.partitionsFor(t.name()).forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
    }
    for (String raw : rawTopics) {
      consumer.partitionsFor(raw).forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
    }
    consumer.assign(parts);
    consumer.seekToEnd(parts);
    parts.forEach(consumer::position); // resolve the end now, before the test produces
    thread = new Thread(this::loop, "topic-probe");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    try {
      while (running.get()) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
          long at = System.nanoTime();
          Object value = null;
          AvroDeserializer<?> d = decoders.get(r.topic());
          if (d != null && r.value() != null) {
            value = d.deserialize(r.topic(), r.value());
          }
          Map<String, String> headers = new HashMap<>();
          r.headers().forEach(h -> headers.put(h.key(), h.value() == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8)));
          seen.add(new Seen(r.topic(), r.key(), value, headers, at));
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close();
    }
  }

  public List<Seen> all() {
    return List.copyOf(seen);
  }

  public List<Seen> on(String topic) {
    return seen.stream().filter(s -> s.topic().equals(topic)).toList();
  }

  public List<Seen> on(String topic, Predicate<Seen> filter) {
    return seen.stream().filter(s -> s.topic().equals(topic) && filter.test(s)).toList();
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
    running.set(false);
    consumer.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
