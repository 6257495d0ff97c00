package io.tiergate.ledger.cli;

import io.tiergate.schemas.events.CostWindow;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.serde.AvroDeserializer;
import io.tiergate.schemas.serde.SerdeConfig;
import io.tiergate.schemas.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows {@code cost.windows} for the CLI ({@code ./tiergate costs tail}), without Micronaut:
 * decoded {@link CostWindow}s, committed data only ({@code read_committed}, as the ledger writes
 * with exactly-once), no consumer group (partitions assigned, nothing committed). A record that
 * does not decode is skipped and counted ({@link #skipped()}), never fatal for a tail.
 */
public final class CostWindowsTail implements AutoCloseable {

  private final KafkaConsumer<String, byte[]> consumer;
  private final AvroDeserializer<CostWindow> windows;
  private long skipped;

  /**
   * @param fromBeginning true: everything still on the topic; false: only what is published from now
   */
  public CostWindowsTail(String bootstrapServers, String schemaRegistryUrl, boolean fromBeginning) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "tiergate-cli-costs-tail-" + UUID.randomUUID());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    this.windows = new AvroDeserializer<>();
    windows.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl, SerdeConfig.VALUE_TYPE, CostWindow.class), false);
    List<PartitionInfo> partitions = consumer.partitionsFor(Topics.COST_WINDOWS.name(), Duration.ofSeconds(30));
    List<TopicPartition> assigned =
        partitions == null ? List.of() : partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    consumer.assign(assigned);
    if (fromBeginning) {
      consumer.seekToBeginning(assigned);
    } else {
      consumer.seekToEnd(assigned);
    }
  }

  /** The windows published since the last poll (waits up to {@code timeout} for the first). */
  public List<CostWindow> poll(Duration timeout) {
    List<CostWindow> result = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
      if (record.value() == null) {
        continue;
      }
      try {
        result.add(windows.deserialize(record.topic(), record.value()));
      } catch (SerializationException e) {
        skipped++;
      }
    }
    return result;
  }

  /** Hands every window to {@code sink} while {@code keepGoing} says so (e.g. until Ctrl-C). */
  public void run(Consumer<CostWindow> sink, BooleanSupplier keepGoing) {
    while (keepGoing.getAsBoolean()) {
      poll(Duration.ofMillis(500)).forEach(sink);
    }
  }

  /** Records that did not decode as CostWindow. */
  public long skipped() {
    return skipped;
  }

  /** One line per window, e.g. {@code 2026-11-22T10:00:00Z HOUR ci-agents CODE_REVIEW/CLOUD model spend=… closed}. */
  public static String format(CostWindow window) {
    return String.format(
        "%s %-5s %-16s %s/%s %s spend=%s rework=%s requests=%d tokens=%d/%d avgLatencyMs=%.0f%s",
        window.getWindowStart(),
        window.getWindowKind(),
        window.getScope(),
        window.getTaskType(),
        window.getTier(),
        window.getModel(),
        Money.usd(window.getSpendUsd()).toPlainString(),
        Money.usd(window.getReworkSpendUsd()).toPlainString(),
        window.getRequestCount(),
        window.getInputTokens(),
        window.getOutputTokens(),
        window.getAvgLatencyMs(),
        window.getClosed() ? " closed" : "");
  }

  @Override
  public void close() {
    consumer.close();
  }
}
