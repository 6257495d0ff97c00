package io.tiergate.ledger.codec;

import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The binary format of the ledger's internal state (stores, repartition topics): length-prefixed
 * UTF-8 strings, exact decimals as scale + unscaled bytes, enums by name (so adding a symbol never
 * shifts stored ordinals). Each value type writes a version byte first. Big-endian, as {@link
 * java.io.DataOutputStream} writes it, which wrote every byte in state today.
 */
public final class Binary {

    private Binary() {}

    /** Writes with {@code writer}, returns the bytes. */
    public static byte[] write(IoWriter writer) {
        Writer out = new Writer(128);
        try {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Reads {@code data} with {@code reader}. */
    public static <T> T read(byte[] data, IoReader<T> reader) {
        try {
            return reader.read(new Reader(data));
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
        if (in instanceof Reader reader) {
            return reader.readUtf8(length);
        }
        byte[] utf8 = new byte[length];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /**
     * Length, the unscaled value's two's-complement bytes as {@link BigInteger#toByteArray()} gives
     * them (big-endian, fewest bytes with the sign bit), scale. An unscaled value that fits a long
     * (every amount below 9.2 billion dollars at nano-dollar scale) is written without the
     * intermediate array.
     */
    public static void writeDecimal(DataOutput out, BigDecimal value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        BigInteger unscaled = value.unscaledValue();
        int bits = unscaled.bitLength();
        if (bits < Long.SIZE) {
            long compact = unscaled.longValue();
            int length = bits / 8 + 1;
            out.writeInt(length);
            for (int shift = (length - 1) * 8; shift >= 0; shift -= 8) {
                out.write((int) (compact >> shift));
            }
        } else {
            byte[] bytes = unscaled.toByteArray();
            out.writeInt(bytes.length);
            out.write(bytes);
        }
        out.writeInt(value.scale());
    }

    public static BigDecimal readDecimal(DataInput in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        if (length > 0 && length <= Long.BYTES) {
            long compact = in.readByte(); // sign-extended
            for (int i = 1; i < length; i++) {
                compact = (compact << 8) | in.readUnsignedByte();
            }
            return BigDecimal.valueOf(compact, in.readInt());
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
     * The bytes being written, without {@link java.io.DataOutputStream}'s byte-at-a-time calls through
     * an {@link java.io.OutputStream} (a profile of the ledger found a fifth of its stream thread's time
     * in these codecs). The same bytes: big-endian, modified UTF-8 for {@link #writeUTF}.
     */
    static final class Writer implements DataOutput {
        private byte[] buffer;
        private int size;

        Writer(int capacity) {
            buffer = new byte[capacity];
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buffer, size);
        }

        @Override
        public void write(int b) {
            ensure(1);
            buffer[size++] = (byte) b;
        }

        @Override
        public void write(byte[] source) {
            write(source, 0, source.length);
        }

        @Override
        public void write(byte[] source, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, source.length);
            ensure(length);
            System.arraycopy(source, offset, buffer, size, length);
            size += length;
        }

        @Override
        public void writeBoolean(boolean v) {
            write(v ? 1 : 0);
        }

        @Override
        public void writeByte(int v) {
            write(v);
        }

        @Override
        public void writeShort(int v) {
            ensure(2);
            buffer[size++] = (byte) (v >>> 8);
            buffer[size++] = (byte) v;
        }

        @Override
        public void writeChar(int v) {
            writeShort(v);
        }

        @Override
        public void writeInt(int v) {
            ensure(4);
            buffer[size++] = (byte) (v >>> 24);
            buffer[size++] = (byte) (v >>> 16);
            buffer[size++] = (byte) (v >>> 8);
            buffer[size++] = (byte) v;
        }

        @Override
        public void writeLong(long v) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buffer[size++] = (byte) (v >>> shift);
            }
        }

        @Override
        public void writeFloat(float v) {
            writeInt(Float.floatToIntBits(v));
        }

        @Override
        public void writeDouble(double v) {
            writeLong(Double.doubleToLongBits(v));
        }

        @Override
        public void writeBytes(String s) {
            for (int i = 0; i < s.length(); i++) {
                write(s.charAt(i));
            }
        }

        @Override
        public void writeChars(String s) {
            for (int i = 0; i < s.length(); i++) {
                writeChar(s.charAt(i));
            }
        }

        @Override
        public void writeUTF(String s) throws IOException {
            ByteArrayOutputStream utf = new ByteArrayOutputStream(s.length() + 2);
            new DataOutputStream(utf).writeUTF(s);
            write(utf.toByteArray());
        }

        private void ensure(int more) {
            if (size + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(size + more, buffer.length * 2));
            }
        }
    }

    /**
     * Reads what {@link Writer} (or {@link java.io.DataOutputStream}) wrote, straight from the array;
     * running out of bytes is an {@link EOFException}, as with {@link java.io.DataInputStream}.
     */
    static final class Reader implements DataInput {
        private final byte[] data;
        private int position;

        Reader(byte[] data) {
            this.data = data;
        }

        String readUtf8(int length) throws IOException {
            require(length);
            String value = new String(data, position, length, StandardCharsets.UTF_8);
            position += length;
            return value;
        }

        @Override
        public void readFully(byte[] target) throws IOException {
            readFully(target, 0, target.length);
        }

        @Override
        public void readFully(byte[] target, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, target.length);
            require(length);
            System.arraycopy(data, position, target, offset, length);
            position += length;
        }

        @Override
        public int skipBytes(int n) {
            int skipped = Math.max(0, Math.min(n, data.length - position));
            position += skipped;
            return skipped;
        }

        @Override
        public boolean readBoolean() throws IOException {
            return readUnsignedByte() != 0;
        }

        @Override
        public byte readByte() throws IOException {
            require(1);
            return data[position++];
        }

        @Override
        public int readUnsignedByte() throws IOException {
            return readByte() & 0xff;
        }

        @Override
        public short readShort() throws IOException {
            return (short) readUnsignedShort();
        }

        @Override
        public int readUnsignedShort() throws IOException {
            require(2);
            int value = ((data[position] & 0xff) << 8) | (data[position + 1] & 0xff);
            position += 2;
            return value;
        }

        @Override
        public char readChar() throws IOException {
            return (char) readUnsignedShort();
        }

        @Override
        public int readInt() throws IOException {
            require(4);
            int value = ((data[position] & 0xff) << 24)
                    | ((data[position + 1] & 0xff) << 16)
                    | ((data[position + 2] & 0xff) << 8)
                    | (data[position + 3] & 0xff);
            position += 4;
            return value;
        }

        @Override
        public long readLong() throws IOException {
            require(8);
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (data[position++] & 0xff);
            }
            return value;
        }

        @Override
        public float readFloat() throws IOException {
            return Float.intBitsToFloat(readInt());
        }

        @Override
        public double readDouble() throws IOException {
            return Double.longBitsToDouble(readLong());
        }

        /** Not used by any format: lines are not a binary format's unit. */
        @Override
        public String readLine() {
            throw new UnsupportedOperationException("readLine: the ledger's binary formats have no lines");
        }

        @Override
        public String readUTF() throws IOException {
            return DataInputStream.readUTF(this);
        }

        private void require(int length) throws EOFException {
            if (length > data.length - position) {
                throw new EOFException("needed " + length + " more bytes at " + position + " of " + data.length);
            }
        }
    }

    @FunctionalInterface
    public interface IoWriter {
        void write(DataOutput out) throws IOException;
    }

    @FunctionalInterface
    public interface IoReader<T> {
        T read(DataInput in) throws IOException;
    }
}
