package io.tiergate.router.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tiergate.platform.kafka.DeadLetters;
import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.EventPublisher;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.router.budget.BudgetBook;
import io.tiergate.router.config.RouterConfiguration;
import io.tiergate.router.defer.DeferralIndex;
import io.tiergate.router.defer.DeferralLimits;
import io.tiergate.router.route.DecisionEvents;
import io.tiergate.router.route.Deferral;
import io.tiergate.router.route.EventSink;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends every deferral (docs/budgets.md, "Deferral"): consumes {@code inference.deferred} (group
 * {@code tiergate-router-deferred}) and, for each deferred request, either publishes it back to
 * {@code routing.by-cost-center} once neither its cost center nor {@code global} is reported
 * EXHAUSTED and its back-off has passed, or gives it a REJECTED result: when it was first deferred
 * {@code defer-max-age} ago ({@code DEFERRAL_EXPIRED}), or when holding it would exceed
 * {@code defer-max-bytes} ({@code DEFERRAL_BACKLOG_FULL}).
 *
 * <p>It holds offsets, not requests ({@link DeferralIndex}); a request is read again by offset when
 * it is released or rejected. Each release or rejection also writes a <em>marker</em> to the same
 * partition of inference.deferred (null value, header {@value #DONE_HEADER} = the deferral's offset),
 * durable before the offset is committed. The committed offset of a partition is its oldest deferral
 * still held, so a restart reads from there: it rebuilds the index up to the end offsets it found at
 * assignment, dropping every deferral whose marker follows it, and only then releases, rejects or
 * enforces the byte bound again. Undecodable records go to {@code inference.deferred.dlq}.
 */
public final class DeferredReleaser implements Runnable, AutoCloseable {

    /** Marker header: the offset (same partition) of the deferral that was released or rejected. */
    public static final String DONE_HEADER = "tiergate.router.deferral-done";
    /** Marker header: what became of it ({@code released}, {@code rejected-expired}, {@code rejected-backlog-full}). */
    public static final String OUTCOME_HEADER = "tiergate.router.deferral-outcome";
    /** Deferrals released (and, separately, rejected as expired) per pass at most, oldest first. */
    static final int PASS_LIMIT = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(DeferredReleaser.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaClientSettings client;
    private final String clientId;
    private final Duration pollTimeout;
    private final EventDecoder decoder;
    private final DeadLetters deadLetters;
    private final EventSink sink;
    private final EventPublisher publisher;
    private final BudgetBook budgets;
    private final Clock clock;
    private final RestartingConsumer loop;
    private final DeferralIndex index;
    /** Partitions being rebuilt after an assignment, with the end offset found at assignment. */
    private final Map<TopicPartition, Long> rebuilding = new HashMap<>();

    private final AtomicLong heldGauge = new AtomicLong();
    private final AtomicLong heldBytesGauge = new AtomicLong();
    private final Counter released;
    private final Counter expired;
    private final Counter backlogFull;
    private final Counter lost;

    /** The current session's consumers (used on the loop's thread only). */
    private Consumer<String, byte[]> consumer;

    private volatile DeferredPayloads payloads;

    public DeferredReleaser(
            KafkaClientSettings client,
            RouterConfiguration config,
            EventDecoder decoder,
            DeadLetters deadLetters,
            EventSink sink,
            EventPublisher publisher,
            BudgetBook budgets,
            MeterRegistry registry,
            Clock clock,
            String clientId) {
        this.client = client;
        this.clientId = clientId;
        this.pollTimeout = Duration.ofMillis(Math.max(200, config.pollTimeout().toMillis()));
        this.decoder = decoder;
        this.deadLetters = deadLetters;
        this.sink = sink;
        this.publisher = publisher;
        this.budgets = budgets;
        this.clock = clock;
        this.index = new DeferralIndex(config.deferralLimits());
        this.loop = new RestartingConsumer(
                "Deferred releaser",
                LOG,
                () -> RestartingConsumer.newConsumer(
                        RestartingConsumer.consumerConfig(client, config.deferredGroupId(), clientId)),
                this::forgetAll);
        Gauge.builder("tiergate.router.deferred.held", heldGauge, AtomicLong::get)
                .description("deferred requests this instance holds")
                .register(registry);
        Gauge.builder("tiergate.router.deferred.held.bytes", heldBytesGauge, AtomicLong::get)
                .description("bytes of the deferred records this instance holds (bounded by defer-max-bytes)")
                .register(registry);
        this.released = registry.counter("tiergate.router.deferred.released");
        this.expired = registry.counter("tiergate.router.deferred.rejected", "reason", "expired");
        this.backlogFull = registry.counter("tiergate.router.deferred.rejected", "reason", "backlog-full");
        this.lost = registry.counter("tiergate.router.deferred.lost");
    }

    @Override
    public void run() {
        loop.run(this::consumeUntilStopped);
    }

    /** After a failed session: the next one rebuilds from the committed offsets. */
    private void forgetAll() {
        index.clear();
        rebuilding.clear();
        publishGauges();
    }

    private void consumeUntilStopped(Consumer<String, byte[]> session) {
        consumer = session;
        try (DeferredPayloads reader =
                new DeferredPayloads(client, Topics.INFERENCE_DEFERRED.name(), clientId + "-payloads")) {
            payloads = reader;
            consumer.subscribe(List.of(Topics.INFERENCE_DEFERRED.name()), new Rebalance());
            while (loop.running()) {
                List<CompletableFuture<?>> sends = new ArrayList<>();
                boolean took = false;
                for (ConsumerRecord<String, byte[]> record : consumer.poll(pollTimeout)) {
                    take(record, sends);
                    took = true;
                }
                // a failed send fails the session: the next one reads from the committed offset again
                awaitOrThrow(sends);
                boolean passed = pass();
                if (took || passed) {
                    commit();
                }
                publishGauges();
            }
        } finally {
            payloads = null;
        }
    }

    private void take(ConsumerRecord<String, byte[]> record, List<CompletableFuture<?>> sends) {
        int partition = record.partition();
        if (record.value() == null) {
            index.read(partition, record.offset());
            long done = number(record, DONE_HEADER);
            if (done >= 0) {
                index.remove(partition, done);
            }
            return;
        }
        ClassifiedRequest request;
        try {
            request = decoder.decode(Topics.INFERENCE_DEFERRED, record);
        } catch (EventDecoder.DecodeException e) {
            deadLetters.send(record, e);
            index.read(partition, record.offset());
            return;
        }
        Deferral deferral =
                Deferral.of(value(record, Deferral.COUNT_HEADER), value(record, Deferral.FIRST_DEFERRED_AT_HEADER));
        int bytes = Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
        String costCenter = request.getRequest().getCostCenter();
        TopicPartition tp = new TopicPartition(record.topic(), partition);
        Long rebuildEnd = rebuilding.get(tp);
        boolean enforceBound = rebuildEnd == null || record.offset() >= rebuildEnd;
        DeferralIndex.Admission admission = index.admit(
                partition,
                record.offset(),
                costCenter,
                deferral.firstDeferredAtOr(record.timestamp()),
                record.timestamp(),
                deferral.count(),
                bytes,
                enforceBound);
        if (admission == DeferralIndex.Admission.OVER_BYTES) {
            DeferralLimits limits = index.limits();
            String message = "Rejected without calling a model: the budget of cost center '" + costCenter
                    + "' or of global is exhausted with onExhausted=DEFER, and this router already holds "
                    + index.heldBytes() + " bytes of " + index.size() + " deferred requests; holding this one ("
                    + bytes + " bytes) would exceed tiergate.router.defer-max-bytes (" + limits.maxBytes()
                    + "). Raise the budget, or send the request again later.";
            sends.add(sink.send(
                    Topics.INFERENCE_RESULTS,
                    record.key(),
                    DecisionEvents.deferralRejected(
                            request,
                            DecisionEvents.DEFERRAL_BACKLOG_FULL,
                            message,
                            "deferral-backlog-full:" + costCenter,
                            clock.instant()),
                    Map.of()));
            sends.add(marker(partition, record.key(), record.offset(), "rejected-backlog-full"));
            backlogFull.increment();
        }
    }

    /** Releases and expires what is due; true when something was. Nothing happens while rebuilding. */
    private boolean pass() {
        if (!caughtUp()) {
            return false;
        }
        long now = clock.millis();
        DeferralIndex.Pass pass = index.due(
                now,
                cc -> budgets.reportedLevel(cc) != BudgetLevel.EXHAUSTED
                        && budgets.reportedLevel(Topics.GLOBAL_SCOPE) != BudgetLevel.EXHAUSTED,
                PASS_LIMIT);
        if (pass.isEmpty()) {
            return false;
        }
        Map<Integer, Map<Long, ConsumerRecord<String, byte[]>>> records;
        try {
            records = payloads.fetch(offsets(pass), Duration.ofSeconds(30));
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("Reading {} deferred requests again failed: {}", count(pass), e.toString());
            return false;
        }
        List<CompletableFuture<?>> sends = new ArrayList<>();
        List<DeferralIndex.Due> done = new ArrayList<>();
        int releasedNow = 0;
        int expiredNow = 0;
        for (DeferralIndex.Due due : pass.release()) {
            ClassifiedRequest request = payload(due, records, sends, done);
            if (request != null) {
                sends.add(sink.send(
                        Topics.ROUTING_BY_COST_CENTER,
                        due.costCenter(),
                        request,
                        new Deferral(due.deferCount(), due.deferredAtMs()).headers()));
                sends.add(marker(due, request, "released"));
                done.add(due);
                releasedNow++;
            }
        }
        Instant at = Instant.ofEpochMilli(now);
        for (DeferralIndex.Due due : pass.expire()) {
            ClassifiedRequest request = payload(due, records, sends, done);
            if (request != null) {
                sends.add(sink.send(
                        Topics.INFERENCE_RESULTS,
                        request.getRequest().getRequestId(),
                        DecisionEvents.deferralRejected(
                                request,
                                DecisionEvents.DEFERRAL_EXPIRED,
                                expiredMessage(due, at),
                                "deferral-expired:" + due.costCenter(),
                                at),
                        Map.of()));
                sends.add(marker(due, request, "rejected-expired"));
                done.add(due);
                expiredNow++;
            }
        }
        try {
            await(sends);
        } catch (WakeupException e) {
            throw e;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                loop.stop();
            }
            // nothing is forgotten: the next pass tries again (a request whose send did succeed may then
            // be released twice: at least once, never lost)
            LOG.warn("Releasing or rejecting {} deferred requests failed: {}", done.size(), e.toString());
            return false;
        }
        done.forEach(d -> index.remove(d.partition(), d.offset()));
        released.increment(releasedNow);
        expired.increment(expiredNow);
        LOG.info(
                "Deferred requests: released {}, rejected {} older than defer-max-age {}; {} still held",
                releasedNow,
                expiredNow,
                index.limits().maxAge(),
                index.size());
        return true;
    }

    /**
     * The request of a due deferral, read again; null when there is none to send: a record retention
     * removed (logged and counted as lost) or one that no longer decodes (dead-lettered).
     */
    private ClassifiedRequest payload(
            DeferralIndex.Due due,
            Map<Integer, Map<Long, ConsumerRecord<String, byte[]>>> records,
            List<CompletableFuture<?>> sends,
            List<DeferralIndex.Due> done) {
        ConsumerRecord<String, byte[]> record =
                records.getOrDefault(due.partition(), Map.of()).get(due.offset());
        if (record == null) {
            LOG.error(
                    "Deferred request at {}-{} offset {} is gone from the topic (retention shorter than one budget"
                            + " period + defer-max-age?): it gets no result",
                    Topics.INFERENCE_DEFERRED.name(),
                    due.partition(),
                    due.offset());
            lost.increment();
            index.remove(due.partition(), due.offset());
            return null;
        }
        try {
            return decoder.decode(Topics.INFERENCE_DEFERRED, record);
        } catch (EventDecoder.DecodeException e) {
            deadLetters.send(record, e);
            sends.add(marker(due.partition(), record.key(), due.offset(), "dead-lettered"));
            done.add(due);
            return null;
        }
    }

    private String expiredMessage(DeferralIndex.Due due, Instant now) {
        Duration age = Duration.ofMillis(now.toEpochMilli() - due.deferredAtMs());
        return "Rejected without calling a model: deferred since " + Instant.ofEpochMilli(due.deferredAtMs())
                + " (" + format(age) + ", " + due.deferCount() + " deferral(s)) while the budget of cost center '"
                + due.costCenter() + "' or of global stayed exhausted with onExhausted=DEFER, longer than"
                + " tiergate.router.defer-max-age (" + format(index.limits().maxAge())
                + "). Raise the budget and send the request again.";
    }

    private static String format(Duration d) {
        return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    private CompletableFuture<?> marker(DeferralIndex.Due due, ClassifiedRequest request, String outcome) {
        return marker(due.partition(), request.getRequest().getRequestId(), due.offset(), outcome);
    }

    /** The record that ends a deferral on the log: same partition, after it, null value. */
    private CompletableFuture<?> marker(int partition, String key, long offset, String outcome) {
        ProducerRecord<String, SpecificRecord> marker =
                new ProducerRecord<>(Topics.INFERENCE_DEFERRED.name(), partition, key, null);
        marker.headers().add(DONE_HEADER, String.valueOf(offset).getBytes(StandardCharsets.UTF_8));
        marker.headers().add(OUTCOME_HEADER, outcome.getBytes(StandardCharsets.UTF_8));
        return publisher.send(marker);
    }

    private static Map<Integer, long[]> offsets(DeferralIndex.Pass pass) {
        Map<Integer, List<Long>> byPartition = new TreeMap<>();
        for (List<DeferralIndex.Due> list : List.of(pass.release(), pass.expire())) {
            list.forEach(d -> byPartition
                    .computeIfAbsent(d.partition(), p -> new ArrayList<>())
                    .add(d.offset()));
        }
        Map<Integer, long[]> sorted = new HashMap<>();
        byPartition.forEach((p, list) ->
                sorted.put(p, list.stream().mapToLong(Long::longValue).sorted().toArray()));
        return sorted;
    }

    private static int count(DeferralIndex.Pass pass) {
        return pass.release().size() + pass.expire().size();
    }

    /** True when every assigned partition has been read up to the end offset found at its assignment. */
    private boolean caughtUp() {
        rebuilding.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
        return rebuilding.isEmpty();
    }

    /** Commits, per partition, the oldest offset still held (or everything read when nothing is held). */
    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            long offset = index.committable(tp.partition());
            if (offset >= 0) {
                offsets.put(tp, new OffsetAndMetadata(offset));
            }
        }
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
        }
    }

    private void publishGauges() {
        heldGauge.set(index.size());
        heldBytesGauge.set(index.heldBytes());
    }

    private static void awaitOrThrow(List<CompletableFuture<?>> sends) {
        try {
            await(sends);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while writing deferral results", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Writing deferral results failed: " + e.getMessage(), e);
        }
    }

    private static void await(List<CompletableFuture<?>> sends)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (!sends.isEmpty()) {
            CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0]))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static byte[] value(ConsumerRecord<?, ?> record, String header) {
        Header h = record.headers().lastHeader(header);
        return h == null ? null : h.value();
    }

    private static long number(ConsumerRecord<?, ?> record, String header) {
        byte[] v = value(record, header);
        if (v == null) {
            return -1;
        }
        try {
            return Long.parseLong(new String(v, StandardCharsets.UTF_8).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                commit();
            } catch (RuntimeException e) {
                LOG.warn("Commit on revocation failed: {}", e.toString());
            }
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            partitions.forEach(tp -> {
                index.drop(tp.partition());
                rebuilding.remove(tp);
            });
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            // read up to here before releasing, rejecting or enforcing the byte bound: the markers of
            // deferrals ended before the restart are somewhere in there
            rebuilding.putAll(consumer.endOffsets(partitions));
        }
    }

    @Override
    public void close() {
        loop.close();
        DeferredPayloads reader = payloads;
        if (reader != null) {
            reader.wakeup();
        }
    }
}
