package io.tiergate.ledger.codec;

import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The binary format of the ledger's internal state (stores, repartition topics): length-prefixed
 * UTF-8 strings, exact decimals as scale + unscaled bytes, enums by name (so adding a symbol never
 * shifts stored ordinals). Each value type writes a version byte first.
 */
public final class Binary {

    private Binary() {}

    /** Writes with {@code writer}, returns the bytes. */
    public static byte[] write(IoWriter writer) {
        Output bytes = new Output(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads {@code data} with {@code reader}. */
    public static <T> T read(byte[] data, IoReader<T> reader) {
        try (DataInputStream in = new DataInputStream(new Input(data))) {
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

    /**
     * {@link java.io.ByteArrayInputStream} without its lock: Data(Input|Output)Stream read and write
     * an int as 4 single-byte calls, and the JDK's byte-array streams take a monitor on each (a
     * profile of the ledger found a third of its stream thread's time in these codecs).
     */
    private static final class Input extends InputStream {
        private final byte[] data;
        private int position;

        Input(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            return position < data.length ? data[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] target, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, target.length);
            if (length == 0) {
                return 0;
            }
            if (position >= data.length) {
                return -1;
            }
            int n = Math.min(length, data.length - position);
            System.arraycopy(data, position, target, offset, n);
            position += n;
            return n;
        }

        @Override
        public int available() {
            return data.length - position;
        }
    }

    /** {@link java.io.ByteArrayOutputStream} without its lock (see {@link Input}). */
    private static final class Output extends OutputStream {
        private byte[] buffer;
        private int size;

        Output(int capacity) {
            buffer = new byte[capacity];
        }

        @Override
        public void write(int b) {
            ensure(size + 1);
            buffer[size++] = (byte) b;
        }

        @Override
        public void write(byte[] source, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, source.length);
            ensure(size + length);
            System.arraycopy(source, offset, buffer, size, length);
            size += length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buffer, size);
        }

        private void ensure(int capacity) {
            if (capacity > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(capacity, buffer.length * 2));
            }
        }
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
