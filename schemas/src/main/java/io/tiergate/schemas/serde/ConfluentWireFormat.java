package io.tiergate.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's framing: magic byte 0, the writer schema's id as a 4-byte big-endian int, then the
 * Avro binary encoding of the datum (no Avro container header, no fingerprint).
 */
public final class ConfluentWireFormat {

    public static final byte MAGIC_BYTE = 0x0;
    public static final int HEADER_SIZE = 5;

    private ConfluentWireFormat() {}

    /**
     * Reads and checks the header; the buffer is left positioned at the Avro payload.
     *
     * @throws SerializationException when the bytes are too short or the magic byte is not 0
     */
    public static int readSchemaId(ByteBuffer buffer) {
        if (buffer.remaining() < HEADER_SIZE) {
            throw new SerializationException("Not Confluent wire format: "
                    + buffer.remaining()
                    + " bytes, need at least "
                    + HEADER_SIZE
                    + " (magic byte + 4-byte schema id)");
        }
        byte magic = buffer.get();
        if (magic != MAGIC_BYTE) {
            throw new SerializationException(String.format(
                    "Not Confluent wire format: magic byte 0x%02x, expected 0x00 (was this written by"
                            + " another serializer, e.g. plain JSON or Avro without a registry?)",
                    magic));
        }
        return buffer.getInt();
    }

    public static void writeHeader(ByteBuffer buffer, int schemaId) {
        buffer.put(MAGIC_BYTE).putInt(schemaId);
    }

    /** Header plus the Avro binary of {@code datum} written with {@code writer}. */
    public static <D> byte[] frame(int schemaId, DatumWriter<D> writer, D datum) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.write(MAGIC_BYTE);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        writer.write(datum, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
