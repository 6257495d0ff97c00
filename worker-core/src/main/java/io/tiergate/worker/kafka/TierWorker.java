package io.tiergate.worker.kafka;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tiergate.platform.kafka.InboundRecords;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.topics.Topics;
import io.tiergate.worker.runtime.BudgetBoard;
import io.tiergate.worker.runtime.InFlightLedger;
import io.tiergate.worker.runtime.InFlightLedger.Committable;
import io.tiergate.worker.runtime.InFlightLedger.Entry;
import io.tiergate.worker.runtime.InHandRequests;
import io.tiergate.worker.runtime.WorkerMetrics;
import io.tiergate.worker.work.BudgetAdmission;
import io.tiergate.worker.work.RequestHandler;
import io.tiergate.worker.work.WorkEnvironment;
import io.tiergate.worker.work.WorkOutcome;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one tier topic: consumes {@link RoutedRequest}s, runs a {@link RequestHandler} per request
 * on a pool of {@code maxInFlight} threads, and publishes each request's {@link WorkOutcome} (cost
 * events, result or hand-off) <b>in one Kafka transaction with the consumed offset</b>; instances
 * share a consumer group. Guarantees, and the Kafka mechanism each rests on: docs/delivery.md.
 *
 * <p>One poll thread owns the Kafka clients and the {@link InFlightLedger} and never waits on a model
 * call. Each loop: fetch (nothing while {@code maxInFlight} requests are in hand), start what fits on
 * the pool, publish each partition's finished prefix with its offset. Revoked partitions get {@code
 * revokeDrainTimeout} to finish and commit, then are dropped; lost ones are dropped at once.
 */
public final class TierWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TierWorker.class);

    private final TierWorkerConfig config;
    private final InboundRecords inbound;
    private final FaultInjection faults;
    private final InFlightLedger<TopicPartition, InFlightRequest> ledger = new InFlightLedger<>();
    private final WorkerMetrics metrics;
    private final RequestRunner runner;
    private final WorkerConsumer consumer;
    private final TransactionalOutbox outbox;
    private final AttemptJournal journal;
    private final StreamChunkPublisher streams;
    private final KafkaClientSettings settings;
    private final BudgetBoard budgets; // null: no admission of unreserved calls
    private volatile BudgetStatusFollower budgetStatus;
    private final InHandRequests<TopicPartition> inHand = new InHandRequests<>(); // poll thread
    private final Thread pollThread;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile boolean started;
    private boolean killed; // poll thread

    public TierWorker(
            KafkaClientSettings settings,
            TierWorkerConfig config,
            WorkEnvironment env,
            RequestHandler handler,
            InboundRecords inbound,
            MeterRegistry meters) {
        this(settings, config, env, handler, inbound, meters, FaultInjection.NONE);
    }

    /** As above, asking {@code faults} whether to die at the points it names (tests, chaos drills). */
    public TierWorker(
            KafkaClientSettings settings,
            TierWorkerConfig config,
            WorkEnvironment env,
            RequestHandler handler,
            InboundRecords inbound,
            MeterRegistry meters,
            FaultInjection faults) {
        this(settings, config, env, handler, inbound, meters, faults, null);
    }

    /**
     * As above, admitting every call the router did not reserve (retry, fallback, escalation) against
     * {@code budgets} (docs/budgets.md, "Every paid call reserved"), which this worker keeps current
     * from {@code budget.status} while it runs and tells of its own calls (written ahead, then
     * committed).
     *
     * @param budgets null: no budget admission (the router's reservation of the primary call only)
     */
    public TierWorker(
            KafkaClientSettings settings,
            TierWorkerConfig config,
            WorkEnvironment env,
            RequestHandler handler,
            InboundRecords inbound,
            MeterRegistry meters,
            FaultInjection faults,
            BudgetBoard budgets) {
        this.settings = settings;
        this.budgets = budgets;
        this.config = config;
        this.inbound = inbound;
        this.faults = faults;
        this.metrics = new WorkerMetrics(meters, env.tier(), ledger);
        this.journal = new AttemptJournal(settings, config, env.clock());
        this.streams = new StreamChunkPublisher(settings, config);
        this.runner = new RequestRunner(
                config,
                env,
                handler,
                inbound.deadLetters(),
                journal,
                budgets != null ? budgets : BudgetAdmission.NONE,
                streams);
        this.consumer = new WorkerConsumer(settings, config);
        this.outbox = new TransactionalOutbox(
                new KafkaOutboxProducer(
                        settings,
                        config,
                        consumer::groupMetadata,
                        budgets != null ? budgets::committed : KafkaOutboxProducer.CommittedCosts.NONE),
                faults,
                metrics,
                config.workerId());
        this.pollThread = new Thread(this::run, "tiergate-" + config.workerId() + "-poll");
        if (budgets != null) {
            Gauge.builder(
                            "tiergate.worker.budget.held.usd",
                            budgets,
                            b -> b.held(Topics.GLOBAL_SCOPE).doubleValue())
                    .tag("tier", env.tier().name())
                    .description("this worker's cloud calls not yet in a budget.status (worst case while running)")
                    .register(meters);
        }
    }

    /** Starts consuming (idempotent). */
    public synchronized TierWorker start() {
        if (!started) {
            started = true;
            if (budgets != null) {
                budgetStatus = BudgetStatusFollower.start(settings, budgets, config.workerId() + "-budget-status");
            }
            pollThread.start();
            LOG.info(
                    "Worker {} consuming {} in group {} (max {} in flight, transactional id {})",
                    config.workerId(),
                    config.inputTopic().name(),
                    config.groupId(),
                    config.maxInFlight(),
                    config.transactionalId());
        }
        return this;
    }

    public TierWorkerConfig config() {
        return config;
    }

    /** Requests in hand: running, waiting for a pool thread, or finished and not yet committed. */
    public int inFlight() {
        return ledger.size();
    }

    public int maxInFlight() {
        return config.maxInFlight();
    }

    /** The partitions this instance owns right now. */
    public Set<TopicPartition> assignment() {
        return consumer.owned();
    }

    public boolean running() {
        return started && pollThread.isAlive();
    }

    /** Graceful stop: fetches nothing new, waits up to {@code shutdownTimeout} for in-flight requests, commits, leaves the group. */
    @Override
    public void close() {
        stopping.set(true);
        consumer.wakeup();
        try {
            pollThread.join(config.shutdownTimeout().plusSeconds(30).toMillis()); // at once when never started
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!started) {
            runner.shutdownNow();
            streams.close();
        }
    }

    // ---------------------------------------------------------------- poll thread

    private void run() {
        try {
            if (!awaitBudgets()) {
                return;
            }
            journal.open();
            consumer.open(this::revoked, this::lost, partitions -> journal.requireSync());
            outbox.open();
            while (!stopping.get() && !killed()) {
                try {
                    loopOnce(config.pollTimeout());
                } catch (WakeupException e) {
                    // a completion woke a blocking consumer call other than poll: harmless, loop again
                } catch (RuntimeException e) {
                    LOG.error(
                            "Worker {} poll loop error, resetting to committed offsets: {}",
                            config.workerId(),
                            e.toString(),
                            e);
                    recover();
                }
            }
            if (!killed()) {
                drainForShutdown();
            }
        } catch (RuntimeException e) {
            LOG.error("Worker {} poll loop failed: {}", config.workerId(), e.toString(), e);
        } finally {
            shutdown();
        }
    }

    private void loopOnce(Duration pollTimeout) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(pollTimeout)) {
            if (killed()) {
                return;
            }
            InFlightRequest request = InFlightRequest.read(record, config.inputTopic(), inbound);
            Entry<TopicPartition, InFlightRequest> entry =
                    ledger.track(new TopicPartition(record.topic(), record.partition()), record.offset(), request);
            if (request.request == null) {
                ledger.complete(entry); // dead-lettered: nothing to run, its offset commits with the others
            } else if (inHand.track(
                            entry.partition(),
                            request.request.getClassified().getRequest().getRequestId(),
                            record.offset())
                    .isPresent()) {
                // a copy of a request still in hand (an at-least-once hop sent it twice): it commits
                // after the first, publishing nothing, and no model is called for it
                request.duplicate = true;
                request.outcome = WorkOutcome.none();
                ledger.complete(entry);
            }
        }
        for (Entry<TopicPartition, InFlightRequest> entry : ledger.startUpTo(config.maxInFlight())) {
            runner.start(entry.item(), () -> {
                ledger.complete(entry);
                consumer.wakeup();
            });
        }
        commitFinished(ledger.partitions());
        consumer.hold(ledger.size() >= config.maxInFlight() || stopping.get());
    }

    /** Publishes the finished prefix of each of {@code partitions} in one transaction with the offsets that cover it. */
    private void commitFinished(Collection<TopicPartition> partitions) {
        Committable<TopicPartition, InFlightRequest> ready = ledger.committable(partitions);
        if (ready.isEmpty() || killed()) {
            return;
        }
        switch (outbox.publish(InFlightRequest.outputsOf(ready.items()), ready.nextOffsets())) {
            case COMMITTED -> {
                ledger.release(ready);
                for (InFlightRequest r : ready.items()) {
                    metrics.committed(r.outcome, r.attempts());
                    metrics.inDoubtSettled(r.inDoubt());
                    if (r.duplicate) {
                        metrics.duplicateSkipped();
                    }
                    if (r.request != null) {
                        inHand.release(
                                new TopicPartition(r.record.topic(), r.record.partition()),
                                r.request.getClassified().getRequest().getRequestId(),
                                r.record.offset());
                    }
                }
            }
            case RETRY -> {} // the prefixes stay in hand and go out with the next transaction
            case RESET -> resetToCommitted();
            case KILLED -> killed = true;
        }
    }

    private void drainForShutdown() {
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        ledger.abandonWaiting();
        consumer.hold(true);
        while (ledger.running() > 0 && System.nanoTime() < deadline && !killed()) {
            loopOnce(Duration.ofMillis(50));
        }
        commitFinished(ledger.partitions());
    }

    /** True once fault injection has killed this instance: from then on it commits nothing. */
    private boolean killed() {
        killed = killed || faults.killed();
        return killed;
    }

    private void resetToCommitted() {
        dropInHand(ledger.partitions());
        journal.requireSync(); // the records read again may have attempts started by this instance
        consumer.seekToCommitted();
    }

    /** Gives up the requests in hand of {@code partitions}: they will be read again, here or elsewhere. */
    private void dropInHand(Collection<TopicPartition> partitions) {
        List<TopicPartition> dropped = List.copyOf(partitions);
        ledger.drop(dropped).forEach(InFlightRequest::cancel);
        dropped.forEach(inHand::releaseAll);
    }

    private void recover() {
        try {
            Thread.sleep(1000);
            outbox.replaceProducer();
            resetToCommitted();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.set(true);
        } catch (RuntimeException e) {
            LOG.error("Worker {} could not recover: {}", config.workerId(), e.toString());
        }
    }

    private void shutdown() {
        boolean kill = killed();
        ledger.items().forEach(InFlightRequest::cancelWork);
        runner.shutdownNow();
        outbox.close(kill);
        consumer.close(kill);
        journal.close();
        streams.close();
        if (budgetStatus != null) {
            budgetStatus.close();
        }
        LOG.info("Worker {} stopped{}", config.workerId(), kill ? " (killed)" : "");
    }

    /**
     * Serves nothing before budget.status has been read to the end it had at start: a call admitted
     * against a half-read view could pass a limit (docs/budgets.md, "Every paid call reserved").
     * Waits as long as it takes, saying so every 10 s; false when the worker stopped meanwhile.
     */
    private boolean awaitBudgets() {
        BudgetStatusFollower view = budgetStatus;
        if (view == null) {
            return true;
        }
        try {
            while (!view.awaitCaughtUp(Duration.ofSeconds(10))) {
                if (stopping.get()) {
                    return false;
                }
                LOG.warn("Worker {} waits for budget.status to be read before serving", config.workerId());
            }
            return !stopping.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Revoked: what finishes within {@code revokeDrainTimeout} commits while the generation is still ours, the rest is dropped. */
    private void revoked(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty() || killed()) {
            return;
        }
        InFlightRequest.awaitAll(ledger.unfinished(partitions), config.revokeDrainTimeout());
        commitFinished(partitions);
        if (!killed()) {
            dropInHand(partitions); // the next owner redelivers them
            metrics.partitionsRevoked(partitions.size());
            LOG.info("Worker {} revoked {}", config.workerId(), partitions);
        }
    }

    /** Lost: another member may own the partitions already, so nothing of them commits. */
    private void lost(Collection<TopicPartition> partitions) {
        if (!killed()) {
            dropInHand(partitions);
            metrics.partitionsLost(partitions.size());
            LOG.warn(
                    "Worker {} lost {} (in-flight requests dropped; the new owner redelivers them)",
                    config.workerId(),
                    partitions);
        }
    }
}
