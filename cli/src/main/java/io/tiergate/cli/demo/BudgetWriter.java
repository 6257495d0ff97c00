package io.tiergate.cli.demo;

import io.tiergate.schemas.events.BudgetConfig;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.serde.AvroSerializer;
import io.tiergate.schemas.serde.SerdeConfig;
import io.tiergate.schemas.topics.Topics;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes budgets to the compacted {@code budget.config} topic (what ops do through the CLI). */
public final class BudgetWriter implements AutoCloseable {

  private final KafkaProducer<String, BudgetConfig> producer;

  public BudgetWriter(String bootstrap, String registryUrl) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "tiergate-cli-budget");
    config.put(SerdeConfig.SCHEMA_REGISTRY_URL, registryUrl);
    AvroSerializer<BudgetConfig> values = new AvroSerializer<>();
    values.configure(config, false);
    this.producer = new KafkaProducer<>(config, new StringSerializer(), values);
  }

  /** Sets a daily (and optional monthly) limit for {@code scope}; waits until it is durable. */
  public void set(String scope, BigDecimal dailyUsd, BigDecimal monthlyUsd, OnExhausted onExhausted) {
    BudgetConfig budget =
        BudgetConfig.newBuilder()
            .setScope(scope)
            .setDailyLimitUsd(dailyUsd == null ? null : Money.usd(dailyUsd))
            .setMonthlyLimitUsd(monthlyUsd == null ? null : Money.usd(monthlyUsd))
            .setOnExhausted(onExhausted)
            .setUpdatedAt(Instant.now())
            .build();
    await(new ProducerRecord<>(Topics.BUDGET_CONFIG.name(), scope, budget));
  }

  /** Deletes the budget of {@code scope} (a tombstone). */
  public void remove(String scope) {
    await(new ProducerRecord<>(Topics.BUDGET_CONFIG.name(), scope, null));
  }

  private void await(ProducerRecord<String, BudgetConfig> record) {
    try {
      producer.send(record).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while writing budget " + record.key(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot write budget " + record.key() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
