package io.tiergate.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.schemas.events.BudgetConfig;
import io.tiergate.schemas.events.CircuitState;
import io.tiergate.schemas.events.OnExhausted;
import io.tiergate.schemas.events.Tier;
import io.tiergate.schemas.events.WorkerHealth;
import io.tiergate.schemas.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The exact bytes on the wire, and what happens to bytes that are not what they should be. */
class WireFormatTest {

    private final String scope = "wire-" + UUID.randomUUID();
    private final MockSchemaRegistry registry = MockSchemaRegistry.forScope(scope);

    @AfterEach
    void drop() {
        MockSchemaRegistry.drop(scope);
    }

    private static byte[] hex(String text) {
        return HexFormat.ofDelimiter(" ").parseHex(text);
    }

    private static WorkerHealth smallWorkerHealth() {
        return WorkerHealth.newBuilder()
                .setWorkerId("w1")
                .setTier(Tier.LOCAL)
                .setQueueDepth(3)
                .setQueueLimit(10)
                .setCircuit(CircuitState.OPEN)
                .setUpdatedAt(Instant.ofEpochMilli(1_000))
                .build();
    }

    @Test
    void workerHealthHasTheExactConfluentBytes() {
        byte[] bytes =
                new AvroSerializer<WorkerHealth>(registry, false).serialize("worker.health", smallWorkerHealth());

        assertThat(HexFormat.ofDelimiter(" ").formatHex(bytes))
                .isEqualTo(
                        "00" // magic byte
                                + " 00 00 00 01" // schema id 1 (first schema in a fresh registry), 4 bytes big-endian
                                + " 04 77 31" // workerId: string = zigzag varint length 2 -> 0x04, then UTF-8 "w1"
                                + " 00" // tier: enum index of LOCAL = 0
                                + " 06" // queueDepth: int 3 -> zigzag 6
                                + " 14" // queueLimit: int 10 -> zigzag 20 = 0x14
                                + " 02" // circuit: enum index of OPEN = 1 -> zigzag 2
                                + " d0 0f"); // updatedAt: timestamp-millis 1000 -> zigzag 2000 = 0x7d0 -> varint d0 0f
    }

    @Test
    void budgetConfigHasTheExactBytesIncludingDecimalsUnionsAndDoubles() {
        BudgetConfig config = BudgetConfig.newBuilder()
                .setScope("g")
                .setDailyLimitUsd(Money.usd("1.5"))
                .setMonthlyLimitUsd(null)
                .setConserveThreshold(0.8)
                .setCriticalThreshold(0.95)
                .setOnExhausted(OnExhausted.DEFER)
                .setTimezone("UTC")
                .setUpdatedAt(Instant.EPOCH)
                .build();

        byte[] bytes = new AvroSerializer<BudgetConfig>(registry, false).serialize("budget.config", config);

        assertThat(bytes)
                .isEqualTo(hex(
                        "00 00 00 00 01" // magic byte, schema id 1
                                + " 02 67" // scope "g"
                                + " 02 08 59 68 2f 00" // dailyLimitUsd: union branch 1 (bytes), length 4, unscaled
                                // 1.500000000 = 1500000000 = 0x59682f00 big-endian two's complement
                                + " 00" // monthlyLimitUsd: union branch 0 (null)
                                + " 9a 99 99 99 99 99 e9 3f" // conserveThreshold 0.8, IEEE 754 little-endian
                                + " 66 66 66 66 66 66 ee 3f" // criticalThreshold 0.95
                                + " 02" // onExhausted: DEFER, enum index 1
                                + " 06 55 54 43" // timezone "UTC"
                                + " 00")); // updatedAt: 0 ms
        assertThat(new AvroDeserializer<>(registry, BudgetConfig.class).deserialize("budget.config", bytes))
                .isEqualTo(config);
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertThat(new AvroSerializer<WorkerHealth>(registry, false).serialize("worker.health", null))
                .isNull();
        assertThat(new AvroDeserializer<>(registry, WorkerHealth.class).deserialize("worker.health", null))
                .isNull();
    }

    @Test
    void resolvingASchemaAheadGivesTheIdItsRecordsAreFramedWith() {
        AvroSerializer<WorkerHealth> serializer = new AvroSerializer<>(registry, false);
        int id = serializer.resolve("worker.health", WorkerHealth.getClassSchema());

        byte[] bytes = serializer.serialize("worker.health", smallWorkerHealth());
        assertThat(java.nio.ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    }

    @Test
    void aReaderResolvesARegisteredSubjectAheadAndLeavesAnUnknownOneToTheFirstRecord() {
        new AvroSerializer<WorkerHealth>(registry, false).resolve("worker.health", WorkerHealth.getClassSchema());
        AvroDeserializer<WorkerHealth> reader = new AvroDeserializer<>(registry, WorkerHealth.class);

        assertThat(reader.resolve("worker.health")).isTrue();
        assertThat(reader.resolve("not.registered")).isFalse();
    }

    @Test
    void aWrongMagicByteIsRefusedByName() {
        byte[] bytes =
                new AvroSerializer<WorkerHealth>(registry, false).serialize("worker.health", smallWorkerHealth());
        bytes[0] = 0x7b; // '{': somebody wrote JSON

        assertThatThrownBy(
                        () -> new AvroDeserializer<>(registry, WorkerHealth.class).deserialize("worker.health", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("WorkerHealth from topic worker.health")
                .hasMessageContaining("magic byte 0x7b, expected 0x00");
    }

    @Test
    void fewerBytesThanTheHeaderAreRefused() {
        assertThatThrownBy(() -> new AvroDeserializer<>(registry, WorkerHealth.class)
                        .deserialize("worker.health", new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("3 bytes, need at least 5");
    }

    @Test
    void aTruncatedPayloadSaysSo() {
        byte[] bytes =
                new AvroSerializer<WorkerHealth>(registry, false).serialize("worker.health", smallWorkerHealth());
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 2);

        assertThatThrownBy(() ->
                        new AvroDeserializer<>(registry, WorkerHealth.class).deserialize("worker.health", truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("WorkerHealth from topic worker.health (writer schema id 1)")
                .hasMessageContaining("payload truncated");
    }

    @Test
    void trailingBytesAreRefused() {
        byte[] bytes =
                new AvroSerializer<WorkerHealth>(registry, false).serialize("worker.health", smallWorkerHealth());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);

        assertThatThrownBy(
                        () -> new AvroDeserializer<>(registry, WorkerHealth.class).deserialize("worker.health", longer))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("trailing bytes");
    }

    @Test
    void anUnknownSchemaIdNamesTheId() {
        assertThatThrownBy(() -> new AvroDeserializer<>(registry, WorkerHealth.class)
                        .deserialize("worker.health", hex("00 00 00 30 39 02")))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND))
                .hasMessageContaining("WorkerHealth from topic worker.health: writer schema id 12345")
                .hasMessageContaining("Schema 12345 not found");
    }

    @Test
    void aWriterSchemaOfAnotherTypeIsRefusedWithTheReason() {
        byte[] budget = new AvroSerializer<BudgetConfig>(registry, false)
                .serialize("budget.config", SampleEvents.budgetConfig());

        assertThatThrownBy(
                        () -> new AvroDeserializer<>(registry, WorkerHealth.class).deserialize("worker.health", budget))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(
                        "writer schema id 1 (io.tiergate.schemas.events.BudgetConfig) cannot be read as io.tiergate.schemas.events.WorkerHealth")
                .hasMessageContaining("NAME_MISMATCH");
    }

    /*
     * Money on the wire: decimal(20, 9). Decision: the serializer writes an amount with fewer than
     * nine decimals exactly (rescaled without rounding), and refuses one that would need rounding,
     * naming the field; rounding is Money.usd's job (half-even), done once where the amount is made.
     */

    @Test
    void anAmountWithFewerDecimalsIsRescaledExactly() {
        BudgetConfig config = SampleEvents.budgetConfig();
        config.setDailyLimitUsd(new BigDecimal("12.5"));

        byte[] bytes = new AvroSerializer<BudgetConfig>(registry, false).serialize("budget.config", config);
        BigDecimal read = new AvroDeserializer<>(registry, BudgetConfig.class)
                .deserialize("budget.config", bytes)
                .getDailyLimitUsd();

        assertThat(read).isEqualTo(new BigDecimal("12.500000000")).hasScaleOf(9);
    }

    @Test
    void anAmountThatWouldNeedRoundingIsRefusedNamingTheField() {
        BudgetConfig config = SampleEvents.budgetConfig();
        config.setDailyLimitUsd(new BigDecimal("0.0000000015")); // scale 10

        assertThatThrownBy(() -> new AvroSerializer<BudgetConfig>(registry, false).serialize("budget.config", config))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Cannot serialize BudgetConfig for topic budget.config")
                .hasMessageContaining("scale 10 as scale 9 without rounding")
                .hasMessageContaining("BudgetConfig.dailyLimitUsd")
                .hasMessageContaining("Money.usd");
    }

    @Test
    void moneyUsdRoundsHalfEvenToTheWireScale() {
        assertThat(Money.usd(new BigDecimal("0.0000000015"))).isEqualTo(new BigDecimal("0.000000002"));
        assertThat(Money.usd(new BigDecimal("0.0000000025"))).isEqualTo(new BigDecimal("0.000000002"));
        BudgetConfig config = SampleEvents.budgetConfig();
        config.setDailyLimitUsd(Money.usd(new BigDecimal("0.0000000015")));

        byte[] bytes = new AvroSerializer<BudgetConfig>(registry, false).serialize("budget.config", config);

        assertThat(new AvroDeserializer<>(registry, BudgetConfig.class)
                        .deserialize("budget.config", bytes)
                        .getDailyLimitUsd())
                .isEqualTo(new BigDecimal("0.000000002"));
    }

    @Test
    void anAmountBeyondTwentyDigitsIsRefused() {
        BudgetConfig config = SampleEvents.budgetConfig();
        config.setDailyLimitUsd(Money.usd("123456789012")); // 12 + 9 = 21 digits

        assertThatThrownBy(() -> new AvroSerializer<BudgetConfig>(registry, false).serialize("budget.config", config))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("precision 21 as max precision 20")
                .hasMessageContaining("BudgetConfig.dailyLimitUsd");
    }
}
