package io.tiergate.worker.kafka;

import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.schemas.serde.AvroSerializer;
import io.tiergate.worker.work.Output;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
    private KafkaProducer<String, SpecificRecord> producer;

    /**
     * @param group the consumer's group metadata: offsets commit only while its generation is current
     *     (KIP-447), which fences a zombie instance
     */
    KafkaOutboxProducer(KafkaClientSettings settings, TierWorkerConfig config, Supplier<ConsumerGroupMetadata> group) {
        this.settings = settings;
        this.config = config;
        this.group = group;
    }

    @Override
    public void open() {
        producer = create();
    }

    @Override
    public void begin() {
        producer.beginTransaction();
    }

    @Override
    public void send(Output<?> output) {
        producer.send(new ProducerRecord<String, SpecificRecord>(output.topic().name(), output.key(), output.value()));
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
    }

    @Override
    public void abort() {
        producer.abortTransaction();
    }

    @Override
    public void replace() {
        try {
            producer.close(Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.debug("closing a broken producer: {}", e.toString());
        }
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
