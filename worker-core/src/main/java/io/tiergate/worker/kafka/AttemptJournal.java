package io.tiergate.worker.kafka;

import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.read.ReadSpec;
import io.tiergate.platform.kafka.read.StartAt;
import io.tiergate.platform.kafka.read.TopicFollower;
import io.tiergate.schemas.events.AttemptStarted;
import io.tiergate.schemas.events.RoutedRequest;
import io.tiergate.schemas.serde.AvroSerializer;
import io.tiergate.worker.runtime.StartedAttempts;
import io.tiergate.worker.work.Delivery;
import io.tiergate.worker.work.Takeover;
import io.tiergate.worker.work.WriteAhead;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's side of {@code inference.attempts} (docs/delivery.md, "Write-ahead attempts"):
 *
 * <ul>
 *   <li><b>writes</b> each attempt-started record with an idempotent, non-transactional producer
 *       ({@code acks=all}) and returns only once the broker acknowledged it, so a model call is
 *       made only after its record is durable. Not in the outbox transaction on purpose: that one
 *       commits after the call, and a crash before it would lose the record with the call;
 *   <li><b>follows</b> the topic (from {@code attemptsMemory} ago, all partitions, no group) into
 *       {@link StartedAttempts}, its own writes added as soon as they are acknowledged;
 *   <li><b>decides a takeover</b> ({@link Takeover}) for each request before its handler runs,
 *       after the view has read everything that was on the topic when the worker last got
 *       partitions ({@link #requireSync()}): every attempt a previous owner started is there, since
 *       it was acknowledged before that owner's call and that owner lost the partition before this
 *       one got it. The topic carries no transactions, so its end offsets are its last stable
 *       offsets and nothing holds the view back.
 * </ul>
 */
final class AttemptJournal implements WriteAhead, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AttemptJournal.class);

    private final KafkaClientSettings settings;
    private final TierWorkerConfig config;
    private final Clock clock;
    private final StartedAttempts known;
    private final EventDecoder decoder;
    private final AtomicLong required = new AtomicLong(1);
    private final Object syncLock = new Object();
    private final Object progress = new Object();
    private final Map<Integer, Long> nextOffsets = new HashMap<>(); // guarded by progress
    private long synced; // guarded by syncLock
    private Map<Integer, Long> endsAtStart = Map.of();
    private KafkaProducer<String, SpecificRecord> producer;
    private KafkaConsumer<String, byte[]> offsets; // guarded by syncLock
    private TopicFollower follower;

    AttemptJournal(KafkaClientSettings settings, TierWorkerConfig config, Clock clock) {
        this.settings = settings;
        this.config = config;
        this.clock = clock;
        this.known = new StartedAttempts(config.attemptsMemory());
        this.decoder = new EventDecoder(settings);
    }

    /** Creates the clients and starts following; before the worker takes any request. */
    void open() {
        Map<String, Object> p = settings.base();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, config.workerId() + "-attempts");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producer = new KafkaProducer<>(p, new StringSerializer(), avroSerializer(p));
        offsets = new KafkaConsumer<>(
                settings.readerConfig(config.workerId() + "-attempts-offsets", false),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        synchronized (syncLock) {
            endsAtStart = endOffsets();
        }
        long from = clock.instant().minus(config.attemptsMemory()).toEpochMilli();
        follower = TopicFollower.start(
                settings,
                ReadSpec.of(config.workerId() + "-attempts-view").topic(config.attemptsTopic(), StartAt.at(from)),
                this::read);
    }

    private void read(ConsumerRecord<String, byte[]> record) {
        if (record.value() != null) {
            try {
                known.add(decoder.decode(config.attemptsTopic(), record), clock.instant());
            } catch (EventDecoder.DecodeException e) {
                LOG.warn("Skipping an undecodable attempt-started record: {}", e.toString());
            }
        }
        synchronized (progress) {
            nextOffsets.merge(record.partition(), record.offset() + 1, Math::max);
            progress.notifyAll();
        }
    }

    @Override
    public void started(AttemptStarted attempt) {
        try {
            producer.send(new ProducerRecord<>(config.attemptsTopic().name(), attempt.getRequestId(), attempt))
                    .get();
        } catch (ExecutionException e) {
            throw new NotDurableException(
                    "attempt " + attempt.getAttempt() + " of " + attempt.getRequestId() + " not written ahead: "
                            + e.getCause(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while writing attempt " + attempt.getAttempt() + " of "
                    + attempt.getRequestId() + " ahead");
        }
        known.add(attempt, clock.instant());
    }

    /**
     * Requests taken from now on wait until the view has read what is on the topic at their start.
     * Poll thread, on every assignment and every reset to the committed offsets.
     */
    void requireSync() {
        required.incrementAndGet();
    }

    /**
     * What {@code request}, read at {@code delivery}, owes before its first call; waits (on the
     * calling pool thread) for the view first.
     *
     * @throws CancellationException when {@code cancelled} turns true while waiting
     */
    Takeover takeover(RoutedRequest request, Delivery delivery, BooleanSupplier cancelled) {
        awaitSynced(cancelled);
        String id = request.getClassified().getRequest().getRequestId();
        return Takeover.of(request, delivery, known.of(id));
    }

    private void awaitSynced(BooleanSupplier cancelled) {
        long want = required.get();
        synchronized (syncLock) {
            if (synced >= want) {
                return;
            }
            Map<Integer, Long> barrier = endOffsets();
            synchronized (progress) {
                while (!readUpTo(barrier)) {
                    follower.check();
                    if (cancelled.getAsBoolean()) {
                        throw new CancellationException("given up while reading " + config.attemptsTopic());
                    }
                    try {
                        progress.wait(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new CancellationException("interrupted while reading " + config.attemptsTopic());
                    }
                }
            }
            synced = want;
        }
    }

    /** True when every record below {@code barrier} has been handed over (or lies before the view's start). */
    private boolean readUpTo(Map<Integer, Long> barrier) {
        boolean caughtUp;
        try {
            caughtUp = follower.awaitCaughtUp(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        }
        for (Map.Entry<Integer, Long> end : barrier.entrySet()) {
            long read = nextOffsets.getOrDefault(end.getKey(), -1L);
            boolean thereAtStart = caughtUp && end.getValue() <= endsAtStart.getOrDefault(end.getKey(), 0L);
            if (read < end.getValue() && !thereAtStart) {
                return false;
            }
        }
        return true;
    }

    private Map<Integer, Long> endOffsets() {
        List<PartitionInfo> partitions =
                offsets.partitionsFor(config.attemptsTopic().name());
        if (partitions == null || partitions.isEmpty()) {
            return Map.of();
        }
        Map<Integer, Long> ends = new HashMap<>();
        offsets.endOffsets(partitions.stream()
                        .map(pi -> new TopicPartition(pi.topic(), pi.partition()))
                        .toList())
                .forEach((tp, end) -> ends.put(tp.partition(), end));
        return ends;
    }

    /** How many attempts the view holds (tests, metrics). */
    int known() {
        return known.size();
    }

    @Override
    public void close() {
        if (follower != null) {
            follower.close();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        synchronized (syncLock) {
            if (offsets != null) {
                offsets.close();
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static AvroSerializer<SpecificRecord> avroSerializer(Map<String, Object> config) {
        AvroSerializer serializer = new AvroSerializer<>();
        serializer.configure(config, false);
        return serializer;
    }
}
