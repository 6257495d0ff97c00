package io.tiergate.router.kafka;

import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.router.budget.ReservationLedger.PastDecision;
import io.tiergate.schemas.events.RoutingAction;
import io.tiergate.schemas.events.RoutingDecision;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the cloud decisions of a recent window back from the audit topic: a router instance that
 * takes over partitions rebuilds their open reservations from it. Complete because every decider
 * waits for its audit sends before committing, and a partition is only handed over after the
 * previous owner committed (or died, in which case its uncommitted batch is decided again).
 */
public final class AuditScan {

  private static final Logger LOG = LoggerFactory.getLogger(AuditScan.class);

  private final KafkaClientSettings client;
  private final EventDecoder decoder;
  private final String clientId;

  public AuditScan(KafkaClientSettings client, EventDecoder decoder, String clientId) {
    this.client = client;
    this.decoder = decoder;
    this.clientId = clientId;
  }

  /** Cloud ROUTE decisions with a record timestamp at or after {@code sinceMs}, in log order. */
  public List<PastDecision> cloudDecisionsSince(long sinceMs, Duration timeout) {
    Map<String, Object> config = client.base();
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    List<PastDecision> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> infos = consumer.partitionsFor(Topics.ROUTING_DECISIONS.name(), timeout);
      if (infos == null || infos.isEmpty()) {
        return out;
      }
      List<TopicPartition> parts = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(parts);
      Map<TopicPartition, Long> query = new HashMap<>();
      parts.forEach(tp -> query.put(tp, sinceMs));
      Map<TopicPartition, OffsetAndTimestamp> start = consumer.offsetsForTimes(query, timeout);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts, timeout);
      for (TopicPartition tp : parts) {
        OffsetAndTimestamp at = start.get(tp);
        consumer.seek(tp, at != null ? at.offset() : end.get(tp));
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!reached(consumer, end, timeout)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Audit log not read to its end within " + timeout);
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value() == null) {
            continue;
          }
          try {
            RoutingDecision d = decoder.decode(Topics.ROUTING_DECISIONS, record);
            if (d.getAction() == RoutingAction.ROUTE && d.getTier() == Tier.CLOUD) {
              out.add(new PastDecision(d.getRequestId(), d.getCostCenter(), d.getEstimatedCostUsd(), d.getDecidedAt().toEpochMilli()));
            }
          } catch (EventDecoder.DecodeException e) {
            LOG.warn("Skipped an undecodable audit record: {}", e.getMessage());
          }
        }
      }
    }
    return out;
  }

  private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end, Duration timeout) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey(), timeout) < e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
