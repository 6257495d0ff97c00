package io.tiergate.classifier.sensitive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Card detection is exactly "issuer prefix + length + Luhn", wherever the number is. QuickTheories
 * with a fixed seed (as the rest of the project), {@code -Dtiergate.qt.seed=<n>} for other cases.
 */
class PaymentCardProperties {

    private static final long SEED = Long.getLong("tiergate.qt.seed", 0x7165_5EEDL);

    private final SensitiveDataDetector detector = new SensitiveDataDetector();

    /** 15 digits; with a check digit, a 16-digit number. */
    private static Gen<String> bodies(String prefix) {
        return longs().between(0, 99_999_999_999_999L).map(n -> prefix + String.format("%014d", n));
    }

    @Test
    void aLuhnValidVisaNumberIsACardPlainOrGrouped() {
        qt().withFixedSeed(SEED).forAll(bodies("4")).checkAssert(body -> {
            String card = body + Checksums.luhnCheckDigit(body);
            assertThat(Checksums.luhn(card)).isTrue();
            assertThat(detector.detect("charge " + card + " today")).contains(SensitiveKind.CREDIT_CARD);
            assertThat(detector.detect("charge " + grouped(card) + ", today")).contains(SensitiveKind.CREDIT_CARD);
        });
    }

    @Test
    void aWrongCheckDigitIsNotACard() {
        qt().withFixedSeed(SEED).forAll(bodies("4"), integers().between(1, 9)).checkAssert((body, offset) -> {
            String card = body + (Checksums.luhnCheckDigit(body) + offset) % 10;
            assertThat(detector.detect("charge " + card + " today")).doesNotContain(SensitiveKind.CREDIT_CARD);
            assertThat(detector.detect("charge " + grouped(card) + " today")).doesNotContain(SensitiveKind.CREDIT_CARD);
        });
    }

    @Test
    void aLuhnValidNumberWithNoIssuerPrefixIsNotACard() {
        qt().withFixedSeed(SEED).forAll(integers().between(0, 4), bodies("")).checkAssert((i, rest) -> {
            String body = "01789".charAt(i) + rest.substring(1);
            String number = body + Checksums.luhnCheckDigit(body);
            assertThat(detector.detect("id " + number)).doesNotContain(SensitiveKind.CREDIT_CARD);
        });
    }

    private static String grouped(String card) {
        return card.substring(0, 4) + " " + card.substring(4, 8) + " " + card.substring(8, 12) + " "
                + card.substring(12);
    }
}
