package io.tiergate.schemas.serde;

import io.tiergate.schemas.registry.Compatibility;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire format into a specific record class, resolving the writer schema (fetched by
 * id from the registry) against the class's own schema, so a reader keeps working when writers add
 * fields with defaults or enum symbols it does not know (those read as the enum's default).
 *
 * <p>Thread-safe after {@link #configure}; one resolving reader is cached per writer schema id. A
 * writer schema the class cannot read is reported once per record with the fields that break, not
 * as an obscure decoding error.
 */
public class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private SchemaRegistryClient registry;
    private Class<T> type;
    private Schema readerSchema;
    private SpecificData model;
    private final Map<Integer, SpecificDatumReader<T>> readersById = new ConcurrentHashMap<>();

    /** For Kafka's reflective construction; {@link #configure} names the type. */
    public AvroDeserializer() {}

    public AvroDeserializer(SchemaRegistryClient registry, Class<T> type) {
        this.registry = registry;
        setType(type);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.registry = SchemaRegistries.forConfig(configs);
        if (type != null) {
            return;
        }
        String key = isKey ? SerdeConfig.KEY_TYPE : SerdeConfig.VALUE_TYPE;
        Object name = configs.get(key);
        if (name == null) {
            throw new ConfigException(key + " is required: the specific record class to read into");
        }
        try {
            Class<?> cls = name instanceof Class<?> c ? c : Class.forName(name.toString());
            if (!SpecificRecord.class.isAssignableFrom(cls)) {
                throw new ConfigException(key, name, "is not an Avro SpecificRecord class");
            }
            setType((Class<T>) cls);
        } catch (ClassNotFoundException e) {
            throw new ConfigException(key, name, "class not found");
        }
    }

    private void setType(Class<T> type) {
        this.type = type;
        this.model = SpecificData.getForClass(type);
        this.readerSchema = model.getSchema(type);
    }

    /**
     * The record, or {@code null} for a tombstone.
     *
     * @throws SerializationException naming the topic, the type and the cause: not wire format (bad
     *     magic byte, too short), unknown schema id, a writer schema this type cannot read, a
     *     truncated or corrupt payload, trailing bytes
     */
    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null; // tombstone
        }
        if (registry == null) {
            throw new SerializationException("AvroDeserializer used before configure()");
        }
        String what = type.getSimpleName() + " from topic " + topic;
        ByteBuffer buffer = ByteBuffer.wrap(data);
        int id;
        try {
            id = ConfluentWireFormat.readSchemaId(buffer);
        } catch (SerializationException e) {
            throw new SerializationException("Cannot deserialize " + what + ": " + e.getMessage(), e);
        }
        SpecificDatumReader<T> reader = reader(id, what);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, buffer.position(), buffer.remaining(), null);
        T value;
        try {
            value = reader.read(null, decoder);
        } catch (EOFException e) {
            throw new SerializationException(
                    "Cannot deserialize " + what + " (writer schema id " + id + "): payload truncated after "
                            + data.length + " bytes",
                    e);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "Cannot deserialize " + what + " (writer schema id " + id + "): corrupt payload: " + e, e);
        }
        try {
            if (!decoder.isEnd()) {
                throw new SerializationException("Cannot deserialize " + what + " (writer schema id " + id
                        + "): trailing bytes after the record (wrong schema id?)");
            }
        } catch (IOException e) {
            throw new SerializationException("Cannot deserialize " + what + ": " + e, e);
        }
        return value;
    }

    /**
     * Fetches and caches the reader for {@code topic}'s registered value schema now, if it is this
     * type's schema, so the first record written with it does not wait for the registry. A subject
     * not registered yet leaves the lookup to the first record.
     *
     * @return whether a reader is cached for it now
     */
    public boolean resolve(String topic) {
        if (registry == null) {
            throw new SerializationException("AvroDeserializer used before configure()");
        }
        try {
            reader(registry.idOf(AvroSerializer.subject(topic, false), readerSchema), "topic " + topic);
            return true;
        } catch (SchemaRegistryException e) {
            return false;
        }
    }

    private SpecificDatumReader<T> reader(int id, String what) {
        SpecificDatumReader<T> cached = readersById.get(id);
        if (cached != null) {
            return cached;
        }
        // outside any map lock (the registry call may be remote); failures are not cached, so a
        // registry that was briefly down is asked again for the next record
        Schema writer;
        try {
            writer = registry.schemaById(id);
        } catch (SchemaRegistryException e) {
            throw e.withContext("Cannot deserialize " + what + ": writer schema id " + id + ": " + e.getMessage());
        }
        List<String> problems = Compatibility.problems(readerSchema, writer);
        if (!problems.isEmpty()) {
            throw new SerializationException(
                    "Cannot deserialize " + what + ": writer schema id " + id + " (" + writer.getFullName()
                            + ") cannot be read as " + readerSchema.getFullName() + ": " + String.join("; ", problems));
        }
        SpecificDatumReader<T> reader = new SpecificDatumReader<>(writer, readerSchema, model);
        SpecificDatumReader<T> raced = readersById.putIfAbsent(id, reader);
        return raced != null ? raced : reader;
    }

    public Class<T> type() {
        return type;
    }
}
