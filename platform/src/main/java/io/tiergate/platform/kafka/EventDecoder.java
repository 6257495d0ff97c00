package io.tiergate.platform.kafka;

import io.tiergate.schemas.serde.AvroDeserializer;
import io.tiergate.schemas.serde.SchemaRegistryException;
import io.tiergate.schemas.serde.SerdeConfig;
import io.tiergate.schemas.topics.Topic;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes the raw value of a consumed record into its topic's event type. Listeners consume
 * {@code byte[]} and decode here, so a record that does not decode is in hand, with its bytes, to
 * be dead-lettered, instead of a poll loop failing on it.
 */
@Singleton
public class EventDecoder {

    private final KafkaClientSettings settings;
    private final Map<Class<?>, AvroDeserializer<?>> deserializers = new ConcurrentHashMap<>();

    public EventDecoder(KafkaClientSettings settings) {
        this.settings = settings;
    }

    /**
     * The event, or {@code null} for a tombstone.
     *
     * @throws DecodeException naming topic, partition, offset and the cause: the record is bad
     * @throws RegistryUnavailableException the schema registry could not be asked (down, 5xx, bad
     *     credentials): the record may be fine and must be read again later, never dead-lettered
     */
    public <V extends SpecificRecord> V decode(Topic<V> topic, ConsumerRecord<?, byte[]> record) {
        try {
            return deserializer(topic.valueType()).deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            if (SchemaRegistryException.isOutage(e)) {
                throw new RegistryUnavailableException(record, e);
            }
            throw new DecodeException(record, e);
        }
    }

    /**
     * Looks up the registered value schemas of {@code topics} on a background thread, so the first
     * record read from each does not wait for the registry (best effort: what fails is looked up by
     * the first record, as before).
     */
    public void warmUp(Collection<? extends Topic<?>> topics) {
        BackgroundWarmUp.start(
                "tiergate-decoder-warm-up",
                topics,
                topic -> deserializer(topic.valueType()).resolve(topic.name()));
    }

    @SuppressWarnings("unchecked")
    private <V extends SpecificRecord> AvroDeserializer<V> deserializer(Class<V> type) {
        return (AvroDeserializer<V>) deserializers.computeIfAbsent(type, t -> {
            AvroDeserializer<V> d = new AvroDeserializer<>();
            Map<String, Object> config = settings.serdeConfig();
            config.put(SerdeConfig.VALUE_TYPE, t);
            d.configure(config, false);
            return d;
        });
    }

    /** {@code topic-partition@offset}, as the errors name a record. */
    private static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    /** The registry could not be asked about a record's schema; the record itself may be fine. */
    public static final class RegistryUnavailableException extends RuntimeException {
        public RegistryUnavailableException(ConsumerRecord<?, ?> record, Throwable cause) {
            super(
                    "Schema registry unavailable while decoding " + where(record) + " (it will be read again): "
                            + cause.getMessage(),
                    cause);
        }
    }

    /** A record that could not be decoded, with where it was. */
    public static final class DecodeException extends RuntimeException {
        public DecodeException(ConsumerRecord<?, ?> record, Throwable cause) {
            super("Cannot decode record " + where(record) + ": " + cause.getMessage(), cause);
        }
    }
}
