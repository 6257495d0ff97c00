package io.tiergate.ledger.kafka;

import static io.tiergate.ledger.support.CostEvents.cost;
import static io.tiergate.ledger.support.LedgerDriver.budgetOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tiergate.ledger.LedgerSettings;
import io.tiergate.ledger.metrics.MicrometerLedgerMetrics;
import io.tiergate.ledger.support.LedgerDriver;
import io.tiergate.platform.kafka.DeadLetters;
import io.tiergate.schemas.events.BudgetConfig;
import io.tiergate.schemas.events.BudgetLevel;
import io.tiergate.schemas.events.BudgetStatus;
import io.tiergate.schemas.events.CostEvent;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.serde.ConfluentWireFormat;
import io.tiergate.schemas.topics.Topics;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InvalidInputTest {

    private static final String SCOPE = "ci-agents";
    private static final Instant NOW = Instant.parse("2026-11-22T20:00:00Z");

    static Stream<Arguments> invalidBudgets() {
        return Stream.of(
                Arguments.of("negative daily limit", "dailyLimitUsd", (UnaryOperator<BudgetConfig.Builder>)
                        b -> b.setDailyLimitUsd(Money.usd("-1"))),
                Arguments.of("absurd monthly limit", "monthlyLimitUsd", (UnaryOperator<BudgetConfig.Builder>)
                        b -> b.setMonthlyLimitUsd(Money.usd("10000000000"))),
                Arguments.of("thresholds out of order", "conserveThreshold", (UnaryOperator<BudgetConfig.Builder>)
                        b -> b.setConserveThreshold(0.9).setCriticalThreshold(0.8)),
                Arguments.of("zero threshold", "conserveThreshold", (UnaryOperator<BudgetConfig.Builder>)
                        b -> b.setConserveThreshold(0.0)),
                Arguments.of("threshold above one", "criticalThreshold", (UnaryOperator<BudgetConfig.Builder>)
                        b -> b.setCriticalThreshold(1.5)),
                Arguments.of("NaN threshold", "criticalThreshold", (UnaryOperator<BudgetConfig.Builder>)
                        b -> b.setCriticalThreshold(Double.NaN)),
                Arguments.of("unknown timezone", "timezone", (UnaryOperator<BudgetConfig.Builder>)
                        b -> b.setTimezone("Mars/Olympus_Mons")),
                Arguments.of("empty scope", "scope", (UnaryOperator<BudgetConfig.Builder>) b -> b.setScope("")),
                Arguments.of("key is not the scope", "scope", (UnaryOperator<BudgetConfig.Builder>)
                        b -> b.setScope("docs-team")));
    }

    @ParameterizedTest(name = "{0} → budget.config.dlq naming {1}, previous budget stays")
    @MethodSource("invalidBudgets")
    void invalidBudgetIsDeadLetteredAndThePreviousOneStaysInForce(
            String what, String field, UnaryOperator<BudgetConfig.Builder> breakIt) {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (LedgerDriver ledger =
                new LedgerDriver(LedgerSettings.defaults(), NOW, new MicrometerLedgerMetrics(meters))) {
            ledger.budget(budgetOf(SCOPE, "10", "100"));
            ledger.send(cost("a").usd("9").at("2026-11-22T08:00:00Z"));
            ledger.statuses();

            BudgetConfig invalid = breakIt.apply(BudgetConfig.newBuilder(budgetOf(SCOPE, "10", "100")))
                    .build();
            ledger.budget(SCOPE, invalid);

            List<TestRecord<byte[], byte[]>> dead = ledger.budgetDeadLetters();
            assertThat(dead).hasSize(1);
            assertThat(header(dead.get(0), DecodeOrReject.ERROR_FIELD)).isEqualTo(field);
            assertThat(header(dead.get(0), DeadLetters.ERROR_MESSAGE)).startsWith(field + ":");
            assertThat(header(dead.get(0), DeadLetters.SOURCE_TOPIC)).isEqualTo(Topics.BUDGET_CONFIG.name());
            assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo(SCOPE);
            assertThat(ledger.statuses())
                    .as("nothing published for a rejected budget")
                    .isEmpty();
            assertThat(ledger.stores().budgets().get(SCOPE).dailyLimitUsd()).isEqualTo(Money.usd("10"));
            ledger.send(cost("b").usd("1").at("2026-11-22T08:01:00Z"));
            BudgetStatus status = ledger.statuses().stream()
                    .filter(s -> s.getScope().equals(SCOPE))
                    .reduce((a, b) -> b)
                    .orElseThrow();
            assertThat(status.getLevel())
                    .as("the old 10 USD limit still applies")
                    .isEqualTo(BudgetLevel.EXHAUSTED);
            assertThat(meters.counter("tiergate.dlq.records", "topic", Topics.BUDGET_CONFIG.name())
                            .count())
                    .isEqualTo(1.0);
        }
    }

    @Test
    void budgetWithoutKeyIsDeadLettered() {
        try (LedgerDriver ledger = new LedgerDriver(LedgerSettings.defaults(), NOW)) {
            ledger.budget(null, budgetOf(SCOPE, "10", null));
            assertThat(header(only(ledger.budgetDeadLetters()), DecodeOrReject.ERROR_FIELD))
                    .isEqualTo("key");
            assertThat(ledger.stores().budgets().get(SCOPE)).isNull();
        }
    }

    @Test
    void zeroLimitIsValidAndMeansExhausted() {
        try (LedgerDriver ledger = new LedgerDriver(LedgerSettings.defaults(), NOW)) {
            ledger.budget(budgetOf(SCOPE, "0", null));
            assertThat(ledger.budgetDeadLetters()).isEmpty();
            assertThat(ledger.statuses().get(0).getLevel()).isEqualTo(BudgetLevel.EXHAUSTED);
        }
    }

    @Test
    void undecodableRecordsGoToTheirDeadLetterTopicWithTheOriginalBytes() {
        try (LedgerDriver ledger = new LedgerDriver(LedgerSettings.defaults(), NOW)) {
            byte[] json = "{\"requestId\":\"r-1\",\"costUsd\":\"0.1\"}".getBytes(StandardCharsets.UTF_8);
            byte[] truncated = Arrays.copyOf(new byte[] {0, 0, 0, 0, 1, 2, 3}, 7);
            byte[] unknownSchemaId = new byte[] {0, 0, 0, 0x7f, 0x7f, 2, 4, 6};
            ledger.rawCost("r-1".getBytes(StandardCharsets.UTF_8), json);
            ledger.rawCost("r-2".getBytes(StandardCharsets.UTF_8), truncated);
            ledger.rawCost("r-3".getBytes(StandardCharsets.UTF_8), unknownSchemaId);
            ledger.rawBudget(SCOPE.getBytes(StandardCharsets.UTF_8), json);

            List<TestRecord<byte[], byte[]>> costs = ledger.costDeadLetters();
            assertThat(costs).hasSize(3);
            assertThat(costs.get(0).value()).isEqualTo(json);
            assertThat(costs.get(1).value()).isEqualTo(truncated);
            assertThat(costs.get(2).value()).isEqualTo(unknownSchemaId);
            assertThat(costs).allSatisfy(r -> {
                assertThat(header(r, DeadLetters.ERROR_CLASS)).isNotBlank();
                assertThat(header(r, DeadLetters.SOURCE_TOPIC)).isEqualTo(Topics.INFERENCE_COSTS.name());
                assertThat(header(r, DeadLetters.SOURCE_OFFSET)).isNotBlank();
            });
            assertThat(ledger.budgetDeadLetters()).hasSize(1);

            // and the ledger is still healthy
            ledger.send(cost("ok").usd("0.25").at("2026-11-22T19:00:00Z"));
            assertThat(ledger.lifetimeSpend(Topics.GLOBAL_SCOPE)).isEqualTo(Money.usd("0.25"));
        }
    }

    static Stream<Arguments> invalidCosts() {
        return Stream.of(
                Arguments.of("negative cost", "costUsd", (UnaryOperator<CostEvent.Builder>)
                        b -> b.setCostUsd(Money.usd("-0.000000001"))),
                Arguments.of("empty cost center", "costCenter", (UnaryOperator<CostEvent.Builder>)
                        b -> b.setCostCenter(" ")),
                Arguments.of(
                        "empty request id", "requestId", (UnaryOperator<CostEvent.Builder>) b -> b.setRequestId("")),
                Arguments.of("negative attempt", "attempt", (UnaryOperator<CostEvent.Builder>) b -> b.setAttempt(-1)),
                Arguments.of(
                        "negative latency", "latencyMs", (UnaryOperator<CostEvent.Builder>) b -> b.setLatencyMs(-5)),
                Arguments.of("dated in the future", "occurredAt", (UnaryOperator<CostEvent.Builder>)
                        b -> b.setOccurredAt(NOW.plusSeconds(2 * 3600))),
                Arguments.of("a cost of 99,999,999,999 USD", "costUsd", (UnaryOperator<CostEvent.Builder>)
                        b -> b.setCostUsd(Money.usd("99999999999"))),
                Arguments.of("a cost just above the per-event maximum", "costUsd", (UnaryOperator<CostEvent.Builder>)
                        b -> b.setCostUsd(Money.usd("10000.000000001"))),
                Arguments.of("negative input tokens", "inputTokens", (UnaryOperator<CostEvent.Builder>)
                        b -> b.setInputTokens(-1)),
                Arguments.of("negative output tokens", "outputTokens", (UnaryOperator<CostEvent.Builder>)
                        b -> b.setOutputTokens(-3)),
                Arguments.of("negative cached-read tokens", "cachedReadTokens", (UnaryOperator<CostEvent.Builder>)
                        b -> b.setCachedReadTokens(-1)),
                Arguments.of("negative cache-write tokens", "cacheWriteTokens", (UnaryOperator<CostEvent.Builder>)
                        b -> b.setCacheWriteTokens(-1)),
                Arguments.of("absurd output tokens", "outputTokens", (UnaryOperator<CostEvent.Builder>)
                        b -> b.setOutputTokens(Long.MAX_VALUE)));
    }

    @ParameterizedTest(name = "{0} → inference.costs.dlq naming {1}, nothing counted, the next event counts")
    @MethodSource("invalidCosts")
    void invalidCostEventIsDeadLetteredAndNotCounted(
            String what, String field, UnaryOperator<CostEvent.Builder> breakIt) {
        try (LedgerDriver ledger = new LedgerDriver(LedgerSettings.defaults(), NOW)) {
            ledger.budget(budgetOf(SCOPE, "10", "100"));
            ledger.send(cost("good").usd("1").at("2026-11-22T19:00:00Z"));
            CostEvent bad = breakIt.apply(CostEvent.newBuilder(
                            cost("bad").usd("2").at("2026-11-22T19:00:00Z").build()))
                    .build();
            ledger.send(bad);
            ledger.send(cost("next").usd("0.5").at("2026-11-22T19:01:00Z"));

            TestRecord<byte[], byte[]> dead = only(ledger.costDeadLetters());
            assertThat(header(dead, DecodeOrReject.ERROR_FIELD)).isEqualTo(field);
            assertThat(header(dead, DeadLetters.ERROR_MESSAGE)).startsWith(field + ":");
            assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo(bad.getRequestId());
            assertThat(ledger.lifetimeSpend(Topics.GLOBAL_SCOPE))
                    .as("the bad event is not counted, the one after it is")
                    .isEqualTo(Money.usd("1.5"));
            ledger.wallClockTo("2026-11-22T20:00:06Z");
            BudgetStatus status = ledger.statuses().stream()
                    .filter(s -> s.getScope().equals(SCOPE))
                    .reduce((a, b) -> b)
                    .orElseThrow();
            assertThat(status.getDailySpendUsd())
                    .as("budget.status still serializes and shows the counted spend")
                    .isEqualTo(Money.usd("1.5"));
        }
    }

    /**
     * 10^12 USD does not fit decimal(20,9): our serializer refuses it, but a writer with a wider
     * schema (or a hand-made record) can put it on the topic, and the decoder reads it. Counted, it
     * would make budget.status and cost.windows unserializable and the transaction would be retried
     * forever; it must go to the dead-letter topic and the ledger must keep counting.
     */
    @Test
    void costOfTenToTheTwelveDollarsIsDeadLetteredAndTheLedgerKeepsCounting() throws Exception {
        try (LedgerDriver ledger = new LedgerDriver(LedgerSettings.defaults(), NOW)) {
            ledger.budget(budgetOf(SCOPE, "10", "100"));
            ledger.send(cost("good").usd("1").at("2026-11-22T19:00:00Z"));
            byte[] absurd = withRawCostUsd(
                    ledger.serialize(
                            cost("absurd").usd("2").at("2026-11-22T19:00:00Z").build()),
                    new BigDecimal("1000000000000"));
            ledger.rawCost("absurd".getBytes(StandardCharsets.UTF_8), absurd);
            ledger.send(cost("next").usd("0.5").at("2026-11-22T19:01:00Z"));

            TestRecord<byte[], byte[]> dead = only(ledger.costDeadLetters());
            assertThat(header(dead, DecodeOrReject.ERROR_FIELD)).isEqualTo("costUsd");
            assertThat(header(dead, DeadLetters.ERROR_MESSAGE))
                    .isEqualTo(
                            "costUsd: absurd: 1000000000000.000000000 USD is above the maximum of 10000 USD per event");
            assertThat(dead.value()).isEqualTo(absurd);
            assertThat(ledger.lifetimeSpend(Topics.GLOBAL_SCOPE)).isEqualTo(Money.usd("1.5"));
            ledger.wallClockTo("2026-11-22T20:00:06Z");
            assertThat(ledger.statuses())
                    .filteredOn(s -> s.getScope().equals(SCOPE))
                    .last()
                    .extracting(BudgetStatus::getDailySpendUsd)
                    .isEqualTo(Money.usd("1.5"));
        }
    }

    /** Rewrites costUsd in a framed record without Avro's precision check (raw bytes, generic data). */
    private static byte[] withRawCostUsd(byte[] framed, BigDecimal usd) throws Exception {
        Schema schema = CostEvent.getClassSchema();
        GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(schema, schema, GenericData.get());
        GenericRecord record = reader.read(
                null,
                DecoderFactory.get()
                        .binaryDecoder(
                                framed,
                                ConfluentWireFormat.HEADER_SIZE,
                                framed.length - ConfluentWireFormat.HEADER_SIZE,
                                null));
        record.put(
                "costUsd",
                ByteBuffer.wrap(usd.setScale(Money.SCALE).unscaledValue().toByteArray()));
        int schemaId = ConfluentWireFormat.readSchemaId(ByteBuffer.wrap(framed));
        return ConfluentWireFormat.frame(
                schemaId, new GenericDatumWriter<GenericRecord>(schema, GenericData.get()), record);
    }

    @Test
    void tombstoneOnTheCostTopicIsDeadLettered() {
        try (LedgerDriver ledger = new LedgerDriver(LedgerSettings.defaults(), NOW)) {
            ledger.rawCost("r-1".getBytes(StandardCharsets.UTF_8), null);
            TestRecord<byte[], byte[]> dead = only(ledger.costDeadLetters());
            assertThat(header(dead, DecodeOrReject.ERROR_FIELD)).isEqualTo("value");
            assertThat(dead.value()).isNull();
        }
    }

    private static <T> T only(List<T> records) {
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
