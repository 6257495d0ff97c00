package io.tiergate.schemas.serde;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes specific records in Confluent wire format, registering the writer schema under the topic
 * name strategy's subject ({@code <topic>-key} / {@code <topic>-value}). Confluent's
 * {@code KafkaAvroDeserializer} reads what this writes.
 *
 * <p>Decimal amounts are written at the schema's scale (9 for USD): an amount with fewer digits is
 * rescaled exactly ({@code 1.5} is written as {@code 1.500000000}); one that would need rounding is
 * rejected with the field named, because rounding money is a decision for {@code Money.usd}, not
 * for the wire.
 *
 * <p>Thread-safe after {@link #configure}; schema ids and datum writers are cached per schema.
 */
public class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private SchemaRegistryClient registry;
    private boolean isKey;
    private boolean autoRegister = true;
    private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Class<?>, DatumWriter<SpecificRecord>> writers = new ConcurrentHashMap<>();

    /** Generated classes share one {@link Schema} instance, so this key compares by identity first. */
    private record SubjectSchema(String subject, Schema schema) {}

    /** For Kafka's reflective construction; {@link #configure} must follow. */
    public AvroSerializer() {}

    public AvroSerializer(SchemaRegistryClient registry, boolean isKey) {
        this.registry = registry;
        this.isKey = isKey;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.registry = SchemaRegistries.forConfig(configs);
        this.isKey = isKey;
        Object auto = configs.get(SerdeConfig.AUTO_REGISTER_SCHEMAS);
        this.autoRegister = auto == null || Boolean.parseBoolean(auto.toString());
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null; // a tombstone stays a tombstone
        }
        if (registry == null) {
            throw new SerializationException("AvroSerializer used before configure()");
        }
        Schema schema = record.getSchema();
        int id = schemaId(subject(topic, isKey), schema);
        try {
            return ConfluentWireFormat.frame(id, writer(record), record);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "Cannot serialize "
                            + schema.getName()
                            + " for topic "
                            + topic
                            + " (schema id "
                            + id
                            + "): "
                            + e.getMessage()
                            + (e.getMessage() != null && e.getMessage().contains("decimal")
                                    ? " (round USD amounts with io.tiergate.schemas.money.Money.usd)"
                                    : ""),
                    e);
        }
    }

    /**
     * Looks up (or registers, as {@link #serialize} would) the id of {@code schema} for {@code topic}
     * now, so the first record to it does not wait for the registry.
     *
     * @return the schema id
     */
    public int resolve(String topic, Schema schema) {
        if (registry == null) {
            throw new SerializationException("AvroSerializer used before configure()");
        }
        return schemaId(subject(topic, isKey), schema);
    }

    private int schemaId(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = ids.get(key);
        if (cached != null) {
            return cached;
        }
        // outside any map lock: the registry call may be remote; a racing thread gets the same id
        int id;
        if (autoRegister) {
            id = registry.register(subject, schema);
        } else {
            try {
                id = registry.idOf(subject, schema);
            } catch (SchemaRegistryException e) {
                throw e.withContext("auto.register.schemas=false and " + schema.getFullName()
                        + " is not registered under subject " + subject + ": " + e.getMessage());
            }
        }
        ids.putIfAbsent(key, id);
        return id;
    }

    private DatumWriter<SpecificRecord> writer(SpecificRecord record) {
        return writers.computeIfAbsent(
                record.getClass(), c -> new SpecificDatumWriter<>(record.getSchema(), SpecificData.getForClass(c)));
    }

    /** Confluent's TopicNameStrategy. */
    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }
}
