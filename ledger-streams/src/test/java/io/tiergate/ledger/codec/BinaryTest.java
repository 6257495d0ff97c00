package io.tiergate.ledger.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Binary}'s own writer and reader against the JDK's {@link DataOutputStream} and {@link
 * DataInputStream}, which wrote the state on disk before them: the same bytes for every value, and
 * each reads what the other wrote.
 */
class BinaryTest {

    private static final Random RANDOM = new Random(20261206);

    @Test
    void decimalsAreWrittenAsTheJdkStreamsWroteThemAndReadBackEqual() throws IOException {
        for (BigDecimal value : decimals()) {
            byte[] ours = Binary.write(out -> Binary.writeDecimal(out, value));
            byte[] jdk = jdkWrite(out -> {
                byte[] unscaled = value.unscaledValue().toByteArray();
                out.writeInt(unscaled.length);
                out.write(unscaled);
                out.writeInt(value.scale());
            });
            assertThat(ours).as("bytes of %s", value).isEqualTo(jdk);
            BigDecimal read = Binary.read(ours, Binary::readDecimal);
            assertThat(read).as("read back %s", value).isEqualTo(value);
            assertThat(Binary.readDecimal(new DataInputStream(new ByteArrayInputStream(ours))))
                    .isEqualTo(value);
        }
    }

    @Test
    void numbersStringsAndNullsMatchTheJdkStreams() throws IOException {
        for (int i = 0; i < 500; i++) {
            int round = i;
            int anInt = RANDOM.nextInt();
            long aLong = RANDOM.nextLong();
            short aShort = (short) RANDOM.nextInt();
            double aDouble = RANDOM.nextDouble() * 1e6;
            String text = randomText();
            Binary.IoWriter writer = out -> {
                out.writeByte(round);
                out.writeInt(anInt);
                out.writeLong(aLong);
                out.writeShort(aShort);
                out.writeBoolean(round % 2 == 0);
                out.writeDouble(aDouble);
                Binary.writeString(out, text);
                Binary.writeString(out, null);
                Binary.writeDecimal(out, null);
                out.writeUTF(text);
            };
            byte[] ours = Binary.write(writer);
            assertThat(ours).isEqualTo(jdkWrite(writer));

            Binary.IoReader<List<Object>> reader = in -> List.of(
                    in.readUnsignedByte(),
                    in.readInt(),
                    in.readLong(),
                    in.readShort(),
                    in.readBoolean(),
                    in.readDouble(),
                    Binary.readString(in),
                    String.valueOf(Binary.readString(in)),
                    String.valueOf(Binary.readDecimal(in)),
                    in.readUTF());
            List<Object> expected =
                    List.of(round & 0xff, anInt, aLong, aShort, round % 2 == 0, aDouble, text, "null", "null", text);
            assertThat(Binary.read(ours, reader)).isEqualTo(expected);
            assertThat(reader.read(new DataInputStream(new ByteArrayInputStream(ours))))
                    .isEqualTo(expected);
        }
    }

    @Test
    void runningOutOfBytesIsAnEofNotAWrongValue() {
        byte[] decimal = Binary.write(out -> Binary.writeDecimal(out, new BigDecimal("12.345678901")));
        for (int cut = 0; cut < decimal.length; cut++) {
            byte[] truncated = Arrays.copyOf(decimal, cut);
            assertThatThrownBy(() -> Binary.read(truncated, Binary::readDecimal))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(EOFException.class);
        }
        byte[] text = Binary.write(out -> Binary.writeString(out, "cost-center"));
        assertThatThrownBy(() -> Binary.read(Arrays.copyOf(text, 6), Binary::readString))
                .hasCauseInstanceOf(EOFException.class);
    }

    /** Zero, ±1, the edges of each byte length up to 9 bytes, nano-dollar amounts, and huge values. */
    private static List<BigDecimal> decimals() {
        List<BigDecimal> values = new ArrayList<>();
        for (int bits = 0; bits <= 80; bits++) {
            BigInteger edge = BigInteger.ONE.shiftLeft(bits);
            for (BigInteger unscaled : List.of(
                    edge,
                    edge.subtract(BigInteger.ONE),
                    edge.negate(),
                    edge.negate().add(BigInteger.ONE))) {
                values.add(new BigDecimal(unscaled, 9));
                values.add(new BigDecimal(unscaled, 0));
            }
        }
        values.add(BigDecimal.valueOf(Long.MAX_VALUE, 9));
        values.add(BigDecimal.valueOf(Long.MIN_VALUE, 9));
        values.add(new BigDecimal("0E-9"));
        values.add(new BigDecimal("-3.5E+4"));
        for (int i = 0; i < 2_000; i++) {
            values.add(BigDecimal.valueOf(RANDOM.nextLong() >> RANDOM.nextInt(64), RANDOM.nextInt(20) - 2));
        }
        return values;
    }

    private static String randomText() {
        String[] parts = {"cc-eu", "global", "", "Ünïcødé ✓", "anthropic/claude-sonnet-4.6", "日本語", "😀"};
        return parts[RANDOM.nextInt(parts.length)] + RANDOM.nextInt(1000);
    }

    private static byte[] jdkWrite(Binary.IoWriter writer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        }
        return bytes.toByteArray();
    }
}
