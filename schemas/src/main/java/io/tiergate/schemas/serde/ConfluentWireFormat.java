package io.tiergate.schemas.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's framing: magic byte 0, the writer schema's id as a 4-byte big-endian int, then the
 * Avro binary encoding of the datum.
 */
public final class ConfluentWireFormat {

  public static final byte MAGIC_BYTE = 0x0;
  public static final int HEADER_SIZE = 5;

  private ConfluentWireFormat() {}

  /** Reads and checks the header; the buffer is left positioned at the Avro payload. */
  public static int readSchemaId(ByteBuffer buffer) {
    if (buffer.remaining() < HEADER_SIZE) {
      throw new SerializationException(
          "Not Confluent wire format: " + buffer.remaining() + " bytes, need at least " + HEADER_SIZE);
    }
    byte magic = buffer.get();
    if (magic != MAGIC_BYTE) {
      throw new SerializationException(
          String.format("Not Confluent wire format: magic byte 0x%02x, expected 0x00", magic));
    }
    return buffer.getInt();
  }

  public static void writeHeader(ByteBuffer buffer, int schemaId) {
    buffer.put(MAGIC_BYTE).putInt(schemaId);
  }
}
