package io.tiergate.schemas.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
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

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null; // tombstone
    }
    if (registry == null) {
      throw new SerializationException("AvroDeserializer used before configure()");
    }
    ByteBuffer buffer = ByteBuffer.wrap(data);
    int id = ConfluentWireFormat.readSchemaId(buffer);
    SpecificDatumReader<T> reader = readersById.computeIfAbsent(id, this::readerFor);
    try {
      BinaryDecoder decoder =
          DecoderFactory.get()
              .binaryDecoder(data, buffer.position(), buffer.remaining(), null);
      T value = reader.read(null, decoder);
      if (!decoder.isEnd()) {
        throw new SerializationException(
            "Trailing bytes after " + type.getSimpleName() + " (schema id " + id + ")");
      }
      return value;
    } catch (IOException | RuntimeException e) {
      if (e instanceof SerializationException se) {
        throw se;
      }
      throw new SerializationException(
          "Cannot decode " + type.getSimpleName() + " with writer schema id " + id + " on topic "
              + topic + ": " + e, e);
    }
  }

  private SpecificDatumReader<T> readerFor(int id) {
    Schema writer = registry.schemaById(id);
    return new SpecificDatumReader<>(writer, readerSchema, model);
  }

  public Class<T> type() {
    return type;
  }
}
