package io.tiergate.platform.kafka;

import io.tiergate.schemas.topics.Topic;
import jakarta.inject.Singleton;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The dead-letter pattern, once: decode a consumed record and hand it to the service logic; a record
 * that does not decode, or that the logic rejects with {@link InvalidInputException}, goes to the
 * topic's {@code .dlq} and the consumer moves on. Any other exception propagates, so the listener's
 * error strategy retries instead of losing the record: a schema registry outage among them
 * ({@link EventDecoder.RegistryUnavailableException}), which says nothing about the record.
 */
@Singleton
public class InboundRecords {

    private final EventDecoder decoder;
    private final DeadLetters deadLetters;

    public InboundRecords(EventDecoder decoder, DeadLetters deadLetters) {
        this.decoder = decoder;
        this.deadLetters = deadLetters;
    }

    /**
     * @return true when {@code handler} accepted the record; false when it was dead-lettered
     */
    public <V extends SpecificRecord> boolean process(
            Topic<V> topic, ConsumerRecord<?, byte[]> record, Consumer<V> handler) {
        V value;
        try {
            value = decoder.decode(topic, record);
        } catch (EventDecoder.DecodeException e) {
            deadLetters.send(record, e);
            return false;
        }
        try {
            handler.accept(value);
            return true;
        } catch (InvalidInputException e) {
            deadLetters.send(record, e);
            return false;
        }
    }

    public DeadLetters deadLetters() {
        return deadLetters;
    }
}
