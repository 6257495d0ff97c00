package io.tiergate.worker.kafka;

import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.schemas.events.StreamChunk;
import io.tiergate.schemas.serde.AvroSerializer;
import io.tiergate.worker.work.StreamRelay;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's side of {@code inference.stream} (docs/gateway.md, "Streaming"): each chunk is sent as
 * it is produced by an idempotent, non-transactional producer, keyed by request id, without waiting
 * for the broker. Not in the outbox transaction on purpose: that one commits after the call, and the
 * point of a stream is to arrive before. Idempotence keeps one producer's chunks of a request in
 * order in their partition even when sends are retried; a chunk that still fails is logged and lost
 * (the gateway skips over a gap and completes the answer from the final result).
 */
final class StreamChunkPublisher implements StreamRelay, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamChunkPublisher.class);

    private final TierWorkerConfig config;
    private final KafkaProducer<String, StreamChunk> producer;
    private final AtomicLong lost = new AtomicLong();

    StreamChunkPublisher(KafkaClientSettings settings, TierWorkerConfig config) {
        this.config = config;
        Map<String, Object> p = settings.base();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, config.workerId() + "-stream");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // a token waits for nothing: the chunks are already gathered (AnswerStream.GATHER)
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        AvroSerializer<StreamChunk> values = new AvroSerializer<>();
        values.configure(p, false);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), values);
    }

    @Override
    public void publish(StreamChunk chunk) {
        try {
            producer.send(
                    new ProducerRecord<>(config.streamTopic().name(), chunk.getRequestId(), chunk),
                    (metadata, failure) -> {
                        if (failure != null && lost.getAndIncrement() % 100 == 0) {
                            LOG.warn(
                                    "Stream chunk {}#{}.{} not relayed ({} lost so far): {}",
                                    chunk.getRequestId(),
                                    chunk.getAttempt(),
                                    chunk.getSeq(),
                                    lost.get(),
                                    failure.toString());
                        }
                    });
        } catch (RuntimeException e) {
            // a relay never fails the call it relays: the final result carries the whole answer
            if (lost.getAndIncrement() % 100 == 0) {
                LOG.warn("Stream chunk of {} not relayed: {}", chunk.getRequestId(), e.toString());
            }
        }
    }

    /** Chunks that could not be sent since start. */
    long lost() {
        return lost.get();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(2));
    }
}
