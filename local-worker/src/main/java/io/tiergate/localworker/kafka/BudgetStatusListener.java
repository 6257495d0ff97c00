package io.tiergate.localworker.kafka;

import io.micronaut.configuration.kafka.annotation.ErrorStrategy;
import io.micronaut.configuration.kafka.annotation.ErrorStrategyValue;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.tiergate.localworker.escalation.BudgetStatusCache;
import io.tiergate.platform.kafka.InboundRecords;
import io.tiergate.schemas.topics.Topics;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Keeps {@link BudgetStatusCache} current from the compacted {@code budget.status} (key = scope; a
 * tombstone removes the budget). Every instance needs every scope, so each reads the whole topic in
 * a group of its own, from the beginning.
 */
@Requires(notEnv = Environment.CLI)
@KafkaListener(
    groupId = "tiergate-local-worker-budget",
    uniqueGroupId = true,
    offsetReset = OffsetReset.EARLIEST,
    offsetStrategy = OffsetStrategy.SYNC,
    batch = true,
    // a schema registry outage is not the record's fault: read the batch again, never skip it
    errorStrategy = @ErrorStrategy(value = ErrorStrategyValue.RETRY_ON_ERROR, retryDelay = "1s", retryCount = Integer.MAX_VALUE))
public class BudgetStatusListener {

  private final InboundRecords inbound;
  private final BudgetStatusCache levels;

  public BudgetStatusListener(InboundRecords inbound, BudgetStatusCache levels) {
    this.inbound = inbound;
    this.levels = levels;
  }

  @Topic(Topics.Names.BUDGET_STATUS)
  void receive(List<ConsumerRecord<String, byte[]>> records) {
    for (ConsumerRecord<String, byte[]> record : records) {
      if (record.value() == null) {
        levels.remove(record.key());
        continue;
      }
      inbound.process(Topics.BUDGET_STATUS, record, status -> levels.update(status.getScope(), status.getLevel()));
    }
  }
}
