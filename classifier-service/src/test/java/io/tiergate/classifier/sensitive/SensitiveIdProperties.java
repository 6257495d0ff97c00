package io.tiergate.classifier.sensitive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * National ids are exactly "shape + check rule": every number built to the rule is found, and
 * changing its check digit (or key) makes it a look-alike. QuickTheories with a fixed seed, as in
 * {@link PaymentCardProperties}; {@code -Dtiergate.qt.seed=<n>} for other cases.
 */
class SensitiveIdProperties {

    private static final long SEED = Long.getLong("tiergate.qt.seed", 0x7165_5EEDL);

    private final SensitiveDataDetector detector = new SensitiveDataDetector();

    /** A Steuer-IdNr body: ten digits, no leading zero, exactly one digit twice (derived from a seed). */
    private static String taxIdBody(long seed) {
        Random r = new Random(seed);
        List<Character> digits = new ArrayList<>();
        for (char c = '0'; c <= '9'; c++) {
            digits.add(c);
        }
        while (true) {
            Collections.shuffle(digits, r);
            List<Character> ten = new ArrayList<>(digits.subList(0, 9));
            ten.add(1 + r.nextInt(9), ten.get(r.nextInt(9)));
            if (ten.get(0) != '0') {
                StringBuilder b = new StringBuilder();
                ten.forEach(b::append);
                return b.toString();
            }
        }
    }

    private static char taxCheckDigit(String body) {
        for (char d = '0'; d <= '9'; d++) {
            if (Checksums.germanTaxId(body + d)) {
                return d;
            }
        }
        throw new IllegalStateException(body);
    }

    @Test
    void aGermanTaxIdBuiltToTheRuleIsFoundAndAWrongCheckDigitIsNot() {
        qt().withFixedSeed(SEED).forAll(longs().all(), integers().between(1, 9)).checkAssert((seed, offset) -> {
            String body = taxIdBody(seed);
            char check = taxCheckDigit(body);
            String id = body + check;
            String grouped =
                    id.substring(0, 2) + " " + id.substring(2, 5) + " " + id.substring(5, 8) + " " + id.substring(8);
            assertThat(detector.detect("Steuer-ID " + id + ".")).contains(SensitiveKind.DE_TAX_ID);
            assertThat(detector.detect("IdNr " + grouped)).contains(SensitiveKind.DE_TAX_ID);
            String wrong = body + (char) ('0' + (check - '0' + offset) % 10);
            assertThat(detector.detect("Steuer-ID " + wrong + ".")).doesNotContain(SensitiveKind.DE_TAX_ID);
        });
    }

    @Test
    void anAadhaarNumberWithItsVerhoeffDigitIsFoundGroupedAndAnyOtherDigitIsNot() {
        qt().withFixedSeed(SEED)
                .forAll(
                        longs().between(2_000_000_000_0L, 9_999_999_999_9L),
                        integers().between(1, 9))
                .checkAssert((body, offset) -> {
                    String b = Long.toString(body).substring(0, 11);
                    int check = -1;
                    for (int d = 0; d <= 9; d++) {
                        if (Checksums.verhoeff(b + d)) {
                            check = d;
                        }
                    }
                    assertThat(check).isNotNegative();
                    String id = b + check;
                    assertThat(detector.detect(
                                    "Aadhaar " + id.substring(0, 4) + " " + id.substring(4, 8) + " " + id.substring(8)))
                            .contains(SensitiveKind.IN_AADHAAR);
                    String wrong = b + (check + offset) % 10;
                    assertThat(detector.detect("Aadhaar " + wrong.substring(0, 4) + " " + wrong.substring(4, 8) + " "
                                    + wrong.substring(8)))
                            .doesNotContain(SensitiveKind.IN_AADHAAR);
                });
    }

    @Test
    void aFrenchNirWithItsKeyIsFoundAndAnyOtherKeyIsNot() {
        qt().withFixedSeed(SEED)
                .forAll(
                        integers().between(100, 299),
                        integers().between(1, 12),
                        longs().between(1_001_001L, 95_999_999L),
                        integers().between(1, 96))
                .checkAssert((sexAndYear, month, place, offset) -> {
                    // sex 1 or 2 and a two-digit year in one generator (QuickTheories takes at most four)
                    String body = String.format("%d%02d%02d%08d", sexAndYear / 100, sexAndYear % 100, month, place);
                    long key = 97 - Long.parseLong(body) % 97;
                    String nir = body + String.format("%02d", key);
                    assertThat(detector.detect("NIR " + nir)).contains(SensitiveKind.FR_NIR);
                    long wrongKey = (key - 1 + offset) % 97 + 1;
                    assertThat(detector.detect("NIR " + body + String.format("%02d", wrongKey)))
                            .doesNotContain(SensitiveKind.FR_NIR);
                });
    }

    @Test
    void anSsnIsFoundExactlyInTheIssuedRanges() {
        qt().withFixedSeed(SEED)
                .forAll(
                        integers().between(0, 999),
                        integers().between(0, 99),
                        integers().between(0, 9999))
                .checkAssert((area, group, serial) -> {
                    String ssn = String.format("%03d-%02d-%04d", area, group, serial);
                    boolean issued = area != 0
                            && area != 666
                            && area < 900
                            && group != 0
                            && serial != 0
                            && !(area == 78 && group == 5 && serial == 1120)
                            && !(area == 219 && group == 9 && serial == 9999);
                    assertThat(detector.detect("SSN " + ssn + " on file").contains(SensitiveKind.US_SSN))
                            .isEqualTo(issued);
                });
    }
}
