package io.tiergate.localworker.testing;

import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.schemas.topics.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from the beginning, as a downstream service would (read_committed: the worker
 * publishes transactionally), keeping every record seen so a test can await a condition over them.
 */
public final class TopicReader implements AutoCloseable {

  private final KafkaConsumer<String, byte[]> consumer;
  private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

  public TopicReader(String bootstrapServers, String topic) {
    consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Polls once more and returns everything seen so far. */
  public synchronized List<ConsumerRecord<String, byte[]>> records() {
    consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
    return List.copyOf(seen);
  }

  public List<ConsumerRecord<String, byte[]>> withKey(String key) {
    return records().stream().filter(r -> key.equals(r.key())).toList();
  }

  /** The decoded values of the records with {@code key} (tombstones skipped). */
  public <V extends SpecificRecord> List<V> values(EventDecoder decoder, Topic<V> topic, String key) {
    List<V> out = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : withKey(key)) {
      if (r.value() != null) {
        out.add(decoder.decode(topic, r));
      }
    }
    return out;
  }

  public <V extends SpecificRecord> List<V> values(EventDecoder decoder, Topic<V> topic, Predicate<ConsumerRecord<String, byte[]>> which) {
    List<V> out = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : records()) {
      if (r.value() != null && which.test(r)) {
        out.add(decoder.decode(topic, r));
      }
    }
    return out;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
