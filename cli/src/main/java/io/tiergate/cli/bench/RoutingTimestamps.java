package io.tiergate.cli.bench;

import io.tiergate.schemas.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The benchmark's observer: for every request of one run (keys starting with the run prefix), the
 * timestamp of its first record on {@code inference.classified} and on a tier topic. It reads keys
 * and record timestamps only and never decodes a value, so measuring costs the two shared cores as
 * little as possible. Starts at the ends of the topics as they are when it is created.
 */
public final class RoutingTimestamps implements AutoCloseable {

  /** When a request was classified and routed (record timestamps, ms), -1 while not yet seen. */
  public record Times(long classifiedAtMs, long routedAtMs) {}

  private static final List<String> TOPICS =
      List.of(Topics.INFERENCE_CLASSIFIED.name(), Topics.TIER_LOCAL.name(), Topics.TIER_CLOUD.name());

  private final String runPrefix;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, long[]> times = new HashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private RuntimeException failure;

  public RoutingTimestamps(String bootstrap, String runPrefix) {
    this.runPrefix = runPrefix;
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "tiergate-bench-observer");
    this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : TOPICS) {
      consumer.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // fix the starting offsets before any request is sent
    this.thread = new Thread(this::pollLoop, "tiergate-bench-observer");
    thread.setDaemon(true);
    thread.start();
  }

  private void pollLoop() {
    try {
      while (running.get()) {
        var records = consumer.poll(Duration.ofMillis(200));
        synchronized (this) {
          for (ConsumerRecord<String, byte[]> record : records) {
            String key = record.key();
            if (key == null || !key.startsWith(runPrefix)) {
              continue;
            }
            long[] t = times.computeIfAbsent(key, k -> new long[] {-1, -1});
            int slot = record.topic().equals(Topics.INFERENCE_CLASSIFIED.name()) ? 0 : 1;
            if (t[slot] < 0) {
              t[slot] = record.timestamp();
            }
          }
        }
      }
    } catch (RuntimeException e) {
      if (running.get()) {
        synchronized (this) {
          failure = e;
        }
      }
    } finally {
      consumer.close();
    }
  }

  /** What is known about {@code requestId} now. */
  public synchronized Times get(String requestId) {
    if (failure != null) {
      throw new IllegalStateException("The benchmark's observer stopped: " + failure.getMessage(), failure);
    }
    long[] t = times.get(requestId);
    return t == null ? new Times(-1, -1) : new Times(t[0], t[1]);
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
