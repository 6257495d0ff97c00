package io.tiergate.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes specific records in Confluent wire format, registering the writer schema under the topic
 * name strategy's subject ({@code <topic>-key} / {@code <topic>-value}). Confluent's
 * {@code KafkaAvroDeserializer} reads what this writes.
 */
public class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {

  private SchemaRegistryClient registry;
  private boolean isKey;
  private boolean autoRegister = true;
  private final Map<String, Integer> idsBySubject = new ConcurrentHashMap<>();

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
    String subject = subject(topic, isKey);
    int id = idsBySubject.computeIfAbsent(subject + '\u0000' + schema.getFullName(), k -> schemaId(subject, schema));
    return encode(id, schema, record);
  }

  private int schemaId(String subject, Schema schema) {
    if (!autoRegister) {
      throw new SerializationException(
          "auto.register.schemas=false and no id is cached for subject " + subject);
    }
    return registry.register(subject, schema);
  }

  /** Wire bytes for a record whose schema id is known. */
  static byte[] encode(int schemaId, Schema schema, SpecificRecord record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    ByteBuffer header = ByteBuffer.allocate(ConfluentWireFormat.HEADER_SIZE);
    ConfluentWireFormat.writeHeader(header, schemaId);
    out.writeBytes(header.array());
    try {
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      new SpecificDatumWriter<SpecificRecord>(schema, SpecificData.getForSchema(schema)).write(record, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "Cannot encode " + schema.getFullName() + " with schema id " + schemaId + ": " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  /** Confluent's TopicNameStrategy. */
  public static String subject(String topic, boolean isKey) {
    return topic + (isKey ? "-key" : "-value");
  }
}
