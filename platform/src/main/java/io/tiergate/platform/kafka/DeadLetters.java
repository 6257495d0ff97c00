package io.tiergate.platform.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.tiergate.schemas.topics.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a record that cannot be processed to its topic's {@code .dlq} twin: the original key and
 * value bytes and headers, plus headers naming the error and where the record came from. The send
 * is waited for, so the caller may commit the source offset afterwards without losing anything.
 */
@Singleton
public class DeadLetters implements AutoCloseable {

    public static final String ERROR_CLASS = "tiergate.error.class";
    public static final String ERROR_MESSAGE = "tiergate.error.message";
    public static final String SOURCE_TOPIC = "tiergate.source.topic";
    public static final String SOURCE_PARTITION = "tiergate.source.partition";
    public static final String SOURCE_OFFSET = "tiergate.source.offset";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final MeterRegistry meters;

    public DeadLetters(KafkaClientSettings settings, MeterRegistry meters) {
        Map<String, Object> config = settings.base();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, settings.applicationName() + "-dead-letters");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        this.meters = meters;
    }

    /** Dead-letters {@code record} (raw key/value bytes) with {@code error}; blocks until durable. */
    public void send(ConsumerRecord<?, ?> record, Throwable error) {
        String dlq = record.topic() + Topics.DLQ_SUFFIX;
        ProducerRecord<byte[], byte[]> letter =
                new ProducerRecord<>(dlq, null, timestamp(record), bytes(record.key()), bytes(record.value()));
        record.headers().forEach(h -> letter.headers().add(h));
        Headers headers = letter.headers();
        headers.add(ERROR_CLASS, utf8(error.getClass().getName()));
        headers.add(ERROR_MESSAGE, utf8(String.valueOf(error.getMessage())));
        headers.add(SOURCE_TOPIC, utf8(record.topic()));
        headers.add(SOURCE_PARTITION, utf8(String.valueOf(record.partition())));
        headers.add(SOURCE_OFFSET, utf8(String.valueOf(record.offset())));
        try {
            producer.send(letter).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while dead-lettering to " + dlq, e);
        } catch (ExecutionException | TimeoutException e) {
            // the source offset must not be committed: let the listener's error strategy retry
            throw new IllegalStateException("Cannot dead-letter to " + dlq + ": " + e.getMessage(), e);
        }
        meters.counter("tiergate.dlq.records", "topic", record.topic()).increment();
        LOG.warn(
                "Dead-lettered {}-{}@{} to {}: {}: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                dlq,
                error.getClass().getSimpleName(),
                error.getMessage());
    }

    /** The source record's timestamp; none (the send time) when it has none. */
    private static Long timestamp(ConsumerRecord<?, ?> record) {
        return record.timestamp() < 0 ? null : record.timestamp();
    }

    private static byte[] bytes(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[] raw) {
            return raw;
        }
        return utf8(value.toString());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @PreDestroy
    @Override
    public void close() {
        producer.close();
    }
}
