package io.tiergate.ledger.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * The binary format of the ledger's internal state (stores, repartition topics): length-prefixed
 * UTF-8 strings, exact decimals as scale + unscaled bytes, enums by name (so adding a symbol never
 * shifts stored ordinals). Each value type writes a version byte first.
 */
public final class Binary {

    private Binary() {}

    /** Writes with {@code writer}, returns the bytes. */
    public static byte[] write(IoWriter writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads {@code data} with {@code reader}. */
    public static <T> T read(byte[] data, IoReader<T> reader) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            return reader.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void writeString(DataOutput out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    public static String readString(DataInput in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] utf8 = new byte[length];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    public static void writeDecimal(DataOutput out, BigDecimal value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] unscaled = value.unscaledValue().toByteArray();
        out.writeInt(unscaled.length);
        out.write(unscaled);
        out.writeInt(value.scale());
    }

    public static BigDecimal readDecimal(DataInput in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] unscaled = new byte[length];
        in.readFully(unscaled);
        return new BigDecimal(new BigInteger(unscaled), in.readInt());
    }

    public static <E extends Enum<E>> void writeEnum(DataOutput out, E value) throws IOException {
        writeString(out, value == null ? null : value.name());
    }

    /** Reads an enum by name; a name this version does not know reads as {@code unknown}. */
    public static <E extends Enum<E>> E readEnum(DataInput in, Class<E> type, E unknown) throws IOException {
        String name = readString(in);
        if (name == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            return unknown;
        }
    }

    public static void checkVersion(DataInput in, int expected, String type) throws IOException {
        readVersion(in, expected, expected, type);
    }

    /**
     * Reads the version byte of a format that still reads the versions since {@code oldest} (state
     * written by a previous release) and writes {@code newest}; returns the version read.
     */
    public static int readVersion(DataInput in, int oldest, int newest, String type) throws IOException {
        int version = in.readUnsignedByte();
        if (version < oldest || version > newest) {
            String expected = oldest == newest ? String.valueOf(newest) : oldest + " to " + newest;
            throw new IOException(
                    "Unsupported " + type + " format version " + version + " (expected " + expected + ")");
        }
        return version;
    }

    @FunctionalInterface
    public interface IoWriter {
        void write(DataOutputStream out) throws IOException;
    }

    @FunctionalInterface
    public interface IoReader<T> {
        T read(DataInputStream in) throws IOException;
    }
}
