package io.tiergate.cli.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows topics on a daemon thread, from the positions fixed when it is created (no consumer
 * group), handing every record to {@code handler} while holding {@code lock}, so the owner reads a
 * consistent state by synchronizing on the same lock. A failure of the poll loop is kept and
 * reported by {@link #check()}.
 */
public final class TopicFollower implements AutoCloseable {

  private final KafkaConsumer<String, byte[]> consumer;
  private final Object lock;
  private final Consumer<ConsumerRecord<String, byte[]>> handler;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private volatile RuntimeException failure;

  /**
   * @param fromBeginning topics read from their beginnings; the others from their ends
   */
  public TopicFollower(
      String bootstrap,
      String clientId,
      boolean readCommitted,
      Collection<String> topics,
      Collection<String> fromBeginning,
      Object lock,
      Consumer<ConsumerRecord<String, byte[]>> handler) {
    this.lock = lock;
    this.handler = handler;
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    if (readCommitted) {
      config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }
    this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      consumer.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions.stream().filter(p -> !fromBeginning.contains(p.topic())).toList());
    consumer.seekToBeginning(partitions.stream().filter(p -> fromBeginning.contains(p.topic())).toList());
    partitions.forEach(consumer::position); // fix the starting offsets now, before anything is sent
    this.thread = new Thread(this::pollLoop, clientId);
    thread.setDaemon(true);
    thread.start();
  }

  private void pollLoop() {
    try {
      while (running.get()) {
        var records = consumer.poll(Duration.ofMillis(200));
        synchronized (lock) {
          records.forEach(handler);
        }
      }
    } catch (RuntimeException e) {
      if (running.get()) {
        failure = e;
      }
    } finally {
      consumer.close();
    }
  }

  /** Throws if the poll loop died. */
  public void check() {
    RuntimeException f = failure;
    if (f != null) {
      throw new IllegalStateException(thread.getName() + " stopped: " + f.getMessage(), f);
    }
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
