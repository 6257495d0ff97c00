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
import io.tiergate.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
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
                        b -> b.setOccurredAt(NOW.plusSeconds(2 * 3600))));
    }

    @ParameterizedTest(name = "{0} → inference.costs.dlq naming {1}, nothing counted")
    @MethodSource("invalidCosts")
    void invalidCostEventIsDeadLetteredAndNotCounted(
            String what, String field, UnaryOperator<CostEvent.Builder> breakIt) {
        try (LedgerDriver ledger = new LedgerDriver(LedgerSettings.defaults(), NOW)) {
            ledger.send(cost("good").usd("1").at("2026-11-22T19:00:00Z"));
            ledger.send(breakIt.apply(CostEvent.newBuilder(
                            cost("bad").usd("2").at("2026-11-22T19:00:00Z").build()))
                    .build());

            TestRecord<byte[], byte[]> dead = only(ledger.costDeadLetters());
            assertThat(header(dead, DecodeOrReject.ERROR_FIELD)).isEqualTo(field);
            assertThat(ledger.lifetimeSpend(Topics.GLOBAL_SCOPE)).isEqualTo(Money.usd("1"));
        }
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
