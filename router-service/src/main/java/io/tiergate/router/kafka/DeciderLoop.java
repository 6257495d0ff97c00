package io.tiergate.router.kafka;

import io.tiergate.platform.kafka.InboundRecords;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.router.budget.BudgetGate;
import io.tiergate.router.budget.ReservationLedger;
import io.tiergate.router.config.RouterConfiguration;
import io.tiergate.router.metrics.RouterMetrics;
import io.tiergate.router.policy.Decision;
import io.tiergate.router.route.DecidedRequests;
import io.tiergate.router.route.Deferral;
import io.tiergate.router.route.RoutingPipeline;
import io.tiergate.schemas.events.RoutingAction;
import io.tiergate.schemas.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decider of one router instance: consumes its partitions of {@code routing.by-cost-center}
 * (consumer group {@code tiergate-router}), so every cost center is decided by one instance, in
 * order. Per batch: route each request (decide, publish, reserve), wait until every send is
 * durable, then commit. If a send fails, the batch's reservations are cancelled and the batch is
 * consumed again (at least once: a request may be published twice, never lost).
 *
 * <p>On assignment it learns the partition count P (the global budget's share divisor), keeps only
 * the reservations of partitions it owns, and rebuilds those of newly owned partitions from the
 * audit log.
 *
 * <p>A record of a request this instance decided within {@code dedupe-window} is not decided again
 * ({@link DecidedRequests}; docs/budgets.md, "Duplicates"): the memory of newly owned partitions is
 * rebuilt from the same audit read.
 */
public final class DeciderLoop implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeciderLoop.class);

    private final RouterConfiguration config;
    private final InboundRecords inbound;
    private final RoutingPipeline pipeline;
    private final BudgetGate gate;
    private final AuditScan audit;
    private final DecidedRequests decidedIds;
    private final RouterMetrics metrics;
    private final Clock clock;
    private final RestartingConsumer loop;
    private final Set<Integer> owned = new HashSet<>();
    /** Offsets processed and durable, committed synchronously on revocation and close. */
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();

    private volatile Set<Integer> ownedView = Set.of();
    /** The current session's consumer (used on the loop's thread only). */
    private Consumer<String, byte[]> consumer;

    public DeciderLoop(
            KafkaClientSettings client,
            RouterConfiguration config,
            InboundRecords inbound,
            RoutingPipeline pipeline,
            BudgetGate gate,
            AuditScan audit,
            DecidedRequests decidedIds,
            RouterMetrics metrics,
            Clock clock,
            String clientId) {
        this.config = config;
        this.inbound = inbound;
        this.pipeline = pipeline;
        this.gate = gate;
        this.audit = audit;
        this.decidedIds = decidedIds;
        this.metrics = metrics;
        this.clock = clock;
        this.loop = new RestartingConsumer(
                "Router decider",
                LOG,
                () -> {
                    Map<String, Object> props =
                            RestartingConsumer.consumerConfig(client, config.deciderGroupId(), clientId);
                    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords());
                    return RestartingConsumer.newConsumer(props);
                },
                this::forgetAll);
    }

    @Override
    public void run() {
        // an unexpected failure (e.g. the audit scan timing out during a rebalance) must not stop
        // routing: start over with a fresh consumer, which rebuilds the reservations on assignment
        loop.run(this::consumeUntilStopped);
    }

    /** After a failed session: nothing is owned or pending until the next assignment. */
    private void forgetAll() {
        pending.clear();
        owned.clear();
        decidedIds.forgetAll();
        alignLedgerOwnership(Set.of(), 1);
    }

    private void consumeUntilStopped(Consumer<String, byte[]> session) {
        consumer = session;
        try {
            consumer.subscribe(List.of(Topics.ROUTING_BY_COST_CENTER.name()), new Rebalance());
            while (loop.running()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(config.pollTimeout());
                if (!records.isEmpty()) {
                    processBatch(records);
                }
            }
        } finally {
            commitPendingSync(pending.keySet());
        }
    }

    private void commitPendingSync(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata o = pending.get(tp);
            if (o != null) {
                offsets.put(tp, o);
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, Duration.ofSeconds(30));
            offsets.keySet().forEach(pending::remove);
        } catch (RuntimeException e) {
            LOG.warn(
                    "Offset commit of {} failed: {}; those records will be decided again",
                    offsets.keySet(),
                    e.toString());
        }
    }

    private void processBatch(ConsumerRecords<String, byte[]> records) {
        List<Decision> decided = new ArrayList<>();
        List<DecidedRequests.Undo> remembered = new ArrayList<>();
        List<CompletableFuture<?>> sends = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        try {
            for (ConsumerRecord<String, byte[]> record : records) {
                Deferral deferral = Deferral.of(
                        header(record, Deferral.COUNT_HEADER), header(record, Deferral.FIRST_DEFERRED_AT_HEADER));
                inbound.process(Topics.ROUTING_BY_COST_CENTER, record, classified -> {
                    String requestId = classified.getRequest().getRequestId();
                    // before the policy: a duplicate makes no reservation and publishes nothing
                    if (decidedIds.isDuplicate(record.partition(), requestId, deferral.count(), clock.millis())) {
                        metrics.duplicateSkipped();
                        LOG.debug(
                                "Skipped request {} at {}-{}@{} (defer count {}): already decided within {}",
                                requestId,
                                record.topic(),
                                record.partition(),
                                record.offset(),
                                deferral.count(),
                                config.dedupeWindow());
                        return;
                    }
                    RoutingPipeline.Routed routed = pipeline.route(classified, record.partition(), deferral);
                    Decision d = routed.decision();
                    decided.add(d);
                    sends.addAll(routed.sends());
                    remembered.add(decidedIds.record(
                            record.partition(),
                            d.requestId(),
                            d.action() == RoutingAction.DEFER,
                            d.decidedAt().toEpochMilli()));
                });
                commit.put(
                        new TopicPartition(record.topic(), record.partition()),
                        new OffsetAndMetadata(record.offset() + 1));
            }
            // the offsets commit only after every tier/audit record is durable: nothing is lost. The commit
            // itself is asynchronous (one round trip less per batch); a lost async commit only means the
            // batch is decided again after a crash. Revocation and close commit synchronously, so a
            // partition's next owner starts after everything this instance decided (see the rebuild).
            pipeline.flush(); // the batch is decided: its records go now, not after the producer's linger
            CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
            pending.putAll(commit);
            consumer.commitAsync(commit, (offsets, error) -> {
                if (error != null) {
                    LOG.warn(
                            "Async offset commit failed ({}); the next commit or revocation covers it",
                            error.toString());
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            retryBatch(records, decided, remembered, e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            if (e instanceof WakeupException) {
                throw (WakeupException) e;
            }
            retryBatch(records, decided, remembered, e);
        }
    }

    private void retryBatch(
            ConsumerRecords<String, byte[]> records,
            List<Decision> decided,
            List<DecidedRequests.Undo> remembered,
            Exception cause) {
        LOG.warn(
                "Routing batch of {} records failed ({}); cancelling its reservations and consuming it again",
                records.count(),
                cause.toString());
        decided.forEach(pipeline::rollback);
        decidedIds.undo(remembered); // the batch is decided again: its requests are not duplicates
        for (TopicPartition tp : records.partitions()) {
            consumer.seek(tp, records.records(tp).get(0).offset());
        }
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            loop.stop();
        }
    }

    private static byte[] header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : h.value();
    }

    /** Keeps the reservation ledger aligned with the partitions this instance decides. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commitPendingSync(partitions);
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions); // another member owns them already: no commit
        }

        private void forget(Collection<TopicPartition> partitions) {
            partitions.forEach(tp -> {
                owned.remove(tp.partition());
                pending.remove(tp);
            });
            decidedIds.forget(partitions.stream().map(TopicPartition::partition).toList());
            alignLedger();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Set<Integer> fresh = new HashSet<>();
            partitions.forEach(tp -> fresh.add(tp.partition()));
            owned.addAll(fresh);
            int count = alignLedger();
            if (fresh.isEmpty()) {
                return;
            }
            long now = clock.millis();
            long reservationsSince = now - config.reservationTimeout().toMillis();
            long dedupeSince = now - config.dedupeWindow().toMillis();
            List<AuditScan.Audited> past =
                    audit.decisionsSince(Math.min(reservationsSince, dedupeSince), Duration.ofSeconds(60));
            var cloud = AuditScan.cloudDecisions(past, reservationsSince);
            int rebuilt = gate.ledger().rebuild(fresh, cloud, now);
            int remembered = decidedIds.rebuild(
                    fresh,
                    past.stream()
                            .map(d -> new DecidedRequests.Past(
                                    d.requestId(),
                                    CostCenterPartitioning.partitionFor(d.costCenter(), count),
                                    d.action() == RoutingAction.DEFER,
                                    d.decidedAtMs()))
                            .toList(),
                    now);
            LOG.info(
                    "Deciding routing.by-cost-center partitions {} of {} (global budget share 1/{}); rebuilt {} open reservations from {} recent cloud decisions, {} decided request ids from {} decisions",
                    owned,
                    count,
                    count,
                    rebuilt,
                    cloud.size(),
                    remembered,
                    past.size());
        }

        private int alignLedger() {
            int count = Math.max(
                    1,
                    consumer.partitionsFor(Topics.ROUTING_BY_COST_CENTER.name()).size());
            alignLedgerOwnership(Set.copyOf(owned), count);
            return count;
        }
    }

    private void alignLedgerOwnership(Set<Integer> partitions, int count) {
        gate.globalShareDivisor(count);
        ReservationLedger ledger = gate.ledger();
        ledger.assign(partitions, cc -> CostCenterPartitioning.partitionFor(cc, count));
        ownedView = Set.copyOf(partitions);
    }

    /** The routing.by-cost-center partitions this instance decides right now. */
    public Set<Integer> ownedPartitions() {
        return ownedView;
    }

    @Override
    public void close() {
        loop.close();
    }
}
