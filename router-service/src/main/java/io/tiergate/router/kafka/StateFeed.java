package io.tiergate.router.kafka;

import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.InvalidInputException;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.router.budget.BudgetBook;
import io.tiergate.router.budget.ReservationLedger;
import io.tiergate.router.health.HealthBoard;
import io.tiergate.router.rules.RulesBook;
import io.tiergate.schemas.events.BudgetConfig;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.RoutingRule;
import io.tiergate.schemas.events.WorkerHealth;
import io.tiergate.schemas.topics.Topic;
import io.tiergate.schemas.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a router instance must see in full, read by one consumer that is assigned every
 * partition (no consumer group: every instance needs all of it):
 *
 * <ul>
 *   <li>{@code routing.rules}, {@code budget.status}, {@code budget.config}, {@code worker.health}
 *       (compacted) from the beginning — the latest value per key is the state;
 *   <li>{@code inference.costs} from {@code costsLookback} ago (when a ledger is given), to settle
 *       reservations.
 * </ul>
 *
 * Start-up waits until the end offsets seen at start are reached ({@link #awaitCaughtUp}), so no
 * decision is made on a half-read budget state. Invalid rules are skipped here (the last good rule
 * stays); the rules auditor's consumer group dead-letters them once. Read committed, since
 * ledger-streams writes budget.status in transactions.
 */
public final class StateFeed implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StateFeed.class);

  private final KafkaClientSettings client;
  private final String clientId;
  private final EventDecoder decoder;
  private final RulesBook rules;
  private final BudgetBook budgets;
  private final HealthBoard health;
  private final ReservationLedger ledger;
  private final Duration costsLookback;
  private final Duration pollTimeout;
  private final Clock clock;
  private final AtomicBoolean running = new AtomicBoolean();
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final AtomicLong undecodable = new AtomicLong();
  private volatile KafkaConsumer<String, byte[]> consumer;
  private Map<TopicPartition, Long> targets = Map.of();
  private Thread thread;

  /**
   * @param ledger the reservations to settle from inference.costs, or {@code null} to skip costs (CLI)
   */
  public StateFeed(
      KafkaClientSettings client,
      String clientId,
      EventDecoder decoder,
      RulesBook rules,
      BudgetBook budgets,
      HealthBoard health,
      ReservationLedger ledger,
      Duration costsLookback,
      Duration pollTimeout,
      Clock clock) {
    this.client = client;
    this.clientId = clientId;
    this.decoder = decoder;
    this.rules = rules;
    this.budgets = budgets;
    this.health = health;
    this.ledger = ledger;
    this.costsLookback = costsLookback;
    this.pollTimeout = pollTimeout;
    this.clock = clock;
  }

  /** Starts the feed on its own thread. */
  public void start() {
    consumer = newConsumer();
    assignAndSeek();
    running.set(true);
    thread = new Thread(this::loop, clientId);
    thread.setDaemon(true);
    thread.start();
  }

  /** Reads every state topic to its current end on the calling thread, then stops (CLI). */
  public void loadToEnd(Duration timeout) {
    consumer = newConsumer();
    try {
      assignAndSeek();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!reachedTargets()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("State topics not read to their end within " + timeout);
        }
        pollOnce();
      }
    } finally {
      consumer.close();
      consumer = null;
    }
  }

  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public long undecodableRecords() {
    return undecodable.get();
  }

  private KafkaConsumer<String, byte[]> newConsumer() {
    Map<String, Object> config = client.base();
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
  }

  private void assignAndSeek() {
    List<Topic<?>> compacted = List.of(Topics.ROUTING_RULES, Topics.BUDGET_STATUS, Topics.BUDGET_CONFIG, Topics.WORKER_HEALTH);
    List<TopicPartition> fromStart = new ArrayList<>();
    for (Topic<?> t : compacted) {
      fromStart.addAll(partitions(t));
    }
    List<TopicPartition> costs = ledger == null ? List.of() : partitions(Topics.INFERENCE_COSTS);
    List<TopicPartition> all = new ArrayList<>(fromStart);
    all.addAll(costs);
    consumer.assign(all);
    consumer.seekToBeginning(fromStart);
    if (!costs.isEmpty()) {
      long since = clock.millis() - costsLookback.toMillis();
      Map<TopicPartition, Long> query = new HashMap<>();
      costs.forEach(tp -> query.put(tp, since));
      Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, Duration.ofSeconds(30));
      Map<TopicPartition, Long> ends = consumer.endOffsets(costs, Duration.ofSeconds(30));
      for (TopicPartition tp : costs) {
        OffsetAndTimestamp at = found.get(tp);
        consumer.seek(tp, at != null ? at.offset() : ends.get(tp));
      }
    }
    targets = new HashMap<>(consumer.endOffsets(all, Duration.ofSeconds(30)));
  }

  private List<TopicPartition> partitions(Topic<?> topic) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30));
    List<TopicPartition> out = new ArrayList<>();
    if (infos != null) {
      infos.forEach(p -> out.add(new TopicPartition(p.topic(), p.partition())));
    }
    return out;
  }

  private void loop() {
    try {
      while (running.get()) {
        pollOnce();
        if (caughtUp.getCount() > 0 && reachedTargets()) {
          caughtUp.countDown();
          LOG.info("Router state read: {} budget scopes, routing table {}", budgets.scopes().size(), rules.current().version());
        }
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } catch (RuntimeException e) {
      LOG.error("Router state feed stopped: {}", e.toString(), e);
      throw e;
    } finally {
      consumer.close();
    }
  }

  private boolean reachedTargets() {
    for (Map.Entry<TopicPartition, Long> e : targets.entrySet()) {
      if (consumer.position(e.getKey(), Duration.ofSeconds(30)) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private void pollOnce() {
    ConsumerRecords<String, byte[]> records = consumer.poll(pollTimeout);
    boolean registryDown = false;
    for (TopicPartition tp : records.partitions()) {
      for (ConsumerRecord<String, byte[]> record : records.records(tp)) {
        try {
          apply(record);
        } catch (InvalidInputException e) {
          LOG.warn("Ignored {} record {}@{} key {}: {}", record.topic(), record.partition(), record.offset(), record.key(), e.getMessage());
        } catch (EventDecoder.DecodeException e) {
          undecodable.incrementAndGet();
          LOG.warn("Undecodable state record: {}", e.getMessage());
        } catch (EventDecoder.RegistryUnavailableException e) {
          // the record may be fine: read this partition again from it once the registry answers
          LOG.warn("{}", e.getMessage());
          consumer.seek(tp, record.offset());
          registryDown = true;
          break;
        }
      }
    }
    if (registryDown) {
      pauseAfterRegistryOutage();
    }
  }

  private static void pauseAfterRegistryOutage() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    long now = clock.millis();
    String key = record.key();
    switch (record.topic()) {
      case Topics.Names.ROUTING_RULES -> rules.apply(key, value(Topics.ROUTING_RULES, record));
      case Topics.Names.BUDGET_STATUS -> {
        BudgetStatus status = value(Topics.BUDGET_STATUS, record);
        String scope = key != null ? key : status == null ? null : status.getScope();
        if (scope != null) {
          budgets.onStatus(scope, status, now);
        }
      }
      case Topics.Names.BUDGET_CONFIG -> {
        BudgetConfig config = value(Topics.BUDGET_CONFIG, record);
        String scope = key != null ? key : config == null ? null : config.getScope();
        if (scope != null) {
          budgets.onConfig(scope, config);
        }
      }
      case Topics.Names.WORKER_HEALTH -> {
        WorkerHealth h = value(Topics.WORKER_HEALTH, record);
        String worker = key != null ? key : h == null ? null : h.getWorkerId();
        if (worker != null) {
          health.onHealth(worker, h);
        }
      }
      case Topics.Names.INFERENCE_COSTS -> {
        CostEvent cost = value(Topics.INFERENCE_COSTS, record);
        if (cost != null && ledger != null) {
          ledger.onCost(cost.getRequestId(), cost.getCostCenter(), cost.getTier(), cost.getCostUsd(), now);
        }
      }
      default -> LOG.debug("Unexpected topic {}", record.topic());
    }
  }

  private <V extends org.apache.avro.specific.SpecificRecord> V value(Topic<V> topic, ConsumerRecord<String, byte[]> record) {
    return record.value() == null ? null : decoder.decode(topic, record);
  }

  @Override
  public void close() {
    running.set(false);
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null && thread != null) {
      c.wakeup();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
