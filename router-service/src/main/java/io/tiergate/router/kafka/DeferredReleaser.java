package io.tiergate.router.kafka;

import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.router.budget.BudgetBook;
import io.tiergate.router.config.RouterConfiguration;
import io.tiergate.router.route.EventSink;
import io.tiergate.router.route.TierPublisher;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.ClassifiedRequest;
import io.tiergate.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-releases deferred requests: consumes {@code inference.deferred} (group
 * {@code tiergate-router-deferred}) and holds each request until neither its cost center nor the
 * global budget is reported EXHAUSTED any more (budget raised, period rolled over, budget deleted)
 * and it has been held at least {@code deferMinHold × 2^(deferrals-1)} (capped at
 * {@code deferMaxHold}), then publishes it back to {@code routing.by-cost-center} to be decided again.
 *
 * <p>Held requests live in memory; the committed offset of a partition is its oldest request still
 * held, so a restart re-reads exactly those (and, at least once, requests released after a held one).
 * Undecodable records go to {@code inference.deferred.dlq}.
 */
public final class DeferredReleaser implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeferredReleaser.class);
    private static final int MAX_HELD_PER_PARTITION = 100_000;

    private record Held(ClassifiedRequest request, int deferCount, long deferredAtMs) {}

    private final RouterConfiguration config;
    private final EventDecoder decoder;
    private final io.tiergate.platform.kafka.DeadLetters deadLetters;
    private final EventSink sink;
    private final BudgetBook budgets;
    private final Clock clock;
    private final RestartingConsumer loop;
    private final Map<TopicPartition, TreeMap<Long, Held>> held = new HashMap<>();
    private final Map<TopicPartition, Long> nextOffset = new HashMap<>();
    /** The current session's consumer (used on the loop's thread only). */
    private Consumer<String, byte[]> consumer;

    public DeferredReleaser(
            KafkaClientSettings client,
            RouterConfiguration config,
            EventDecoder decoder,
            io.tiergate.platform.kafka.DeadLetters deadLetters,
            EventSink sink,
            BudgetBook budgets,
            Clock clock,
            String clientId) {
        this.config = config;
        this.decoder = decoder;
        this.deadLetters = deadLetters;
        this.sink = sink;
        this.budgets = budgets;
        this.clock = clock;
        this.loop = new RestartingConsumer(
                "Deferred releaser",
                LOG,
                () -> RestartingConsumer.newConsumer(
                        RestartingConsumer.consumerConfig(client, config.deferredGroupId(), clientId)),
                this::forgetAll);
    }

    @Override
    public void run() {
        loop.run(this::consumeUntilStopped);
    }

    /** After a failed session: the next one re-reads from the committed offsets. */
    private void forgetAll() {
        held.clear();
        nextOffset.clear();
    }

    private void consumeUntilStopped(Consumer<String, byte[]> session) {
        consumer = session;
        consumer.subscribe(List.of(Topics.INFERENCE_DEFERRED.name()), new Rebalance());
        while (loop.running()) {
            boolean took = false;
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                take(record);
                took = true;
            }
            boolean released = releaseDue();
            if (took || released) {
                commit();
            }
            applyBackpressure();
        }
    }

    private void take(ConsumerRecord<String, byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        nextOffset.put(tp, record.offset() + 1);
        if (record.value() == null) {
            return;
        }
        ClassifiedRequest request;
        try {
            request = decoder.decode(Topics.INFERENCE_DEFERRED, record);
        } catch (EventDecoder.DecodeException e) {
            deadLetters.send(record, e);
            return;
        }
        Header h = record.headers().lastHeader(TierPublisher.DEFER_COUNT_HEADER);
        int count = Math.max(1, TierPublisher.deferCount(h == null ? null : h.value()));
        held.computeIfAbsent(tp, k -> new TreeMap<>())
                .put(record.offset(), new Held(request, count, record.timestamp()));
    }

    /** Publishes every held request whose budget allows it again; true when something was released. */
    private boolean releaseDue() {
        long now = clock.millis();
        List<CompletableFuture<?>> sends = new ArrayList<>();
        List<Runnable> removals = new ArrayList<>();
        for (Map.Entry<TopicPartition, TreeMap<Long, Held>> e : held.entrySet()) {
            for (Iterator<Map.Entry<Long, Held>> it = e.getValue().entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Long, Held> entry = it.next();
                Held h = entry.getValue();
                if (releasable(h, now)) {
                    String costCenter = h.request().getRequest().getCostCenter();
                    sends.add(sink.send(
                            Topics.ROUTING_BY_COST_CENTER,
                            costCenter,
                            h.request(),
                            Map.of(
                                    TierPublisher.DEFER_COUNT_HEADER,
                                    String.valueOf(h.deferCount()).getBytes(StandardCharsets.UTF_8))));
                    TreeMap<Long, Held> map = e.getValue();
                    Long offset = entry.getKey();
                    removals.add(() -> map.remove(offset));
                }
            }
        }
        if (sends.isEmpty()) {
            return false;
        }
        try {
            CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
        } catch (Exception ex) {
            if (ex instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // nothing is removed: the requests stay held and are released again on the next pass
            LOG.warn("Releasing {} deferred requests failed: {}", sends.size(), ex.toString());
            return false;
        }
        removals.forEach(Runnable::run);
        LOG.info("Released {} deferred requests back to routing", sends.size());
        return true;
    }

    private boolean releasable(Held h, long now) {
        long hold = config.deferMinHold().toMillis() << Math.min(20, h.deferCount() - 1);
        hold = Math.min(hold, config.deferMaxHold().toMillis());
        if (now - h.deferredAtMs() < hold) {
            return false;
        }
        String costCenter = h.request().getRequest().getCostCenter();
        return budgets.reportedLevel(costCenter) != BudgetLevel.EXHAUSTED
                && budgets.reportedLevel(Topics.GLOBAL_SCOPE) != BudgetLevel.EXHAUSTED;
    }

    /** Commits, per partition, the oldest offset still held (or everything read when nothing is held). */
    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Map.Entry<TopicPartition, Long> e : nextOffset.entrySet()) {
            TreeMap<Long, Held> h = held.get(e.getKey());
            long offset = h == null || h.isEmpty() ? e.getValue() : h.firstKey();
            offsets.put(e.getKey(), new OffsetAndMetadata(offset));
        }
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
        }
    }

    private void applyBackpressure() {
        List<TopicPartition> pause = new ArrayList<>();
        List<TopicPartition> resume = new ArrayList<>();
        for (TopicPartition tp : consumer.assignment()) {
            TreeMap<Long, Held> h = held.get(tp);
            int size = h == null ? 0 : h.size();
            if (size >= MAX_HELD_PER_PARTITION) {
                pause.add(tp);
            } else if (consumer.paused().contains(tp)) {
                resume.add(tp);
            }
        }
        consumer.pause(pause);
        consumer.resume(resume);
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                commit();
            } catch (RuntimeException e) {
                LOG.warn("Commit on revocation failed: {}", e.toString());
            }
            partitions.forEach(tp -> {
                held.remove(tp);
                nextOffset.remove(tp);
            });
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(tp -> {
                held.remove(tp);
                nextOffset.remove(tp);
            });
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
    }

    @Override
    public void close() {
        loop.close();
    }
}
