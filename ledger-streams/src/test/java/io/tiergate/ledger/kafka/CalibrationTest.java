package io.tiergate.ledger.kafka;

import static io.tiergate.ledger.support.CalibrationSamples.keyOf;
import static io.tiergate.ledger.support.CalibrationSamples.sample;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.ledger.support.LedgerDriver;
import io.tiergate.platform.kafka.DeadLetters;
import io.tiergate.schemas.events.CalibrationSample;
import io.tiergate.schemas.events.CalibrationStat;
import io.tiergate.schemas.events.TaskType;
import io.tiergate.schemas.money.Money;
import io.tiergate.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** routing.calibration.samples → routing.calibration, in the ledger topology (TopologyTestDriver). */
class CalibrationTest {

    @Test
    void samplesOfOneKeyAreAggregatedIntoItsCalibrationStat() {
        try (LedgerDriver ledger = LedgerDriver.at("2026-12-01T12:00:00Z")) {
            for (int i = 0; i < 60; i++) {
                CalibrationSample s = sample(TaskType.EXTRACTION, i % 10 >= 3, "0.000123457", "2026-12-01T10:00:00Z");
                ledger.sample(keyOf(s), s);
            }
            CalibrationSample other = sample(TaskType.SUMMARIZATION, true, "0.5", "2026-12-01T11:00:00Z");
            ledger.sample(keyOf(other), other);

            List<KeyValue<String, CalibrationStat>> out = ledger.calibration();
            KeyValue<String, CalibrationStat> last = out.stream()
                    .filter(kv -> kv.key.equals("EXTRACTION|qwen3:8b"))
                    .reduce((a, b) -> b)
                    .orElseThrow();
            assertThat(last.value.getSamples()).isEqualTo(60);
            assertThat(last.value.getAgreed()).isEqualTo(42);
            assertThat(last.value.getUpper95()).isLessThan(0.9);
            assertThat(last.value.getSampleCostUsd()).isEqualByComparingTo(Money.usd("0.00740742"));
            assertThat(out)
                    .filteredOn(kv -> kv.key.equals("SUMMARIZATION|qwen3:8b"))
                    .singleElement()
                    .satisfies(kv -> assertThat(kv.value.getSamples()).isEqualTo(1));
            assertThat(ledger.calibrationDeadLetters()).isEmpty();
        }
    }

    @Test
    void aSampleThatDoesNotDecodeGoesToTheDeadLetterTopicWithItsBytes() {
        try (LedgerDriver ledger = LedgerDriver.at("2026-12-01T12:00:00Z")) {
            byte[] key = "EXTRACTION|qwen3:8b".getBytes(StandardCharsets.UTF_8);
            byte[] garbage = "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);
            ledger.rawSample(key, garbage);

            List<TestRecord<byte[], byte[]>> letters = ledger.calibrationDeadLetters();
            assertThat(letters).singleElement().satisfies(letter -> {
                assertThat(letter.key()).isEqualTo(key);
                assertThat(letter.value()).isEqualTo(garbage);
                assertThat(header(letter, DeadLetters.SOURCE_TOPIC)).isEqualTo(Topics.CALIBRATION_SAMPLES.name());
            });
            assertThat(ledger.calibration()).isEmpty();
        }
    }

    @Test
    void aMisKeyedOrOutOfRangeSampleIsRejectedWithItsFieldNamed() {
        try (LedgerDriver ledger = LedgerDriver.at("2026-12-01T12:00:00Z")) {
            CalibrationSample s = sample(TaskType.EXTRACTION, true, "0.001", "2026-12-01T10:00:00Z");
            ledger.sample("CLASSIFICATION|qwen3:8b", s);
            CalibrationSample bad = sample(TaskType.EXTRACTION, true, "0.001", "2026-12-01T10:00:00Z");
            bad.setAgreement(1.5);
            ledger.sample(keyOf(bad), bad);

            assertThat(ledger.calibrationDeadLetters())
                    .extracting(letter -> header(letter, DecodeOrReject.ERROR_FIELD))
                    .containsExactly("key", "agreement");
            assertThat(ledger.calibration()).isEmpty();
        }
    }

    private static String header(TestRecord<byte[], byte[]> letter, String name) {
        return new String(letter.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
