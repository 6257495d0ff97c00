package io.tiergate.router.kafka;

import io.tiergate.platform.kafka.EventPublisher;
import io.tiergate.router.route.EventSink;
import io.tiergate.schemas.topics.Topic;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/** {@link EventSink} over the platform's idempotent, acks=all {@link EventPublisher}. */
public final class KafkaEventSink implements EventSink {

    private final EventPublisher publisher;

    public KafkaEventSink(EventPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public <V extends SpecificRecord> CompletableFuture<?> send(
            Topic<V> topic, String key, V value, Map<String, byte[]> headers) {
        if (headers.isEmpty()) {
            return publisher.send(topic, key, value);
        }
        ProducerRecord<String, SpecificRecord> record = new ProducerRecord<>(topic.name(), key, value);
        headers.forEach((k, v) -> record.headers().add(k, v));
        return publisher.send(record);
    }

    @Override
    public void flush() {
        publisher.flush();
    }
}
