package io.tiergate.worker.kafka;

import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.serde.AvroSerializer;
import io.tiergate.worker.work.Output;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The worker's transactional {@link KafkaProducer} ({@code transactional.id = <prefix>-<workerId>}). */
final class KafkaOutboxProducer implements TransactionalOutbox.Producer {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaOutboxProducer.class);

    private final KafkaClientSettings settings;
    private final TierWorkerConfig config;
    private final Supplier<ConsumerGroupMetadata> group;
    private final CommittedCosts committedCosts;
    private final List<Sent> costsInTransaction = new ArrayList<>();
    private KafkaProducer<String, SpecificRecord> producer;

    /** Hears of every cost event once its transaction committed, with where it landed. */
    @FunctionalInterface
    interface CommittedCosts {
        CommittedCosts NONE = (cost, partition, offset) -> {};

        void committed(CostEvent cost, int partition, long offset);
    }

    private record Sent(CostEvent cost, Future<RecordMetadata> metadata) {}

    /**
     * @param group the consumer's group metadata: offsets commit only while its generation is current
     *     (KIP-447), which fences a zombie instance
     */
    KafkaOutboxProducer(
            KafkaClientSettings settings,
            TierWorkerConfig config,
            Supplier<ConsumerGroupMetadata> group,
            CommittedCosts committedCosts) {
        this.settings = settings;
        this.config = config;
        this.group = group;
        this.committedCosts = committedCosts;
    }

    @Override
    public void open() {
        producer = create();
    }

    @Override
    public void begin() {
        costsInTransaction.clear();
        producer.beginTransaction();
    }

    @Override
    public void send(Output<?> output) {
        Future<RecordMetadata> sent = producer.send(
                new ProducerRecord<String, SpecificRecord>(output.topic().name(), output.key(), output.value()));
        if (output.value() instanceof CostEvent cost) {
            costsInTransaction.add(new Sent(cost, sent));
        }
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public void sendOffsets(Map<TopicPartition, Long> nextOffsets) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        nextOffsets.forEach((tp, next) -> offsets.put(tp, new OffsetAndMetadata(next)));
        producer.sendOffsetsToTransaction(offsets, group.get());
    }

    @Override
    public void commit() {
        producer.commitTransaction();
        // commitTransaction flushed every send: the futures are complete, the offsets final and visible
        for (Sent s : costsInTransaction) {
            try {
                RecordMetadata m = s.metadata().get();
                committedCosts.committed(s.cost(), m.partition(), m.offset());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                LOG.debug("a committed cost event has no metadata: {}", e.toString());
            }
        }
        costsInTransaction.clear();
    }

    @Override
    public void abort() {
        costsInTransaction.clear();
        producer.abortTransaction();
    }

    @Override
    public void replace() {
        try {
            producer.close(Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.debug("closing a broken producer: {}", e.toString());
        }
        costsInTransaction.clear();
        producer = create();
    }

    @Override
    public void close(Duration timeout) {
        if (producer != null) {
            producer.close(timeout);
        }
    }

    private KafkaProducer<String, SpecificRecord> create() {
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
        KafkaProducer<String, SpecificRecord> created =
                new KafkaProducer<>(p, new StringSerializer(), avroSerializer(p));
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
}
