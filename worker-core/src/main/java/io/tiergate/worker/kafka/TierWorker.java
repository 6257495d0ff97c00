package io.tiergate.worker.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tiergate.platform.kafka.InboundRecords;
import io.tiergate.platform.kafka.InvalidInputException;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.events.InferenceResult;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.serde.AvroSerializer;
import io.tiergate.worker.work.Attempt;
import io.tiergate.worker.work.Output;
import io.tiergate.worker.work.RequestHandler;
import io.tiergate.worker.work.Sovereignty;
import io.tiergate.worker.work.SovereigntyViolationException;
import io.tiergate.worker.work.Work;
import io.tiergate.worker.work.WorkEnvironment;
import io.tiergate.worker.work.WorkOutcome;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one tier topic: consumes {@link RoutedRequest}s, runs a {@link RequestHandler} per request
 * on a bounded pool (model calls run concurrently), and publishes each request's
 * {@link WorkOutcome} — cost events, result or hand-off — <b>in one Kafka transaction with the
 * consumed offset</b>. Any number of instances share a consumer group; partitions are the unit of
 * parallelism across instances, the pool within one.
 *
 * <p>The guarantees it relies on and gives (docs/delivery.md):
 *
 * <ul>
 *   <li>The poll loop never waits on a model call: handlers run on the pool; when {@code maxInFlight}
 *       requests are in hand the assigned partitions are paused and the loop keeps polling, so
 *       {@code max.poll.interval.ms} is never exceeded by a slow call.
 *   <li>Offsets are committed per partition only up to the last request of a completed prefix, in
 *       offset order; outputs of a request completed out of order wait (in memory) for their
 *       predecessors, and are published in the same transaction as the offset that covers them
 *       ({@code sendOffsetsToTransaction} with the consumer's group metadata, KIP-447). So a request
 *       is either not published at all (and will be redelivered) or published exactly once together
 *       with its offset; read_committed readers never see the outputs of an aborted attempt.
 *   <li>A zombie (an instance that lost its partitions but still runs) is fenced by the group
 *       generation carried in the offset commit: its transaction fails and it resets to the
 *       committed offsets.
 *   <li>On revoke: waits up to {@code revokeDrainTimeout} for the revoked partitions' in-flight
 *       requests, commits their completed prefix, drops the rest (the next owner redelivers them).
 *       On loss: drops without committing.
 * </ul>
 * What is not guaranteed: a model may be called again for a request that was in flight when its
 * instance died or lost the partition; that second call is the only one billed.
 */
public final class TierWorker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TierWorker.class);

  private final KafkaClientSettings settings;
  private final TierWorkerConfig config;
  private final WorkEnvironment env;
  private final RequestHandler handler;
  private final InboundRecords inbound;
  private final MeterRegistry meters;

  private final ExecutorService pool;
  private final Thread pollThread;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicBoolean crashed = new AtomicBoolean();
  private final AtomicBoolean crashBeforeNextCommit = new AtomicBoolean();
  private final AtomicBoolean wakeupRequested = new AtomicBoolean();
  private final AtomicInteger inHand = new AtomicInteger();
  private volatile Set<TopicPartition> assignment = Set.of();
  private volatile boolean started;

  // poll-thread state
  private KafkaConsumer<String, byte[]> consumer;
  private KafkaProducer<String, SpecificRecord> producer;
  private final Map<TopicPartition, Deque<Slot>> slots = new HashMap<>();
  private final Deque<Slot> waiting = new ArrayDeque<>();
  private final Set<TopicPartition> paused = new HashSet<>();

  private final Counter committedTransactions;
  private final Counter abortedTransactions;

  public TierWorker(
      KafkaClientSettings settings,
      TierWorkerConfig config,
      WorkEnvironment env,
      RequestHandler handler,
      InboundRecords inbound,
      MeterRegistry meters) {
    this.settings = settings;
    this.config = config;
    this.env = env;
    this.handler = handler;
    this.inbound = inbound;
    this.meters = meters;
    AtomicInteger threads = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            config.maxInFlight(),
            config.maxInFlight(),
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "tiergate-" + config.workerId() + "-call-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.pollThread = new Thread(this::run, "tiergate-" + config.workerId() + "-poll");
    String tier = env.tier().name();
    meters.gauge("tiergate.worker.in.flight", List.of(io.micrometer.core.instrument.Tag.of("tier", tier)), inHand);
    this.committedTransactions = meters.counter("tiergate.worker.transactions", "tier", tier, "result", "committed");
    this.abortedTransactions = meters.counter("tiergate.worker.transactions", "tier", tier, "result", "aborted");
  }

  /** Starts consuming (idempotent). */
  public synchronized TierWorker start() {
    if (!started) {
      started = true;
      pollThread.start();
      LOG.info(
          "Worker {} consuming {} in group {} (max {} in flight, transactional id {})",
          config.workerId(), config.inputTopic().name(), config.groupId(), config.maxInFlight(), config.transactionalId());
    }
    return this;
  }

  public TierWorkerConfig config() {
    return config;
  }

  /** Requests in hand: running on the pool or fetched and waiting for a free slot. */
  public int inFlight() {
    return inHand.get();
  }

  public int maxInFlight() {
    return config.maxInFlight();
  }

  /** The partitions this instance owns right now. */
  public Set<TopicPartition> assignment() {
    return assignment;
  }

  public boolean running() {
    return started && pollThread.isAlive();
  }

  /**
   * Graceful stop: fetches nothing new, waits up to {@code shutdownTimeout} for in-flight requests,
   * commits what completed, leaves the group.
   */
  @Override
  public void close() {
    stopping.set(true);
    wakeup();
    join();
  }

  /**
   * Fault injection (tests, chaos drills): dies like {@code kill -9} would, right now — nothing more
   * is committed, in-flight requests keep running but their outcomes are thrown away, the producer
   * is closed without committing. The group notices (the consumer leaves without a final commit)
   * and the partitions' uncommitted requests go to another instance.
   */
  public void crash() {
    crashed.set(true);
    stopping.set(true);
    wakeup();
    join();
  }

  /**
   * Fault injection: the next transaction sends its outputs, then the instance dies before
   * committing it (the open transaction is aborted by the broker when it times out, or at once when
   * an instance with the same transactional id starts).
   */
  public void crashBeforeNextCommit() {
    crashBeforeNextCommit.set(true);
  }

  private void join() {
    if (!started) {
      pool.shutdownNow();
      return;
    }
    try {
      pollThread.join(config.shutdownTimeout().plusSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void wakeup() {
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null && wakeupRequested.compareAndSet(false, true)) {
      try {
        c.wakeup();
      } catch (RuntimeException e) {
        // closed already: nothing to wake
      }
    }
  }

  // ---------------------------------------------------------------- poll thread

  private void run() {
    try {
      consumer = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(), new ByteArrayDeserializer());
      producer = newProducer();
      consumer.subscribe(List.of(config.inputTopic().name()), new Rebalance());
      while (!stopping.get()) {
        try {
          loopOnce(config.pollTimeout());
        } catch (WakeupException e) {
          // a completion woke a blocking consumer call other than poll: harmless, loop again
        } catch (CrashedException e) {
          throw e;
        } catch (RuntimeException e) {
          LOG.error("Worker {} poll loop error, resetting to committed offsets: {}", config.workerId(), e.toString(), e);
          recover();
        }
      }
      if (!crashed.get()) {
        drainForShutdown();
      }
    } catch (CrashedException e) {
      LOG.warn("Worker {} crashed on purpose before committing a transaction", config.workerId());
    } catch (RuntimeException e) {
      LOG.error("Worker {} poll loop failed: {}", config.workerId(), e.toString(), e);
    } finally {
      shutdownClients();
    }
  }

  private void loopOnce(Duration pollTimeout) {
    ConsumerRecords<String, byte[]> records;
    try {
      records = consumer.poll(pollTimeout);
    } catch (WakeupException e) {
      records = ConsumerRecords.empty();
    } finally {
      wakeupRequested.set(false);
    }
    for (ConsumerRecord<String, byte[]> record : records) {
      if (crashed.get()) {
        return;
      }
      accept(record);
    }
    startWaiting();
    if (!crashed.get()) {
      commitCompleted(null);
    }
    adjustPause();
  }

  private void accept(ConsumerRecord<String, byte[]> record) {
    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
    Slot slot = new Slot(tp, record);
    slots.computeIfAbsent(tp, k -> new ArrayDeque<>()).addLast(slot);
    inHand.incrementAndGet();
    RoutedRequest[] decoded = new RoutedRequest[1];
    boolean accepted = inbound.process(config.inputTopic(), record, value -> decoded[0] = value);
    if (!accepted || decoded[0] == null) {
      if (accepted) {
        LOG.warn("Skipping tombstone at {}-{}@{}", record.topic(), record.partition(), record.offset());
      }
      slot.finish(WorkOutcome.none(), null);
      return;
    }
    slot.request = decoded[0];
    waiting.addLast(slot);
  }

  private void startWaiting() {
    while (!waiting.isEmpty() && runningCount() < config.maxInFlight()) {
      Slot slot = waiting.pollFirst();
      if (slot.dropped) {
        continue;
      }
      slot.work = new Work(slot.request, env);
      slot.future = pool.submit(() -> handle(slot));
    }
  }

  private int runningCount() {
    int n = 0;
    for (Deque<Slot> d : slots.values()) {
      for (Slot s : d) {
        if (s.future != null && !s.done) {
          n++;
        }
      }
    }
    return n;
  }

  /** On a pool thread: the handler, with every way out turned into an outcome to publish. */
  private void handle(Slot slot) {
    Work work = slot.work;
    WorkOutcome outcome;
    Throwable error = null;
    try {
      outcome = handler.handle(work);
      if (outcome == null) {
        throw new IllegalStateException("handler returned no outcome");
      }
      guardSovereignty(work, outcome);
    } catch (InvalidInputException e) {
      error = e;
      outcome = safely(slot, () -> work.reject("invalid_input", e.getMessage()), e);
      if (outcome != null) {
        try {
          inbound.deadLetters().send(slot.record, e);
        } catch (RuntimeException dlqFailure) {
          LOG.warn("Could not dead-letter invalid request {}: {}", work.requestId(), dlqFailure.toString());
        }
      }
    } catch (SovereigntyViolationException e) {
      error = e;
      LOG.error("Sovereignty guard refused an output for request {}: {}", work.requestId(), e.getMessage());
      outcome = safely(slot, () -> work.reject("sovereignty_violation", e.getMessage()), e);
    } catch (InterruptedException | java.util.concurrent.CancellationException e) {
      // the runtime gave the request up (revoked partition, shutdown): the outcome is not published
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      error = e;
      LOG.debug("Request {} given up: {}", work.requestId(), e.toString());
      outcome = safely(slot, () -> work.fail("worker_interrupted", "the worker gave the request up"), e);
    } catch (Exception | Error e) {
      error = e;
      LOG.error("Handler failed for request {}: {}", work.requestId(), e.toString(), e);
      outcome = safely(slot, () -> work.fail("worker_error", e.getClass().getSimpleName() + ": " + e.getMessage()), e);
    }
    slot.finish(outcome == null ? WorkOutcome.none() : outcome, error);
    wakeup();
  }

  private WorkOutcome safely(Slot slot, java.util.function.Supplier<WorkOutcome> build, Throwable cause) {
    try {
      return build.get();
    } catch (RuntimeException e) {
      // cannot even describe the failure: dead-letter the record so nothing is dropped silently
      e.addSuppressed(cause);
      try {
        inbound.deadLetters().send(slot.record, e);
      } catch (RuntimeException dlqFailure) {
        LOG.error("Could not dead-letter {}: {}", slot.record.key(), dlqFailure.toString());
      }
      return null;
    }
  }

  private void guardSovereignty(Work work, WorkOutcome outcome) {
    if (outcome.handOff().isPresent()
        && Sovereignty.isSovereign(work.request())
        && env.isCloudTopic(outcome.handOff().get().topic().name())) {
      throw new SovereigntyViolationException(
          "sovereign request " + work.requestId() + " handed to " + outcome.handOff().get().topic().name());
    }
  }

  /**
   * Publishes the completed prefix of each partition (all partitions when {@code only} is null) in
   * one transaction with the offsets that cover it. On an abortable error the slots go back and are
   * retried on the next loop; on a fatal one (fenced) this instance resets to the committed offsets.
   */
  private void commitCompleted(Collection<TopicPartition> only) {
    Map<TopicPartition, List<Slot>> ready = new HashMap<>();
    for (Map.Entry<TopicPartition, Deque<Slot>> e : slots.entrySet()) {
      if (only != null && !only.contains(e.getKey())) {
        continue;
      }
      Deque<Slot> deque = e.getValue();
      List<Slot> prefix = new ArrayList<>();
      for (Slot s : deque) {
        if (!s.done) {
          break;
        }
        prefix.add(s);
      }
      if (!prefix.isEmpty()) {
        ready.put(e.getKey(), prefix);
      }
    }
    if (ready.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    List<Output<?>> outputs = new ArrayList<>();
    for (Map.Entry<TopicPartition, List<Slot>> e : ready.entrySet()) {
      List<Slot> prefix = e.getValue();
      offsets.put(e.getKey(), new OffsetAndMetadata(prefix.get(prefix.size() - 1).record.offset() + 1));
      for (Slot s : prefix) {
        outputs.addAll(s.outcome.outputs());
      }
    }
    try {
      producer.beginTransaction();
      for (Output<?> out : outputs) {
        producer.send(new ProducerRecord<String, SpecificRecord>(out.topic().name(), out.key(), out.value()));
      }
      if (crashBeforeNextCommit.get()) {
        producer.flush();
        crashed.set(true);
        stopping.set(true);
        throw new CrashedException();
      }
      producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
      producer.commitTransaction();
    } catch (CrashedException e) {
      throw e;
    } catch (ProducerFencedException
        | InvalidProducerEpochException
        | FencedInstanceIdException
        | OutOfOrderSequenceException
        | AuthorizationException
        | UnsupportedVersionException
        | IllegalStateException e) {
      abortedTransactions.increment();
      LOG.warn("Worker {} fenced or broken producer ({}): resetting to committed offsets", config.workerId(), e.toString());
      recreateProducer();
      resetToCommitted();
      return;
    } catch (KafkaException e) {
      abortedTransactions.increment();
      LOG.warn("Worker {} transaction aborted ({}); will retry {} request(s)", config.workerId(), e.toString(), outputs.size());
      try {
        producer.abortTransaction();
      } catch (KafkaException abortFailure) {
        recreateProducer();
        resetToCommitted();
      }
      return;
    }
    committedTransactions.increment();
    for (Map.Entry<TopicPartition, List<Slot>> e : ready.entrySet()) {
      Deque<Slot> deque = slots.get(e.getKey());
      for (Slot s : e.getValue()) {
        deque.pollFirst();
        inHand.decrementAndGet();
        recordMetrics(s);
      }
    }
  }

  private void recordMetrics(Slot s) {
    String tier = env.tier().name();
    WorkOutcome o = s.outcome;
    boolean simulated = o.result().map(InferenceResult::getSimulated).orElse(false);
    meters.counter("tiergate.worker.requests", "tier", tier, "outcome", o.kind().name(), "simulated", Boolean.toString(simulated))
        .increment();
    if (s.work == null) {
      return;
    }
    for (Attempt a : s.work.attempts()) {
      meters.counter(
              "tiergate.worker.attempts",
              "tier", tier, "model", a.model(), "reason", a.reason().name(),
              "success", Boolean.toString(a.success()), "simulated", Boolean.toString(a.simulated()))
          .increment();
      Timer.builder("tiergate.worker.attempt.latency")
          .tags("tier", tier, "model", a.model(), "simulated", Boolean.toString(a.simulated()))
          .register(meters)
          .record(a.latency());
    }
    for (CostEvent c : o.costEvents()) {
      // metrics are approximate by nature; the exact figure is the CostEvent's decimal
      meters.counter("tiergate.worker.cost.usd", "tier", tier, "model", c.getModel(), "simulated", Boolean.toString(c.getSimulated()))
          .increment(c.getCostUsd().doubleValue());
    }
  }

  private void adjustPause() {
    Set<TopicPartition> owned = consumer.assignment();
    paused.retainAll(owned);
    if (inHand.get() >= config.maxInFlight() || stopping.get()) {
      Set<TopicPartition> toPause = new HashSet<>(owned);
      toPause.removeAll(paused);
      if (!toPause.isEmpty()) {
        consumer.pause(toPause);
        paused.addAll(toPause);
      }
    } else if (!paused.isEmpty()) {
      consumer.resume(paused);
      paused.clear();
    }
  }

  private void drainForShutdown() {
    long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
    for (Slot s : waiting) {
      s.dropped = true;
    }
    waiting.clear();
    adjustPause();
    while (runningCount() > 0 && System.nanoTime() < deadline && !crashed.get()) {
      loopOnce(Duration.ofMillis(50));
    }
    if (!crashed.get()) {
      commitCompleted(null);
    }
  }

  /** Drops everything in hand for {@code partitions} (the next owner, or a re-read, redelivers it). */
  private void drop(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      Deque<Slot> deque = slots.remove(tp);
      if (deque == null) {
        continue;
      }
      for (Slot s : deque) {
        s.dropped = true;
        if (s.work != null) {
          s.work.cancel();
        }
        if (s.future != null && !s.done) {
          s.future.cancel(true);
        }
        inHand.decrementAndGet();
      }
    }
    waiting.removeIf(s -> s.dropped);
  }

  private void recover() {
    try {
      Thread.sleep(1000);
      recreateProducer();
      resetToCommitted();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping.set(true);
    } catch (RuntimeException e) {
      LOG.error("Worker {} could not recover: {}", config.workerId(), e.toString());
    }
  }

  private void resetToCommitted() {
    Set<TopicPartition> owned = new HashSet<>(consumer.assignment());
    drop(new ArrayList<>(slots.keySet()));
    if (owned.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> committed = null;
    while (committed == null) {
      try {
        committed = consumer.committed(owned);
      } catch (WakeupException e) {
        // a completion of a request just dropped: ask again
      }
    }
    for (TopicPartition tp : owned) {
      OffsetAndMetadata c = committed.get(tp);
      if (c != null) {
        consumer.seek(tp, c);
      } else {
        consumer.seekToBeginning(List.of(tp));
      }
    }
  }

  private void awaitRunning(Collection<TopicPartition> partitions, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (TopicPartition tp : partitions) {
      Deque<Slot> deque = slots.get(tp);
      if (deque == null) {
        continue;
      }
      for (Slot s : deque) {
        Future<?> f = s.future;
        if (f == null || s.done) {
          continue;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        try {
          f.get(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (Exception e) {
          // timeout or a handler failure: the slot's own state says what happened
        }
      }
    }
  }

  private Map<String, Object> consumerConfig() {
    Map<String, Object> c = settings.base();
    c.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, config.workerId() + "-consumer");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // hand-offs from another worker are written transactionally: never act on an aborted one
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxInFlight());
    c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
    c.putAll(config.consumerOverrides());
    return c;
  }

  private KafkaProducer<String, SpecificRecord> newProducer() {
    Map<String, Object> p = settings.base();
    p.put(ProducerConfig.CLIENT_ID_CONFIG, config.workerId() + "-producer");
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
    // our transactions last milliseconds; a short timeout bounds how long a crashed instance's open
    // transaction can hold back read_committed readers (the broker aborts it after this)
    p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 15000);
    p.putAll(config.producerOverrides());
    KafkaProducer<String, SpecificRecord> created = new KafkaProducer<>(p, new StringSerializer(), avroSerializer(p));
    // fences an earlier producer with the same transactional id and aborts its open transaction
    created.initTransactions();
    return created;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static AvroSerializer<SpecificRecord> avroSerializer(Map<String, Object> config) {
    AvroSerializer serializer = new AvroSerializer<>();
    serializer.configure(config, false);
    return serializer;
  }

  private void recreateProducer() {
    try {
      producer.close(Duration.ZERO);
    } catch (RuntimeException e) {
      LOG.debug("closing a broken producer: {}", e.toString());
    }
    producer = newProducer();
  }

  private void shutdownClients() {
    boolean crash = crashed.get();
    for (Deque<Slot> deque : slots.values()) {
      for (Slot s : deque) {
        if (s.work != null) {
          s.work.cancel();
        }
      }
    }
    pool.shutdownNow();
    if (producer != null) {
      try {
        producer.close(crash ? Duration.ZERO : Duration.ofSeconds(10));
      } catch (RuntimeException e) {
        LOG.debug("producer close: {}", e.toString());
      }
    }
    if (consumer != null) {
      try {
        // leave at once even as a static member, so a scaled-down instance's partitions move now
        CloseOptions options = CloseOptions.timeout(Duration.ofSeconds(10));
        consumer.close(crash ? options : options.withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
      } catch (RuntimeException e) {
        LOG.debug("consumer close: {}", e.toString());
      }
    }
    assignment = Set.of();
    LOG.info("Worker {} stopped{}", config.workerId(), crash ? " (crash)" : "");
  }

  /** The poll thread's rebalance callbacks (they run inside poll, on the poll thread). */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty() && !crashed.get()) {
        // finish what can finish quickly, commit it while the generation is still ours
        awaitRunning(partitions, config.revokeDrainTimeout());
        try {
          commitCompleted(partitions);
        } catch (CrashedException e) {
          return;
        }
      }
      if (crashed.get()) {
        return;
      }
      drop(partitions);
      updateAssignment();
      if (!partitions.isEmpty()) {
        meters.counter("tiergate.worker.partitions.revoked", "tier", env.tier().name()).increment(partitions.size());
        LOG.info("Worker {} revoked {}", config.workerId(), partitions);
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      if (crashed.get()) {
        return;
      }
      drop(partitions);
      updateAssignment();
      meters.counter("tiergate.worker.partitions.lost", "tier", env.tier().name()).increment(partitions.size());
      LOG.warn("Worker {} lost {} (in-flight requests dropped; the new owner redelivers them)", config.workerId(), partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      updateAssignment();
      if (!partitions.isEmpty()) {
        LOG.info("Worker {} assigned {}", config.workerId(), partitions);
      }
    }

    private void updateAssignment() {
      assignment = Set.copyOf(consumer.assignment());
    }
  }

  /** One consumed record and what became of it. */
  private static final class Slot {
    final TopicPartition partition;
    final ConsumerRecord<String, byte[]> record;
    RoutedRequest request;
    volatile Work work;
    volatile Future<?> future;
    volatile WorkOutcome outcome;
    volatile boolean done;
    volatile boolean dropped;

    Slot(TopicPartition partition, ConsumerRecord<String, byte[]> record) {
      this.partition = partition;
      this.record = record;
    }

    void finish(WorkOutcome result, Throwable error) {
      this.outcome = result;
      this.done = true;
      if (error != null && LOG.isDebugEnabled()) {
        LOG.debug("{}@{} finished with {}", partition, record.offset(), error.toString());
      }
    }
  }

  /** Unwinds the poll loop when a fault injection says "die now". */
  private static final class CrashedException extends RuntimeException {
    CrashedException() {
      super("crashed on purpose", null, false, false);
    }
  }
}
